// Connections of the capture builder: sequence/ACK bookkeeping and packet construction.
#include "support/pcap_builder.hpp"

#include <tins/ip.h>
#include <tins/ipv6.h>
#include <tins/rawpdu.h>
#include <tins/tcp.h>

#include <algorithm>

namespace ftpsim::testsupport {

std::vector<std::uint8_t> build_ip_packet(const Ep& src, const Ep& dst, std::uint32_t seq,
                                          std::uint32_t ack, std::uint8_t flags,
                                          std::uint16_t window, std::string_view payload,
                                          const std::optional<HandshakeOptions>& syn_options,
                                          std::uint16_t ip_id) {
    Tins::TCP tcp(dst.port, src.port);
    tcp.seq(seq);
    tcp.ack_seq((flags & kAck) != 0 ? ack : 0);
    tcp.flags(flags);
    tcp.window(window);
    if (syn_options) {
        tcp.mss(syn_options->mss);
        if (syn_options->window_scale) tcp.winscale(*syn_options->window_scale);
    }
    if (!payload.empty()) tcp /= Tins::RawPDU(std::string(payload));
    if (src.v6()) {
        Tins::IPv6 ip(Tins::IPv6Address(dst.addr), Tins::IPv6Address(src.addr));
        ip.hop_limit(64);
        ip /= tcp;
        return ip.serialize();
    }
    Tins::IP ip(Tins::IPv4Address(dst.addr), Tins::IPv4Address(src.addr));
    ip.ttl(64);
    ip.id(ip_id);
    ip.flags(Tins::IP::DONT_FRAGMENT);
    ip /= tcp;
    return ip.serialize();
}

Connection::Connection(Capture& capture, std::size_t id, Ep client, Ep server,
                       std::uint32_t client_isn, std::uint32_t server_isn)
    : capture_(capture),
      id_(id),
      client_(std::move(client)),
      server_(std::move(server)),
      next_{client_isn, server_isn} {}

std::size_t Connection::emit(bool from_client, std::uint32_t seq, std::uint8_t flags,
                             std::string_view data, bool syn_options,
                             std::optional<std::uint32_t> ack) {
    BuiltPacket p;
    const Ep& src = from_client ? client_ : server_;
    const Ep& dst = from_client ? server_ : client_;
    p.v6 = src.v6();
    p.conn = id_;
    p.from_client = from_client;
    p.seq = seq;
    p.ack = (flags & kAck) != 0 ? ack.value_or(next_[side(!from_client)]) : 0;
    p.flags = flags;
    p.window = window_[side(from_client)];
    p.payload = std::string(data);
    std::optional<HandshakeOptions> opts;
    if (syn_options) opts = syn_options_;
    p.ip = build_ip_packet(src, dst, p.seq, p.ack, p.flags, p.window, p.payload, opts, ip_id_++);
    capture_.packets.push_back(std::move(p));
    return capture_.packets.size() - 1;
}

std::size_t Connection::handshake(const HandshakeOptions& options) {
    syn_options_ = options;
    mss_ = options.mss;
    std::size_t first = emit(kFromClient, next_[0], kSyn, {}, true);
    ++next_[0];
    emit(kFromServer, next_[1], kSyn | kAck, {}, true);
    ++next_[1];
    emit(kFromClient, next_[0], kAck, {}, false);
    return first;
}

std::size_t Connection::send(std::string_view data, bool from_client) {
    std::size_t first = capture_.packets.size();
    do {
        std::string_view chunk = data.substr(0, std::min<std::size_t>(data.size(), mss_));
        data.remove_prefix(chunk.size());
        emit(from_client, next_[side(from_client)], kPsh | kAck, chunk, false);
        next_[side(from_client)] += static_cast<std::uint32_t>(chunk.size());
    } while (!data.empty());
    return first;
}

std::size_t Connection::ack(bool from_client) {
    return emit(from_client, next_[side(from_client)], kAck, {}, false);
}

std::size_t Connection::ack_at(bool from_client, std::uint32_t ack) {
    return emit(from_client, next_[side(from_client)], kAck, {}, false, ack);
}

std::size_t Connection::segment(bool from_client, std::uint32_t seq, std::string_view data,
                                std::uint8_t flags, bool advance) {
    std::size_t index = emit(from_client, seq, flags, data, false);
    std::uint32_t end = seq + static_cast<std::uint32_t>(data.size());
    std::uint32_t& next = next_[side(from_client)];
    if (advance && static_cast<std::int32_t>(end - next) > 0) next = end;
    return index;
}

std::size_t Connection::fin(bool from_client) {
    std::size_t index = emit(from_client, next_[side(from_client)], kFin | kAck, {}, false);
    ++next_[side(from_client)];
    return index;
}

std::size_t Connection::rst(bool from_client) {
    return emit(from_client, next_[side(from_client)], kRst | kAck, {}, false);
}

std::size_t Connection::close(bool client_first) {
    std::size_t first = fin(client_first);
    fin(!client_first);
    ack(client_first);
    return first;
}

Capture::Capture() = default;
Capture::~Capture() = default;

Connection& Capture::connect(const Ep& client, const Ep& server, std::uint32_t client_isn,
                             std::uint32_t server_isn) {
    conns_.push_back(
        std::make_unique<Connection>(*this, conns_.size(), client, server, client_isn, server_isn));
    return *conns_.back();
}

std::size_t Capture::duplicate(std::size_t index) {
    BuiltPacket copy = packets.at(index);
    packets.push_back(std::move(copy));
    return packets.size() - 1;
}

}  // namespace ftpsim::testsupport
