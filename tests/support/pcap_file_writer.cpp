// Writing a Capture to a file: libtins' PacketWriter for plain Ethernet pcap, by hand for the
// other link types (file header + records), pcapng, snap-length cuts and truncated records; and
// the same records as frames in memory.
#include <tins/ethernetII.h>
#include <tins/ip.h>
#include <tins/ipv6.h>
#include <tins/packet.h>
#include <tins/packet_writer.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>

#include "support/pcap_builder.hpp"

namespace ftpsim::testsupport {
namespace {

constexpr const char* kClientMac = "02:00:00:00:00:01";
constexpr const char* kServerMac = "02:00:00:00:00:02";
constexpr std::uint32_t kSnapLen = 262144;

std::uint32_t file_link_type(LinkType link) {
    switch (link) {
        case LinkType::kEthernet:
        case LinkType::kEthernetVlan: return 1;
        case LinkType::kLinuxSll: return 113;
        case LinkType::kLinuxSll2: return 276;
        case LinkType::kRawIp: return 101;
        case LinkType::kBsdLoopback: return 0;
        case LinkType::kIeee80211: return 105;
    }
    return 1;
}

void put16be(std::vector<std::uint8_t>& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
void put16le(std::vector<std::uint8_t>& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32le(std::vector<std::uint8_t>& b, std::uint32_t v) {
    put16le(b, static_cast<std::uint16_t>(v));
    put16le(b, static_cast<std::uint16_t>(v >> 16));
}
void put32be(std::vector<std::uint8_t>& b, std::uint32_t v) {
    put16be(b, static_cast<std::uint16_t>(v >> 16));
    put16be(b, static_cast<std::uint16_t>(v));
}
void put_mac(std::vector<std::uint8_t>& b, bool client) {
    for (int i = 0; i < 5; ++i) b.push_back(i == 0 ? 0x02 : 0x00);
    b.push_back(client ? 0x01 : 0x02);
}

std::vector<std::uint8_t> link_header(LinkType link, const BuiltPacket& p) {
    std::vector<std::uint8_t> h;
    const std::uint16_t ethertype = p.v6 ? 0x86DD : 0x0800;
    switch (link) {
        case LinkType::kEthernet:
        case LinkType::kEthernetVlan:
            put_mac(h, !p.from_client);  // destination
            put_mac(h, p.from_client);   // source
            if (link == LinkType::kEthernetVlan) {
                put16be(h, 0x8100);
                put16be(h, 100);  // priority 0, VLAN 100
            }
            put16be(h, ethertype);
            break;
        case LinkType::kLinuxSll:  // captured on the client: its packets are outgoing (4)
            put16be(h, p.from_client ? 4 : 0);
            put16be(h, 1);  // ARPHRD_ETHER
            put16be(h, 6);
            put_mac(h, p.from_client);
            put16be(h, 0);
            put16be(h, ethertype);
            break;
        case LinkType::kLinuxSll2:
            put16be(h, ethertype);
            put16be(h, 0);
            put32be(h, 2);  // interface index
            put16be(h, 1);  // ARPHRD_ETHER
            h.push_back(p.from_client ? 4 : 0);
            h.push_back(6);
            put_mac(h, p.from_client);
            put16be(h, 0);
            break;
        case LinkType::kBsdLoopback:
            put32le(h, p.v6 ? 30 : 2);  // AF_INET / macOS AF_INET6
            break;
        case LinkType::kRawIp:
        case LinkType::kIeee80211:
            break;
    }
    return h;
}

struct Record {
    std::int64_t time_ns = 0;
    std::vector<std::uint8_t> data;  // captured bytes
    std::uint32_t wire_length = 0;
};

std::vector<Record> records(const std::vector<BuiltPacket>& packets, const WriteOptions& o) {
    std::vector<Record> out;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const BuiltPacket& p = packets[i];
        Record r;
        r.time_ns = p.time_ns.value_or(o.start_ns + static_cast<std::int64_t>(i) * o.step_ns);
        r.time_ns -= r.time_ns % 1000;  // the files hold microseconds
        r.data = link_header(o.link, p);
        r.wire_length = static_cast<std::uint32_t>(r.data.size() + p.ip.size());
        std::size_t keep = std::min(p.ip.size(), p.captured_ip_bytes.value_or(p.ip.size()));
        r.data.insert(r.data.end(), p.ip.begin(), p.ip.begin() + static_cast<std::ptrdiff_t>(keep));
        out.push_back(std::move(r));
    }
    return out;
}

// Returns the file offset where the last record's data starts.
std::size_t write_pcap(std::vector<std::uint8_t>& f, const std::vector<Record>& recs,
                       std::uint32_t link) {
    put32le(f, 0xa1b2c3d4);  // microsecond timestamps
    put16le(f, 2);
    put16le(f, 4);
    put32le(f, 0);
    put32le(f, 0);
    put32le(f, kSnapLen);
    put32le(f, link);
    std::size_t last = f.size();
    for (const Record& r : recs) {
        put32le(f, static_cast<std::uint32_t>(r.time_ns / 1'000'000'000));
        put32le(f, static_cast<std::uint32_t>(r.time_ns % 1'000'000'000 / 1000));
        put32le(f, static_cast<std::uint32_t>(r.data.size()));
        put32le(f, r.wire_length);
        last = f.size();
        f.insert(f.end(), r.data.begin(), r.data.end());
    }
    return last;
}

std::size_t write_pcapng(std::vector<std::uint8_t>& f, const std::vector<Record>& recs,
                         std::uint32_t link) {
    put32le(f, 0x0A0D0D0A);  // section header block
    put32le(f, 28);
    put32le(f, 0x1A2B3C4D);
    put16le(f, 1);
    put16le(f, 0);
    put32le(f, 0xFFFFFFFF);  // section length: unknown
    put32le(f, 0xFFFFFFFF);
    put32le(f, 28);
    put32le(f, 1);  // interface description block, default resolution: microseconds
    put32le(f, 20);
    put16le(f, static_cast<std::uint16_t>(link));
    put16le(f, 0);
    put32le(f, kSnapLen);
    put32le(f, 20);
    std::size_t last = f.size();
    for (const Record& r : recs) {
        std::size_t padded = (r.data.size() + 3) / 4 * 4;
        auto total = static_cast<std::uint32_t>(32 + padded);
        auto usec = static_cast<std::uint64_t>(r.time_ns / 1000);
        put32le(f, 6);  // enhanced packet block
        put32le(f, total);
        put32le(f, 0);
        put32le(f, static_cast<std::uint32_t>(usec >> 32));
        put32le(f, static_cast<std::uint32_t>(usec));
        put32le(f, static_cast<std::uint32_t>(r.data.size()));
        put32le(f, r.wire_length);
        last = f.size();
        f.insert(f.end(), r.data.begin(), r.data.end());
        f.resize(f.size() + padded - r.data.size(), 0);
        put32le(f, total);
    }
    return last;
}

void write_with_libtins(const std::filesystem::path& path, const std::vector<BuiltPacket>& packets,
                        const WriteOptions& o) {
    Tins::PacketWriter writer(path.string(), Tins::DataLinkType<Tins::EthernetII>());
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const BuiltPacket& p = packets[i];
        using Mac = Tins::EthernetII::address_type;
        Tins::EthernetII eth(Mac(p.from_client ? kServerMac : kClientMac),
                             Mac(p.from_client ? kClientMac : kServerMac));
        const auto size = static_cast<std::uint32_t>(p.ip.size());
        if (p.v6) {
            eth /= Tins::IPv6(p.ip.data(), size);
        } else {
            eth /= Tins::IP(p.ip.data(), size);
        }
        std::int64_t ns = p.time_ns.value_or(o.start_ns + static_cast<std::int64_t>(i) * o.step_ns);
        Tins::Packet packet(eth, Tins::Timestamp(std::chrono::microseconds(ns / 1000)));
        writer.write(packet);
    }
}

}  // namespace

std::vector<BuiltFrame> Capture::frames(const WriteOptions& options) const {
    std::vector<BuiltFrame> out;
    const int link = static_cast<int>(file_link_type(options.link));
    for (Record& r : records(packets, options))
        out.push_back(BuiltFrame{link, r.time_ns, r.wire_length, std::move(r.data)});
    return out;
}

void Capture::write(const std::filesystem::path& path, const WriteOptions& options) const {
    const bool cut = std::any_of(packets.begin(), packets.end(),
                                 [](const BuiltPacket& p) { return p.captured_ip_bytes.has_value(); });
    if (options.link == LinkType::kEthernet && options.format == FileFormat::kPcap &&
        !options.truncate_last_record && !cut) {
        write_with_libtins(path, packets, options);
        return;
    }
    std::vector<Record> recs = records(packets, options);
    std::vector<std::uint8_t> file;
    const std::uint32_t link = file_link_type(options.link);
    std::size_t last = options.format == FileFormat::kPcap ? write_pcap(file, recs, link)
                                                           : write_pcapng(file, recs, link);
    if (options.truncate_last_record && !recs.empty())
        file.resize(last + std::min(*options.truncate_last_record, recs.back().data.size()));
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(file.data()), static_cast<std::streamsize>(file.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace ftpsim::testsupport
