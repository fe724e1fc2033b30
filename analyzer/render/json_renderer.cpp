#include <nlohmann/json.hpp>

#include "ftp/command.hpp"
#include "ftp/escape.hpp"
#include "render/renderers.hpp"

namespace ftpsim::render {
namespace {

using ftp::escape_bytes;

using analyzer::Event;
using nlohmann::ordered_json;

ordered_json endpoint_json(const net::Endpoint& ep) {
    return ordered_json{{"ip", ep.addr.str()}, {"port", ep.port}};
}

double seconds(tcp::TimeNs ns) { return static_cast<double>(ns) / 1e9; }

// Captured bytes become JSON strings through escape_bytes: JSON needs valid UTF-8, and the
// escapes keep every byte visible (docs/analyzer-json.md says so).
void body_json(const Event& e, bool show_secrets, ordered_json& j) {
    struct Visitor {
        ordered_json& j;
        bool show_secrets;
        void operator()(const analyzer::ConnOpen& o) const {
            j["action"] = "open";
            j["role"] = analyzer::conn_role_name(o.role);
            j["handshake"] = o.handshake;
        }
        void operator()(const analyzer::ConnClose& c) const {
            j["action"] = "close";
            j["role"] = analyzer::conn_role_name(c.role);
            j["reason"] = analyzer::close_reason_name(c.reason);
        }
        void operator()(const analyzer::CommandEvent& c) const {
            j["verb"] = c.verb;
            j["arg"] = c.secret && !show_secrets ? std::string(ftp::kSecretMask) : escape_bytes(c.arg);
        }
        void operator()(const analyzer::ReplyEvent& r) const {
            j["code"] = r.code;
            j["text"] = escape_bytes(r.text);
            auto lines = ordered_json::array();
            for (const auto& l : r.lines) lines.push_back(escape_bytes(l));
            j["lines"] = std::move(lines);
            j["greeting"] = r.greeting;
            if (!r.to_verb.empty()) {
                j["to_verb"] = r.to_verb;
                j["to_frame"] = r.to_frame;
            }
        }
        void operator()(const analyzer::DataEvent& d) const {
            j["control_conn"] = d.control_conn;
            j["mode"] = d.mode;
            j["command"] = d.command;
            j["arg"] = escape_bytes(d.arg);
            j["direction"] = d.direction;
            j["bytes"] = d.bytes;
            j["sha256"] = d.sha256;
            j["rest"] = d.rest;
            j["completion"] = d.completion;
            j["open_frame"] = d.open_frame;
        }
        void operator()(const analyzer::TcpAnalysisEvent& t) const {
            j["event"] = std::string(tcp::tcp_event_name(t.event));
            if (t.inconsistency) {
                j["seq"] = t.inconsistency->relative_seq;
                j["len"] = t.inconsistency->length;
                j["kept"] = analyzer::kept_copy_name(*t.inconsistency);
            }
        }
        void operator()(const analyzer::AnomalyEvent& a) const {
            j["what"] = a.what;
            j["detail"] = escape_bytes(a.detail);
        }
    };
    std::visit(Visitor{j, show_secrets}, e.body);
}

}  // namespace

nlohmann::ordered_json event_json(const Event& e, bool show_secrets) {
    ordered_json j;
    j["frame"] = e.frame;
    j["time"] = seconds(e.time);
    j["time_ns"] = e.time;
    j["kind"] = analyzer::event_kind_name(e);
    j["conn"] = e.conn;
    if (e.src.port != 0 || e.dst.port != 0) {
        j["src"] = endpoint_json(e.src);
        j["dst"] = endpoint_json(e.dst);
    }
    body_json(e, show_secrets, j);
    return j;
}

JsonRenderer::JsonRenderer(std::ostream& out, std::ostream& err, const std::string& capture,
                           bool show_secrets)
    : out_(out), err_(err), show_secrets_(show_secrets) {
    out_ << "{\"format\":\"ftpsim-analyze\",\"version\":1,\"capture\":"
         << ordered_json(escape_bytes(capture)).dump() << ",\"events\":[";
}

void JsonRenderer::on_event(const Event& e) {
    out_ << (first_ ? "\n" : ",\n") << event_json(e, show_secrets_).dump();
    first_ = false;
}

void JsonRenderer::on_warning(const std::string& message) {
    err_ << "warning: " << message << "\n";
    warnings_.push_back(message);
}

void JsonRenderer::finish(const analyzer::AnalyzeStats& stats) {
    ordered_json w = ordered_json::array();
    for (const auto& m : warnings_) w.push_back(escape_bytes(m));
    out_ << "\n],\"warnings\":" << w.dump() << ",\"frames\":" << stats.frames
         << ",\"captured_bytes\":" << stats.bytes << "}\n";
}

}  // namespace ftpsim::render
