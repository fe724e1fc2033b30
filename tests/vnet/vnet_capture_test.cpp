// The capture the virtual network writes: reproducible byte for byte from a seed, different
// ISNs for a different seed, frames within the MTU, checksums valid (checked by tshark when it
// is installed), and the wire encoding of single segments.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>

#include "sim/vnet/wire.hpp"
#include "vnet/vnet_support.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

std::uint32_t le32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(s[at + static_cast<std::size_t>(i)]);
    return v;
}
std::uint32_t be32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<std::uint8_t>(s[at + static_cast<std::size_t>(i)]);
    return v;
}

// Every frame of a classic pcap file.
std::vector<std::string> frames_of(const std::string& file) {
    std::vector<std::string> out;
    std::size_t at = 24;
    while (at + 16 <= file.size()) {
        const std::uint32_t len = le32(file, at + 8);
        out.push_back(file.substr(at + 16, len));
        at += 16 + len;
    }
    return out;
}

// The ISN of every SYN (with or without ACK) in the capture, IPv4 only.
std::vector<std::uint32_t> isns(const std::string& file) {
    std::vector<std::uint32_t> out;
    for (const auto& f : frames_of(file)) {
        if (f.size() < 54 || static_cast<std::uint8_t>(f[12]) != 0x08) continue;
        if (static_cast<std::uint8_t>(f[14 + 20 + 13]) & kSyn) out.push_back(be32(f, 14 + 20 + 4));
    }
    return out;
}

struct Ipv4Tcp {
    std::uint8_t ttl = 0;
    std::uint16_t ip_id = 0, src_port = 0;
    std::uint8_t flags = 0;
    std::string options;  // the TCP options' bytes
    std::string src;      // the IPv4 source, 4 bytes
};

std::vector<Ipv4Tcp> ipv4_tcp_frames(const std::string& file) {
    std::vector<Ipv4Tcp> out;
    for (const auto& f : frames_of(file)) {
        if (f.size() < 54 || static_cast<std::uint8_t>(f[12]) != 0x08) continue;
        Ipv4Tcp t;
        t.ttl = static_cast<std::uint8_t>(f[14 + 8]);
        t.ip_id = static_cast<std::uint16_t>(static_cast<std::uint8_t>(f[18]) << 8 | static_cast<std::uint8_t>(f[19]));
        t.src = f.substr(14 + 12, 4);
        t.src_port = static_cast<std::uint16_t>(static_cast<std::uint8_t>(f[34]) << 8 | static_cast<std::uint8_t>(f[35]));
        t.flags = static_cast<std::uint8_t>(f[34 + 13]);
        const std::size_t data_offset = (static_cast<std::uint8_t>(f[34 + 12]) >> 4) * 4u;
        t.options = f.substr(54, data_offset - 20);
        out.push_back(t);
    }
    return out;
}

// A Windows client against a Linux server: each side's SYN shows its OS, Windows counts IPv4 IDs
// per host, Linux per connection from a random start, Windows' ephemeral ports are IANA's.
TEST(VnetCapture, OsProfilesShowInTheirSegments) {
    VnetScenario sc;
    sc.network.hosts[0].tcp = windows_profile();
    const auto pcap = temp_path("profiles");
    Fixture fx;
    ASSERT_TRUE(fx.run(pcap, standard_ops(), sc).client_finished);
    const auto frames = ipv4_tcp_frames(read_file(pcap));
    const std::string client = frames.at(0).src;
    const std::string windows_syn("\x02\x04\x05\xb4\x01\x03\x03\x08\x01\x01\x04\x02", 12);
    std::map<std::uint16_t, std::vector<std::uint16_t>> linux_ids;  // by server port
    std::vector<std::uint16_t> windows_ids;
    for (const auto& t : frames) {
        const bool from_client = t.src == client;
        EXPECT_EQ(t.ttl, from_client ? 128 : 64);
        if (from_client) {
            windows_ids.push_back(t.ip_id);
            if (t.flags == kSyn) {
                EXPECT_EQ(t.options, windows_syn);
                EXPECT_GE(t.src_port, 49152);
            }
        } else {
            linux_ids[t.src_port].push_back(t.ip_id);
            // Linux answers the options Windows offered in its own order, timestamps refused.
            if (t.flags == (kSyn | kAck)) {
                EXPECT_EQ(t.options.substr(0, 4), std::string("\x02\x04\x05\xb4", 4));
            }
        }
    }
    for (std::size_t i = 1; i < windows_ids.size(); ++i)
        EXPECT_EQ(windows_ids[i], static_cast<std::uint16_t>(windows_ids[i - 1] + 1)) << i;
    ASSERT_GE(linux_ids.size(), 2u);  // the control port and the passive data ports
    std::set<std::uint16_t> starts;
    for (const auto& [port, ids] : linux_ids) {
        starts.insert(ids.front());
        for (std::size_t i = 1; i < ids.size(); ++i)
            EXPECT_EQ(ids[i], static_cast<std::uint16_t>(ids[i - 1] + 1)) << "port " << port;
    }
    EXPECT_EQ(starts.size(), linux_ids.size());  // each connection its own random start
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetCapture, SameSeedSameBytesOtherSeedOtherIsns) {
    const auto a = temp_path("seed_a");
    const auto b = temp_path("seed_b");
    const auto c = temp_path("seed_c");
    VnetScenario sc;
    sc.network.seed = 1234;
    Fixture(64 * 1024).run(a, standard_ops(), sc);
    Fixture(64 * 1024).run(b, standard_ops(), sc);
    sc.network.seed = 1235;
    Fixture(64 * 1024).run(c, standard_ops(), sc);
    const std::string fa = read_file(a), fb = read_file(b), fc = read_file(c);
    ASSERT_GT(fa.size(), 64u * 1024);
    EXPECT_TRUE(fa == fb) << "two runs with one seed differ";
    const auto ia = isns(fa), ic = isns(fc);
    ASSERT_EQ(ia.size(), 6u);  // SYN and SYN-ACK of control, LIST and RETR connections
    ASSERT_EQ(ic.size(), ia.size());
    for (std::size_t i = 0; i < ia.size(); ++i) EXPECT_NE(ia[i], ic[i]) << i;
    if (!keep()) {
        std::remove(a.c_str());
        std::remove(b.c_str());
        std::remove(c.c_str());
    }
}

