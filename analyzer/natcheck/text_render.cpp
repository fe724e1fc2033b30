#include "natcheck/nat_render.hpp"
#include "render/event_text.hpp"

namespace ftpsim::natcheck {
namespace {

std::string value_text(const std::optional<SideValue>& v) { return v ? v->endpoint.str() : "(not seen)"; }

std::string control_text(const ControlPair& c) {
    return c.inside_client.str() + " -> " + c.inside_server.str() + " inside, " + c.outside_client.str() + " -> " +
           c.outside_server.str() + " outside";
}

std::string port_endpoint(const net::Endpoint& e, render::PortNormalizer& ports) {
    return (e.addr.v6 ? "[" + e.addr.str() + "]" : e.addr.str()) + ":" + ports.port(e.port);
}

}  // namespace

std::string kind_label(const std::string& kind) {
    if (kind == "port") return "PORT";
    if (kind == "eprt") return "EPRT";
    if (kind == "pasv") return "227";
    if (kind == "epsv") return "229";
    return kind;
}

std::string report_text(const Report& r) {
    std::string out;
    std::size_t failed = 0;
    for (const Item& item : r.items) {
        const bool fail = item.verdict() == Verdict::kFail;
        failed += fail;
        std::string line = std::string(fail ? "FAIL" : "pass") + " c" + std::to_string(item.control) + " ";
        if (item.kind == "control") {
            line += "control " + control_text(r.controls[item.control - 1]);
        } else {
            line += kind_label(item.kind) + " inside " + value_text(item.inside) + " outside " +
                    value_text(item.outside) + " (" + item.treatment + ")";
        }
        std::string failures, passes;
        for (const Check& c : item.checks) {
            if (c.verdict == Verdict::kFail) failures += (failures.empty() ? "" : "; ") + c.name + ": " + c.detail;
            else if (c.verdict == Verdict::kPass) passes += (passes.empty() ? "" : " ") + c.name;
        }
        line += fail ? ": " + failures : (passes.empty() ? "" : ": " + passes);
        out += line + "\n";
    }
    out += "nat-check: " + std::to_string(r.items.size()) + " items over " + std::to_string(r.controls.size()) +
           " control connection" + (r.controls.size() == 1 ? "" : "s") + ", " + std::to_string(failed) +
           " failed";
    if (r.unpaired_inside + r.unpaired_outside > 0)
        out += " (" + std::to_string(r.unpaired_inside) + " inside and " + std::to_string(r.unpaired_outside) +
               " outside control connections unpaired)";
    out += ": " + std::string(r.verdict() == Verdict::kFail ? "FAIL" : "PASS") + "\n";
    return out;
}

std::string report_golden(const Report& r, const std::set<std::uint16_t>& keep_ports) {
    render::PortNormalizer ports(keep_ports);
    std::string out;
    for (const Item& item : r.items) {
        std::string line = "c" + std::to_string(item.control) + " " + item.kind;
        if (item.kind == "control") {
            const ControlPair& c = r.controls[item.control - 1];
            line += " inside " + port_endpoint(c.inside_client, ports) + " -> " + port_endpoint(c.inside_server, ports) +
                    " outside " + port_endpoint(c.outside_client, ports) + " -> " +
                    port_endpoint(c.outside_server, ports);
        } else {
            line += " inside " + (item.inside ? port_endpoint(item.inside->endpoint, ports) : "-") + " outside " +
                    (item.outside ? port_endpoint(item.outside->endpoint, ports) : "-") + " " + item.treatment;
            if (item.length_change != 0)
                line += " len" + std::string(item.length_change > 0 ? "+" : "") + std::to_string(item.length_change);
        }
        for (const Check& c : item.checks) line += " " + c.name + "=" + verdict_name(c.verdict);
        out += line + "\n";
    }
    out += "verdict " + std::string(verdict_name(r.verdict())) + "\n";
    return out;
}

}  // namespace ftpsim::natcheck
