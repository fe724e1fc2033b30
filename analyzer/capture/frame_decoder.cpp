#include "capture/frame_decoder.hpp"

#include <tins/arp.h>
#include <tins/exceptions.h>
#include <tins/hw_address.h>
#include <tins/ip.h>
#include <tins/ipv6.h>
#include <tins/tcp.h>

#include "capture/link_layer.hpp"

namespace ftpsim::capture {
namespace {

constexpr std::uint8_t kProtoTcp = 6;

std::string ip_protocol_name(std::uint8_t proto) {
    switch (proto) {
        case 1: return "ICMP";
        case 6: return "TCP";
        case 17: return "UDP";
        case 58: return "ICMPv6";
        default: return "IP proto " + std::to_string(proto);
    }
}

std::string ethertype_name(std::uint16_t type) {
    switch (type) {
        case 0x0806: return "ARP";
        case 0x88CC: return "LLDP";
        default: return "Ethertype 0x" + [type] {
            char buf[8];
            std::snprintf(buf, sizeof buf, "%04x", type);
            return std::string(buf);
        }();
    }
}

// Wireshark's ARP summary; for the packet table only.
void describe_arp(const std::uint8_t* p, std::size_t len, DecodedFrame& out) {
    Tins::ARP arp(p, static_cast<std::uint32_t>(len));
    out.source = arp.sender_hw_addr().to_string();
    out.destination = arp.target_hw_addr().to_string();
    if (arp.opcode() == Tins::ARP::REQUEST)
        out.info = "Who has " + arp.target_ip_addr().to_string() + "? Tell " +
                   arp.sender_ip_addr().to_string();
    else
        out.info = arp.sender_ip_addr().to_string() + " is at " + arp.sender_hw_addr().to_string();
}

void fill_tcp(const Tins::TCP& t, tcp::TcpSegment& seg) {
    seg.src.port = t.sport();
    seg.dst.port = t.dport();
    seg.seq = t.seq();
    seg.ack = t.ack_seq();
    seg.flags = static_cast<std::uint8_t>(t.flags());
    seg.window = t.window();
    // Options matter only on SYNs (MSS, window scale: RFC 9293 §3.7.1, RFC 7323 §2.2).
    if (seg.has(tcp::kSyn)) {
        if (t.search_option(Tins::TCP::MSS) != nullptr) seg.mss = t.mss();
        if (t.search_option(Tins::TCP::WSCALE) != nullptr) seg.window_scale = t.winscale();
    }
    if (t.search_option(Tins::TCP::SACK) != nullptr) {
        // libtins returns the edges as a flat list: left, right, left, right ...
        const Tins::TCP::sack_type edges = t.sack();
        for (std::size_t i = 0; i + 1 < edges.size() && seg.sack_count < seg.sack.size(); i += 2)
            seg.sack[seg.sack_count++] = {edges[i], edges[i + 1]};
    }
}

}  // namespace

DecodedFrame decode_frame(const RawFrame& frame, bool describe) {
    DecodedFrame out;
    out.cut_by_snaplen = frame.bytes.size() < frame.wire_length;
    auto net = locate_network_layer(frame.link_type, frame.bytes);
    if (!net) {
        out.protocol = "?";
        out.problem = "frame shorter than its link-layer header";
        return out;
    }
    if (net->ip_version == 0) {
        out.protocol = ethertype_name(net->ethertype);
        if (describe && net->ethertype == 0x0806) {
            try {
                describe_arp(frame.bytes.data() + net->offset, frame.bytes.size() - net->offset, out);
            } catch (const Tins::exception_base&) {
                out.info = "malformed ARP";
            }
        }
        return out;
    }
    const std::uint8_t* l3 = frame.bytes.data() + net->offset;
    const std::size_t l3_len = frame.bytes.size() - net->offset;
    try {
        tcp::TcpSegment seg;
        seg.frame = frame.number;
        seg.time = frame.time;
        std::size_t ip_header = 0;
        std::size_t ip_total = 0;  // header + payload as the IP header declares it
        const Tins::TCP* t = nullptr;
        std::optional<Tins::IP> ip4;
        std::optional<Tins::IPv6> ip6;
        if (net->ip_version == 4) {
            ip4.emplace(l3, static_cast<std::uint32_t>(l3_len));
            if (describe) {
                out.source = ip4->src_addr().to_string();
                out.destination = ip4->dst_addr().to_string();
            }
            if (ip4->protocol() != kProtoTcp) {
                out.protocol = ip_protocol_name(ip4->protocol());
                return out;
            }
            out.protocol = "TCP";
            if (ip4->is_fragmented()) {
                out.problem = "IP fragment (FTP over fragmented IP is not reassembled)";
                return out;
            }
            std::uint32_t a = ip4->src_addr();  // libtins keeps IPv4 addresses in network order
            seg.src.addr = net::IpAddress::from_v4_bytes(reinterpret_cast<const std::uint8_t*>(&a));
            std::uint32_t b = ip4->dst_addr();
            seg.dst.addr = net::IpAddress::from_v4_bytes(reinterpret_cast<const std::uint8_t*>(&b));
            ip_header = ip4->header_size();
            ip_total = ip4->tot_len();
            t = ip4->find_pdu<Tins::TCP>();
        } else {
            ip6.emplace(l3, static_cast<std::uint32_t>(l3_len));
            if (describe) {
                out.source = ip6->src_addr().to_string();
                out.destination = ip6->dst_addr().to_string();
            }
            t = ip6->find_pdu<Tins::TCP>();
            // The upper layer behind any extension headers (MLD reports come after hop-by-hop).
            const Tins::PDU* upper = ip6->inner_pdu();
            out.protocol = t != nullptr ? "TCP"
                           : upper != nullptr && upper->pdu_type() == Tins::PDU::ICMPv6 ? "ICMPv6"
                           : upper != nullptr && upper->pdu_type() == Tins::PDU::UDP    ? "UDP"
                                                                                        : "IPv6";
            if (t == nullptr) return out;
            seg.src.addr = net::IpAddress::from_v6_bytes(ip6->src_addr().begin());
            seg.dst.addr = net::IpAddress::from_v6_bytes(ip6->dst_addr().begin());
            ip_header = ip6->header_size();  // extension headers included
            ip_total = 40 + ip6->payload_length();
        }
        if (t == nullptr) {
            out.problem = "TCP header missing or malformed";
            return out;
        }
        fill_tcp(*t, seg);
        // The payload is taken from the frame itself (no copy): it ends where the IP header
        // says (Ethernet pads short frames) or where the capture stopped (snap length).
        std::size_t start = ip_header + t->header_size();
        std::size_t end = std::min(l3_len, ip_total);
        if (start <= end) seg.payload = std::span<const std::uint8_t>(l3 + start, end - start);
        if (ip_total > l3_len) seg.captured_payload_missing = static_cast<std::uint32_t>(ip_total - l3_len);
        out.tcp = seg;
    } catch (const Tins::exception_base& e) {
        out.problem = std::string("malformed IP/TCP headers (") + e.what() + ")";
        out.tcp.reset();
    }
    return out;
}

}  // namespace ftpsim::capture
