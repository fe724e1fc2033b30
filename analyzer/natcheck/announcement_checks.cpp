#include "natcheck/announcement_checks.hpp"

#include "natcheck/address_class.hpp"

namespace ftpsim::natcheck {
namespace {

// Which way an announcement crosses the device. The client is on the inside (the capture
// taken on the client's side of the device), so PORT/EPRT go inside -> outside and 227/229
// outside -> inside.
struct Crossing {
    bool from_inside = true;
    const char* sender_side = "inside";
    const char* receiver_side = "outside";
};

Crossing crossing(AnnouncementKind k) {
    if (k == AnnouncementKind::kPort || k == AnnouncementKind::kEprt) return {};
    return {false, "outside", "inside"};
}

std::string ep_text(const net::Endpoint& e) { return e.str(); }

SideValue side_value(const Announcement& a) {
    SideValue v;
    v.raw = a.raw;
    v.endpoint = a.value;
    v.frame = a.frame;
    v.data = a.data;
    v.syn = a.syn;
    return v;
}

// The address the sender has on the receiver's side of the device: what an ALG must write.
net::IpAddress translated_sender(const Crossing& x, const ControlRecord& receiver) {
    return x.from_inside ? receiver.client.addr : receiver.server.addr;
}
net::IpAddress own_sender(const Crossing& x, const ControlRecord& sender) {
    return x.from_inside ? sender.client.addr : sender.server.addr;
}

Check rewrite_matches_wire(const Item& item, const Crossing& x, const ControlRecord& sender_c,
                           const ControlRecord& receiver_c) {
    Check c{kRewriteMatchesWire, Verdict::kPass, ""};
    const std::optional<SideValue>& snd = x.from_inside ? item.inside : item.outside;
    const std::optional<SideValue>& rcv = x.from_inside ? item.outside : item.inside;
    if (!snd || !rcv) {
        c.verdict = Verdict::kFail;
        c.detail = !rcv ? std::string("seen ") + x.sender_side + " only: the device did not forward it"
                        : std::string("seen ") + x.receiver_side + " only: the sender never sent it";
        return c;
    }
    const bool epsv = item.kind == "epsv";
    const net::IpAddress want = translated_sender(x, receiver_c);
    if (!epsv && rcv->endpoint.addr != want) {
        c.verdict = Verdict::kFail;
        c.detail = std::string(x.receiver_side) + " value names " + rcv->endpoint.addr.str() + " but the " +
                   (x.from_inside ? "client" : "server") + " is " + want.str() + " " + x.receiver_side +
                   " (" + own_sender(x, sender_c).str() + " " + x.sender_side + ")" +
                   (rcv->endpoint.addr == snd->endpoint.addr ? ": not rewritten by the ALG" : ": rewritten wrongly");
        return c;
    }
    const DataSeen& di = item.inside->data;
    const DataSeen& do_ = item.outside->data;
    const ControlRecord& in_c = x.from_inside ? sender_c : receiver_c;
    const ControlRecord& out_c = x.from_inside ? receiver_c : sender_c;
    // A client may connect to the control server's address with a 227's port (curl does).
    auto reached = [&](const SideValue& v, const ControlRecord& c, const net::Endpoint& actual) {
        return actual == v.endpoint || (item.kind == "pasv" && actual == net::Endpoint{c.server.addr, v.endpoint.port});
    };
    if (di.established && do_.established) {
        if (!reached(*item.inside, in_c, di.server) || !reached(*item.outside, out_c, do_.server)) {
            c.verdict = Verdict::kFail;
            c.detail = "data connection went to " + ep_text(di.server) + " inside and " + ep_text(do_.server) +
                       " outside, announced " + ep_text(item.inside->endpoint) + " / " +
                       ep_text(item.outside->endpoint);
            return c;
        }
        c.detail = "data connection " + ep_text(di.server) + " inside is " + ep_text(do_.server) + " outside";
        return c;
    }
    c.detail = "address as translated; no data connection on both sides to confirm the port";
    return c;
}

Check no_private_leak(const Item& item, const Crossing& x, const ControlRecord& sender_c,
                      const ControlRecord& receiver_c) {
    Check c{kNoPrivateLeak, Verdict::kPass, ""};
    const std::optional<SideValue>& rcv = x.from_inside ? item.outside : item.inside;
    if (!rcv) {
        c.verdict = Verdict::kSkip;
        c.detail = std::string("not seen ") + x.receiver_side;
        return c;
    }
    if (item.kind == "epsv") {
        c.detail = "229 carries no address";
        return c;
    }
    const net::IpAddress& a = rcv->endpoint.addr;
    auto on = [&](const ControlRecord& r) { return a == r.client.addr || a == r.server.addr; };
    if (on(sender_c) && !on(receiver_c)) {
        c.verdict = Verdict::kFail;
        c.detail = a.str() + " is an " + x.sender_side + " address and reached the " + x.receiver_side;
        return c;
    }
    if (is_private(a) && !is_private(receiver_c.client.addr) && !is_private(receiver_c.server.addr)) {
        c.verdict = Verdict::kFail;
        c.detail = a.str() + " is private and reached the " + std::string(x.receiver_side) +
                   ", where the control connection uses public addresses";
        return c;
    }
    c.detail = a.str() + " belongs on the " + std::string(x.receiver_side);
    return c;
}

Check data_syn_forwarded(const Item& item) {
    Check c{kDataSynForwarded, Verdict::kPass, ""};
    std::uint64_t in = item.inside ? item.inside->syn.count : 0;
    std::uint64_t out = item.outside ? item.outside->syn.count : 0;
    if (in == 0 && out == 0) {
        c.verdict = Verdict::kSkip;
        c.detail = "no data SYN towards the announced endpoint on either side";
        return c;
    }
    if (in > 0 && out > 0) {
        c.detail = "SYN seen on both sides";
        return c;
    }
    const SideValue& seen = in > 0 ? *item.inside : *item.outside;
    // Named by role too: behind a DNAT the capture a scenario calls "inside" is the server's
    // side, and the SYN an ingress drops goes from the server to the client (moby#31787).
    const char* side = in > 0 ? "inside (the client's side" : "outside (the server's side";
    const char* other = in > 0 ? "outside (the server's side)" : "inside (the client's side)";
    c.verdict = Verdict::kFail;
    c.detail = "SYN from " + ep_text(seen.syn.source) + " to " + ep_text(seen.syn.destination) + " seen " + side +
               ", frame " + std::to_string(seen.syn.first_frame) + ", " + std::to_string(seen.syn.count) +
               "x), never " + other + ": dropped by the device";
    return c;
}

std::string data_state(const char* side, const std::optional<SideValue>& v) {
    if (!v) return std::string("not announced ") + side;
    if (!v->data.transfer) return std::string("no transfer ") + side;
    if (!v->data.established)
        return std::string("not established ") + side +
               (v->data.completion != 0 ? " (transfer ended " + std::to_string(v->data.completion) + ")" : "");
    return std::string("established ") + side + " (frame " + std::to_string(v->data.open_frame) + ")";
}

Check data_established(const Item& item) {
    Check c{kDataEstablishedBothSides, Verdict::kPass, ""};
    bool ti = item.inside && item.inside->data.transfer;
    bool to = item.outside && item.outside->data.transfer;
    bool ei = ti && item.inside->data.established;
    bool eo = to && item.outside->data.established;
    c.detail = data_state("inside", item.inside) + ", " + data_state("outside", item.outside);
    if (!ti && !to && !(item.inside && item.inside->syn.count) && !(item.outside && item.outside->syn.count))
        c.verdict = Verdict::kSkip;
    else if (!(ei && eo))
        c.verdict = Verdict::kFail;
    return c;
}

Check data_bytes_equal(const Item& item) {
    Check c{kDataBytesEqual, Verdict::kSkip, "data connection not established on both sides"};
    if (!item.inside || !item.outside || !item.inside->data.established || !item.outside->data.established)
        return c;
    const DataSeen& a = item.inside->data;
    const DataSeen& b = item.outside->data;
    if (a.bytes == b.bytes && a.sha256 == b.sha256) {
        c.verdict = Verdict::kPass;
        c.detail = std::to_string(a.bytes) + " bytes, sha256 " + a.sha256.substr(0, 16) + "...";
    } else {
        c.verdict = Verdict::kFail;
        c.detail = "inside " + std::to_string(a.bytes) + " bytes sha256 " + a.sha256.substr(0, 16) + "..., outside " +
                   std::to_string(b.bytes) + " bytes sha256 " + b.sha256.substr(0, 16) + "...";
    }
    return c;
}

// RFC 4787 REQ-2 (paired address pooling): on each side the data connection's FTP-client end
// is the control connection's client address. A pool that is not paired sends the passive data
// connection from another public address, which a server refuses (vsftpd's pasv_promiscuous).
Check data_address_paired(const Item& item, const ControlRecord& inside_c, const ControlRecord& outside_c) {
    Check c{kDataAddressPaired, Verdict::kSkip, "no data connection"};
    // After PORT/EPRT the announcement itself says where the data goes (rewrite_matches_wire).
    const bool passive = item.kind == "pasv" || item.kind == "epsv";
    if (!passive) {
        c.detail = "active mode: the announcement names the client end";
        return c;
    }
    auto judge_side = [&](const char* side, const std::optional<SideValue>& v, const ControlRecord& control) {
        if (!v) return;
        std::optional<net::IpAddress> client_end;
        if (v->data.transfer && v->data.established) client_end = v->data.client.addr;
        else if (v->syn.count != 0) client_end = v->syn.source.addr;
        if (!client_end) return;
        if (c.verdict == Verdict::kSkip) {
            c.verdict = Verdict::kPass;
            c.detail.clear();
        }
        if (*client_end == control.client.addr) return;
        c.verdict = Verdict::kFail;
        c.detail += std::string(c.detail.empty() ? "" : "; ") + side + ": the data connection's client end is " +
                    client_end->str() + ", the control connection's " + control.client.addr.str();
    };
    judge_side("inside", item.inside, inside_c);
    judge_side("outside", item.outside, outside_c);
    if (c.verdict == Verdict::kPass) c.detail = "the control connection's client address on both sides";
    return c;
}

std::string treatment(const Item& item, const Crossing& x, const ControlRecord& sender_c,
                      const ControlRecord& receiver_c) {
    if (!item.inside || !item.outside) return item.inside ? (x.from_inside ? "dropped" : "appeared")
                                                          : (x.from_inside ? "appeared" : "dropped");
    // A 229 carries a port only; its address is each side's control server address.
    const bool same = item.kind == "epsv" ? item.inside->endpoint.port == item.outside->endpoint.port
                                          : item.inside->endpoint == item.outside->endpoint;
    if (!same) return "rewritten";
    const bool translated = own_sender(x, sender_c) != translated_sender(x, receiver_c);
    return translated && item.kind != "epsv" ? "not rewritten" : "unchanged";
}

}  // namespace

Item judge_announcement(std::size_t control, const ControlRecord& inside_control,
                        const ControlRecord& outside_control, const Announcement* in, const Announcement* out) {
    Item item;
    item.control = control;
    const AnnouncementKind kind = in != nullptr ? in->kind : out->kind;
    item.kind = announcement_kind_name(kind);
    if (in != nullptr) item.inside = side_value(*in);
    if (out != nullptr) item.outside = side_value(*out);
    if (in != nullptr && out != nullptr)
        item.length_change = static_cast<int>(out->raw.size()) - static_cast<int>(in->raw.size());
    const Crossing x = crossing(kind);
    const ControlRecord& sender_c = x.from_inside ? inside_control : outside_control;
    const ControlRecord& receiver_c = x.from_inside ? outside_control : inside_control;
    item.treatment = treatment(item, x, sender_c, receiver_c);
    item.checks.push_back(rewrite_matches_wire(item, x, sender_c, receiver_c));
    item.checks.push_back(no_private_leak(item, x, sender_c, receiver_c));
    // seq_continuous goes here (judge.cpp inserts it once the whole connection is compared).
    item.checks.push_back(data_syn_forwarded(item));
    item.checks.push_back(data_established(item));
    item.checks.push_back(data_bytes_equal(item));
    item.checks.push_back(data_address_paired(item, inside_control, outside_control));
    return item;
}

}  // namespace ftpsim::natcheck
