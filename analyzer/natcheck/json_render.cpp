#include "natcheck/nat_render.hpp"

namespace ftpsim::natcheck {
namespace {

using nlohmann::ordered_json;

ordered_json side_json(const std::optional<SideValue>& v) {
    if (!v) return nullptr;
    ordered_json j;
    j["raw"] = v->raw;
    j["endpoint"] = v->endpoint.str();
    j["frame"] = v->frame;
    if (v->data.transfer) {
        const DataSeen& d = v->data;
        j["data"] = {{"command", d.command},       {"established", d.established},
                     {"client", d.client.str()},   {"server", d.server.str()},
                     {"open_frame", d.open_frame}, {"bytes", d.bytes},
                     {"sha256", d.sha256},         {"completion", d.completion}};
    } else {
        j["data"] = nullptr;
    }
    j["syn"] = {{"count", v->syn.count},
                {"first_frame", v->syn.first_frame},
                {"source", v->syn.count > 0 ? ordered_json(v->syn.source.str()) : ordered_json(nullptr)},
                {"destination", v->syn.count > 0 ? ordered_json(v->syn.destination.str()) : ordered_json(nullptr)}};
    return j;
}

}  // namespace

ordered_json report_json(const Report& r) {
    ordered_json doc;
    doc["format"] = "ftpsim-nat-check";
    doc["version"] = 1;
    doc["inside"] = r.inside_capture;
    doc["outside"] = r.outside_capture;
    doc["verdict"] = verdict_name(r.verdict());
    std::size_t failed = 0, checks_failed = 0;
    for (const Item& i : r.items) {
        failed += i.verdict() == Verdict::kFail;
        for (const Check& c : i.checks) checks_failed += c.verdict == Verdict::kFail;
    }
    doc["summary"] = {{"items", r.items.size()}, {"failed", failed}, {"checks_failed", checks_failed}};
    doc["controls"] = ordered_json::array();
    for (const ControlPair& c : r.controls)
        doc["controls"].push_back(
            {{"index", c.index},
             {"inside", {{"client", c.inside_client.str()}, {"server", c.inside_server.str()}, {"frame", c.inside_frame}}},
             {"outside",
              {{"client", c.outside_client.str()}, {"server", c.outside_server.str()}, {"frame", c.outside_frame}}}});
    doc["unpaired"] = {{"inside", r.unpaired_inside}, {"outside", r.unpaired_outside}};
    doc["items"] = ordered_json::array();
    for (const Item& i : r.items) {
        ordered_json j;
        j["control"] = i.control;
        j["kind"] = i.kind;
        j["verdict"] = verdict_name(i.verdict());
        if (i.kind != "control") {
            j["treatment"] = i.treatment;
            j["length_change"] = i.length_change;
            j["inside"] = side_json(i.inside);
            j["outside"] = side_json(i.outside);
        }
        j["checks"] = ordered_json::array();
        for (const Check& c : i.checks)
            j["checks"].push_back({{"name", c.name}, {"verdict", verdict_name(c.verdict)}, {"detail", c.detail}});
        doc["items"].push_back(std::move(j));
    }
    doc["warnings"] = r.warnings;
    return doc;
}

}  // namespace ftpsim::natcheck