TEST(VnetCapture, FramesFitTheMtuAndChecksumsAreValid) {
    for (const bool v6 : {false, true}) {
        for (const std::uint32_t mtu : {1500u, 1280u}) {
            Fixture fx(200 * 1024);
            VnetScenario sc;
            sc.ipv6 = v6;
            sc.network.link.mtu = mtu;
            if (v6) fx.client.mode = DataMode::kExtendedPassive;
            const auto pcap = temp_path(std::string("mtu_") + (v6 ? "6_" : "4_") + std::to_string(mtu));
            const auto r = fx.run(pcap, standard_ops(), sc);
            ASSERT_TRUE(r.client_finished);
            EXPECT_EQ(r.results[4].sha256, sha_of(fx.file));
            std::size_t largest = 0;
            for (const auto& f : frames_of(read_file(pcap))) largest = std::max(largest, f.size());
            EXPECT_LE(largest, mtu + 14);
            EXPECT_EQ(largest, mtu + 14) << "full-sized segments fill the MTU";
            if (std::system("command -v tshark >/dev/null 2>&1") == 0) {
                const std::string cmd = "tshark -r " + pcap +
                    " -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE"
                    " -Y 'tcp.checksum.status==Bad || ip.checksum.status==Bad' 2>/dev/null; echo rc=$?";
                std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
                ASSERT_TRUE(p);
                std::string out;
                std::array<char, 256> buf{};
                while (std::fgets(buf.data(), buf.size(), p.get())) out += buf.data();
                EXPECT_EQ(out, "rc=0\n") << pcap;  // no bad frame printed, tshark read the file
            }
            if (!keep()) std::remove(pcap.c_str());
        }
    }
}

// RFC 1122 §4.2.3.2: the receiver acknowledges at least every second full-sized segment, so
// no pure ACK of the download's receiver covers more than two segments' worth of new data.
TEST(VnetCapture, DelayedAckCoversAtMostTwoSegments) {
    const auto pcap = temp_path("delack");
    Fixture fx(256 * 1024);
    fx.run(pcap, standard_ops());
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> last_ack;  // ports -> ack
    std::uint32_t largest = 0;
    int two_segment_acks = 0;
    for (const auto& f : frames_of(read_file(pcap))) {
        if (static_cast<std::uint8_t>(f[12]) != 0x08 || static_cast<std::uint8_t>(f[29]) != 2) continue;  // from 10.0.0.2
        const std::size_t tcp = 14 + 20;
        const std::size_t header = (static_cast<std::uint8_t>(f[tcp + 12]) >> 4) * 4u;
        const bool pure_ack = static_cast<std::uint8_t>(f[tcp + 13]) == kAck && f.size() == tcp + header;
        const std::pair<std::uint32_t, std::uint32_t> ports{be32(f, tcp) >> 16, be32(f, tcp) & 0xffff};
        const std::uint32_t ack = be32(f, tcp + 8);
        if (!(static_cast<std::uint8_t>(f[tcp + 13]) & kAck)) continue;  // a SYN: no ACK yet
        if (pure_ack && last_ack.count(ports)) {
            const std::uint32_t delta = ack - last_ack[ports];
            largest = std::max(largest, delta);
            if (delta == 2 * 1448) ++two_segment_acks;
        }
        last_ack[ports] = ack;
    }
    EXPECT_LE(largest, 2u * 1448);
    EXPECT_GT(two_segment_acks, 50);
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetWire, ChecksumOfKnownHeader) {
    // The IPv4 header example of RFC 1071's companion literature: checksum 0xb861.
    const std::uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                              0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    EXPECT_EQ(internet_checksum(h, sizeof h), 0xb861);
}

TEST(VnetWire, SynOptionsInLinuxOrder) {
    Segment s;
    net::IpAddress::parse("10.0.0.2", s.src.addr);
    net::IpAddress::parse("10.0.0.1", s.dst.addr);
    s.flags = kSyn;
    s.mss = 1460;
    s.sack_permitted = true;
    s.timestamps = std::make_pair(1u, 0u);
    s.wscale = 7;
    EXPECT_EQ(tcp_options_length(s), 20u);
    const auto f = encode_frame(s, FrameAddressing{});
    ASSERT_EQ(f.size(), 14u + 20 + 40);
    const std::uint8_t want[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
    EXPECT_TRUE(std::equal(std::begin(want), std::end(want), f.begin() + 54));
    // A valid checksum sums to zero over the header with the pseudo-header.
    std::uint32_t pseudo = 0x0a00 + 0x0002 + 0x0a00 + 0x0001 + 6 + 40;
    EXPECT_EQ(internet_checksum(f.data() + 34, 40, pseudo), 0);
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
