#include "render/event_text.hpp"

#include "ftp/command.hpp"
#include "ftp/escape.hpp"

namespace ftpsim::render {
namespace {

using ftp::escape_bytes;

using namespace ftpsim::analyzer;

std::string port_text(std::uint16_t p, const EventTextOptions& opt) {
    return opt.ports != nullptr ? opt.ports->port(p) : std::to_string(p);
}

std::string endpoint_text(const net::Endpoint& ep, const EventTextOptions& opt) {
    std::string addr = ep.addr.v6 ? "[" + ep.addr.str() + "]" : ep.addr.str();
    return addr + ":" + port_text(ep.port, opt);
}

// "192,168,1,5,8,155" for a PORT argument or 227 text (RFC 959 §4.1.2), with the port as
// p1,p2 when it is kept and as its stable name ("<p3>") when it is normalised.
std::string host_port_commas(const net::Endpoint& ep, const EventTextOptions& opt) {
    std::string out;
    for (int i = 0; i < 4; ++i) out += std::to_string(ep.addr.bytes[i]) + ",";
    std::string port = port_text(ep.port, opt);
    if (port == std::to_string(ep.port)) return out + std::to_string(ep.port >> 8) + "," + std::to_string(ep.port & 255);
    return out + port;
}

std::string flow(const Event& e, const EventTextOptions& opt) {
    return endpoint_text(e.src, opt) + " -> " + endpoint_text(e.dst, opt);
}

// The port inside a PORT/EPRT argument is as ephemeral as the endpoint's: normalise it too.
std::string command_arg(const CommandEvent& c, const EventTextOptions& opt) {
    if (c.secret && !opt.show_secrets) return std::string(ftp::kSecretMask);
    if (opt.ports != nullptr && c.endpoint) {
        if (c.verb == "PORT") return host_port_commas(*c.endpoint, opt);
        return std::string("|") + (c.endpoint->addr.v6 ? "2" : "1") + "|" + c.endpoint->addr.str() + "|" +
               port_text(c.endpoint->port, opt) + "|";
    }
    return escape_bytes(c.arg);
}

std::string reply_text(const ReplyEvent& r, const EventTextOptions& opt) {
    std::string text = r.text;
    if (opt.ports != nullptr && r.endpoint) {
        const ftp::FoundEndpoint& found = *r.endpoint;
        std::string enc = found.len > 0 ? text.substr(found.pos, found.len) : "";
        std::string replaced;
        if (r.code == 227) {
            replaced = host_port_commas(found.endpoint, opt);
        } else {
            // Keep the delimiters as sent, replace the digits between them.
            std::string digits = std::to_string(found.endpoint.port);
            auto at = enc.find(digits);
            replaced = at == std::string::npos
                           ? enc
                           : enc.substr(0, at) + port_text(found.endpoint.port, opt) +
                                 enc.substr(at + digits.size());
        }
        text = text.substr(0, found.pos) + replaced + text.substr(found.pos + found.len);
    }
    return escape_bytes(text);
}

}  // namespace

std::string PortNormalizer::port(std::uint16_t p) {
    if (p < 1024 || keep_.count(p) != 0) return std::to_string(p);
    auto it = names_.find(p);
    if (it == names_.end())
        it = names_.emplace(p, "<p" + std::to_string(names_.size() + 1) + ">").first;
    return it->second;
}

std::string event_text(const Event& e, const EventTextOptions& opt) {
    std::string out = "c" + std::to_string(e.conn) + " ";
    struct Visitor {
        const Event& e;
        const EventTextOptions& opt;
        std::string& out;
        void operator()(const ConnOpen& o) const {
            out += std::string("open ") + conn_role_name(o.role) + " " + flow(e, opt);
            if (!o.handshake) out += " (mid-stream)";
        }
        void operator()(const ConnClose& c) const {
            out += std::string("close ") + conn_role_name(c.role) + " " + close_reason_name(c.reason);
        }
        void operator()(const CommandEvent& c) const {
            out += "command " + c.verb;
            std::string arg = command_arg(c, opt);
            if (!c.arg.empty()) out += " " + arg;
        }
        void operator()(const ReplyEvent& r) const {
            std::string to = r.greeting ? "greeting" : r.to_verb.empty() ? "unsolicited" : "to " + r.to_verb;
            out += "reply " + std::to_string(r.code) + " (" + to + ") " + reply_text(r, opt);
            for (std::size_t i = 1; i < r.lines.size(); ++i) out += "\n    | " + escape_bytes(r.lines[i]);
        }
        void operator()(const DataEvent& d) const {
            out += "data " + d.mode + " " + (d.command.empty() ? "?" : d.command);
            if (!d.arg.empty()) out += " " + escape_bytes(d.arg);
            out += " " + d.direction;
            if (d.open_frame != 0) out += " " + flow(e, opt);
            else out += " (no data connection)";
            out += " bytes=" + std::to_string(d.bytes) + " sha256=" + d.sha256;
            if (d.rest != 0) out += " rest=" + std::to_string(d.rest);
            out += " reply=" + (d.completion != 0 ? std::to_string(d.completion) : std::string("none"));
            out += " control=c" + std::to_string(d.control_conn);
        }
        void operator()(const TcpAnalysisEvent& t) const {
            out += std::string("tcp ") + std::string(tcp::tcp_event_name(t.event)) + " " + flow(e, opt);
            if (t.inconsistency) {
                const tcp::InconsistentBytes& b = *t.inconsistency;
                out += " seq=" + std::to_string(b.relative_seq) + " len=" + std::to_string(b.length) +
                       " kept=" + analyzer::kept_copy_name(b);
            }
        }
        void operator()(const AnomalyEvent& a) const { out += "anomaly " + a.what + ": " + a.detail; }
    };
    std::visit(Visitor{e, opt, out}, e.body);
    return out;
}

}  // namespace ftpsim::render
