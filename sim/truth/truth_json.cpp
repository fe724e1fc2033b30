#include "sim/truth/truth_json.hpp"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "ftp/escape.hpp"

namespace ftpsim::sim::truth {
namespace {

using Json = nlohmann::ordered_json;

// Bytes as text without losing any (control bytes and invalid UTF-8 as \xNN): what a JSON
// reader gets back is exactly what was sent, escaped.
std::string text(const std::string& raw) { return ftp::escape_bytes(raw); }

std::string seconds(std::int64_t ns) {
    char buf[40];
    const std::int64_t s = ns / 1'000'000'000;
    const std::int64_t frac = ns % 1'000'000'000;
    std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(s), static_cast<long long>(frac));
    return buf;
}

// Wireshark's order and spelling: "SYN, ACK", "FIN, PSH, ACK", "RST, ACK".
std::string flags(std::uint8_t f) {
    static constexpr std::pair<std::uint8_t, const char*> kNames[] = {
        {vnet::kFin, "FIN"}, {vnet::kSyn, "SYN"}, {vnet::kRst, "RST"}, {vnet::kPsh, "PSH"}, {vnet::kAck, "ACK"}};
    std::string out;
    for (const auto& [bit, name] : kNames) {
        if (!(f & bit)) continue;
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

const char* role(TruthConnection::Role r) {
    switch (r) {
        case TruthConnection::Role::kControl: return "control";
        case TruthConnection::Role::kData: return "data";
        case TruthConnection::Role::kTcp: break;
    }
    return "tcp";
}

Json connection(const TruthConnection& c) {
    Json j;
    j["id"] = c.id;
    j["role"] = role(c.role);
    j["client"] = c.client.str();
    j["server"] = c.server.str();
    j["first_frame"] = c.first_frame;
    if (c.role == TruthConnection::Role::kData) {
        j["control"] = c.control;
        j["command"] = c.command == 0 ? Json(nullptr) : Json(c.command);
        if (c.announced_by)
            j["announced_by"] = {{c.announced_by->by_command ? "command" : "reply", c.announced_by->n}};
    }
    return j;
}

Json command(const TruthCommand& c) {
    Json j;
    j["connection"] = c.connection;
    j["n"] = c.n;
    j["verb"] = text(c.verb);
    j["arg"] = text(c.arg);
    j["line"] = text(c.line);
    if (c.telnet) j["telnet"] = true;
    if (c.endpoint) j["endpoint"] = c.endpoint->str();
    j["first_frame"] = c.first_frame;
    j["frame"] = c.frame;
    return j;
}

Json reply(const TruthReply& r) {
    Json j;
    j["connection"] = r.connection;
    j["n"] = r.n;
    j["code"] = r.code;
    j["answers"] = r.answers == 0 ? Json(nullptr) : Json(r.answers);
    Json lines = Json::array();
    Json frames = Json::array();
    for (const TruthReplyLine& l : r.lines) {
        lines.push_back(text(l.line));
        frames.push_back(Json::array({l.first_frame, l.frame}));
    }
    j["lines"] = std::move(lines);
    j["line_frames"] = std::move(frames);
    if (r.endpoint) j["endpoint"] = r.endpoint->str();
    j["frame"] = r.frame;
    return j;
}

// `data`: the data connections by id.
Json frame(const TruthFrame& f, const std::map<std::uint32_t, const TruthConnection*>& data) {
    Json j;
    j["frame"] = f.frame;
    j["time"] = seconds(f.time_ns);
    j["connection"] = f.connection;
    j["src"] = f.src.str();
    j["dst"] = f.dst.str();
    j["flags"] = flags(f.flags);
    j["payload"] = f.payload;
    if (f.payload > 0) j["offset"] = f.stream_offset;
    if (!f.events.empty()) j["events"] = f.events;
    if (!f.commands.empty()) j["commands"] = f.commands;
    if (!f.replies.empty()) j["replies"] = f.replies;
    if (const auto it = data.find(f.connection); it != data.end()) {
        j["control"] = it->second->control;
        j["command"] = it->second->command == 0 ? Json(nullptr) : Json(it->second->command);
    }
    return j;
}

template <typename T, typename F>
void array(std::string& out, const char* name, const std::vector<T>& items, F&& to_json, bool last = false) {
    out += "  \"";
    out += name;
    out += "\": [";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i == 0 ? "\n    " : ",\n    ";
        out += to_json(items[i]).dump();
    }
    out += items.empty() ? "]" : "\n  ]";
    out += last ? "\n" : ",\n";
}

}  // namespace

std::string render_truth_json(const GroundTruth& t, const TruthHeader& h) {
    std::string out = "{\n";
    const Json head = {{"schema", "ftpsim-truth/1"}, {"scenario", h.scenario}, {"capture_point", h.capture_point},
                       {"pcap", h.pcap}, {"pcap_sha256", h.pcap_sha256}};
    for (const auto& [key, value] : head.items()) out += "  " + Json(key).dump() + ": " + value.dump() + ",\n";
    array(out, "connections", t.connections, connection);
    array(out, "commands", t.commands, command);
    array(out, "replies", t.replies, reply);
    std::map<std::uint32_t, const TruthConnection*> data;
    for (const TruthConnection& c : t.connections)
        if (c.role == TruthConnection::Role::kData) data[c.id] = &c;
    array(out, "frames", t.frames, [&](const TruthFrame& f) { return frame(f, data); });
    array(out, "anomalies", t.anomalies, [](const TruthAnomaly& a) {
        return Json{{"frame", a.frame}, {"kind", a.kind}, {"detail", a.detail}};
    }, true);
    return out + "}\n";
}

}  // namespace ftpsim::sim::truth
