// `ftpsim analyze` in a fixed amount of memory whatever the capture holds: run under
// `ulimit -v`, on a capture built to make an unbounded analyzer grow past it. A thousand control
// connections each send 256 KiB of one endless line that the server never acknowledges (a
// one-sided capture, as behind asymmetric routing): each direction may keep its last 256 KiB for
// comparison with retransmissions, 250 MiB in all without the tracker's total budget, and each
// line is cut at the analyzer's limit. The limit, 192 MiB of address space, is far above what the
// analyzer needs (under 64 MiB) and below what keeping everything would take.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"

namespace ftpsim::testsupport {
namespace {

namespace fs = std::filesystem;

// A classic little-endian pcap written record by record, Ethernet + IPv4 + TCP, no checksums.
class RawPcap {
public:
    explicit RawPcap(const fs::path& p) : out_(p, std::ios::binary) {
        const std::uint32_t header[] = {0xa1b2c3d4, 0x00040002, 0, 0, 262144, 1};
        out_.write(reinterpret_cast<const char*>(header), sizeof header);  // 24 bytes, version 2.4, Ethernet
    }
    void segment(std::uint32_t src_ip, std::uint16_t sport, std::uint32_t dst_ip, std::uint16_t dport,
                 std::uint32_t seq, std::uint8_t flags, const std::string& payload) {
        std::vector<std::uint8_t> f(54 + payload.size());
        f[12] = 0x08;  // IPv4
        f[14] = 0x45;
        put16(&f[16], static_cast<std::uint32_t>(20 + 20 + payload.size()));
        f[22] = 64;
        f[23] = 6;
        put32(&f[26], src_ip);
        put32(&f[30], dst_ip);
        put16(&f[34], sport);
        put16(&f[36], dport);
        put32(&f[38], seq);
        f[46] = 0x50;
        f[47] = flags;
        put16(&f[48], 65535);
        std::copy(payload.begin(), payload.end(), f.begin() + 54);
        ++usec_;
        const std::uint32_t rec[] = {1700000000u + usec_ / 1000000, usec_ % 1000000,
                                     static_cast<std::uint32_t>(f.size()), static_cast<std::uint32_t>(f.size())};
        out_.write(reinterpret_cast<const char*>(rec), sizeof rec);
        out_.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.size()));
    }
    bool ok() { out_.flush(); return static_cast<bool>(out_); }

private:
    static void put16(std::uint8_t* p, std::uint32_t v) { p[0] = std::uint8_t(v >> 8); p[1] = std::uint8_t(v); }
    static void put32(std::uint8_t* p, std::uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
    std::ofstream out_;
    std::uint32_t usec_ = 0;
};

constexpr std::uint8_t kSyn = 0x02, kAck = 0x10, kPsh = 0x08;

TEST(MemoryLimit, AnalyzeStaysWithinAFixedAddressSpaceOnAHostileCapture) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-memory-limit-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path capture = dir / "one-sided.pcap";
    {
        RawPcap pcap(capture);
        const std::uint32_t client = 0xc0a80105, server = 0xc0a8010a;  // 192.168.1.5, 192.168.1.10
        // A thousand control connections, each a line that never ends (256 KiB of it), never
        // acknowledged, never closed. Control connections, because the analyzer reassembles only
        // FTP connections.
        const std::string piece(1460, 'A');
        for (std::uint16_t k = 0; k < 1000; ++k) {
            const auto port = static_cast<std::uint16_t>(30000 + k);
            pcap.segment(client, port, server, 21, 999, kSyn, "");
            for (std::uint32_t j = 0; j < 180; ++j)  // 262800 bytes
                pcap.segment(client, port, server, 21, 1000 + j * 1460, kAck | kPsh, piece);
        }
        ASSERT_TRUE(pcap.ok()) << "cannot write " << capture;
    }
    const std::string command = "ulimit -v 196608 && exec '" + std::string(FTPSIM_BINARY) + "' analyze '" +
                                capture.string() + "' --format json > '" + (dir / "out.json").string() +
                                "' 2> '" + (dir / "err.txt").string() + "'";
    const int status = std::system(("bash -c \"" + command + "\"").c_str());
    const std::string err = read_file(dir / "err.txt");
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "status " << status << " under ulimit -v 196608: " << err.substr(0, 2000);
    EXPECT_GT(fs::file_size(dir / "out.json"), 0u);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ftpsim::testsupport
