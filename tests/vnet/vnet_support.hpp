// Helpers for the virtual-network tests: a standard server tree, ops, the analyzer's events.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "decode/analyzer.hpp"
#include "hash/sha256.hpp"
#include "sim/engine/client_session.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "sim/engine/server_config.hpp"
#include "sim/vnet/ftp_driver.hpp"
#include "support/event_collector.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim::vnet::test {

using Kind = ClientOp::Kind;

inline ClientOp op(Kind kind, std::string arg = {}) {
    ClientOp o;
    o.kind = kind;
    o.arg = std::move(arg);
    return o;
}

using testsupport::EventCollector;

// Pushes the network's frames into an Analyzer as they go onto the wire (no pcap read back).
struct AnalyzingTap : FrameTap {
    EventCollector events;
    analyzer::Analyzer analyzer{events, {}, "vnet"};
    std::uint64_t frames = 0;

    void on_frame(std::int64_t time_ns, std::span<const std::uint8_t> frame) override {
        capture::RawFrame raw;
        raw.number = ++frames;
        raw.time = time_ns;
        raw.wire_length = static_cast<std::uint32_t>(frame.size());
        raw.bytes = frame;
        analyzer.put(raw);
    }
};

using testsupport::read_file;

inline std::string sha_of(const std::string& s) {
    return analyzer::sha256_hex({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

// A server with an anonymous login and /pub/file.bin (generated, `size` bytes).
struct Fixture {
    ServerConfig server;
    MemoryFileSystem fs;
    ClientConfig client;
    std::string file;

    explicit Fixture(std::uint64_t size = 64 * 1024) {
        server.anonymous = true;
        fs.add_generated("/pub/file.bin", size, 42);
        file = *fs.content("/pub/file.bin");
    }

    VnetResult run(const std::string& pcap, std::vector<ClientOp> ops,
                   VnetScenario sc = {}, FrameTap* tap = nullptr) {
        return run_ftp_session(sc, server, fs, client, std::move(ops), pcap, tap);
    }
};

inline std::vector<ClientOp> standard_ops(std::uint64_t stall_after = 0, Nanos stall_for = 0,
                                          std::uint32_t receive_buffer = 0) {
    ClientOp retr = op(Kind::kRetr, "/pub/file.bin");
    retr.stall_after = stall_after;
    retr.stall_for = stall_for;
    retr.receive_buffer = receive_buffer;
    return {op(Kind::kLogin), op(Kind::kPwd), op(Kind::kType), op(Kind::kList, "/pub"), retr,
            op(Kind::kQuit)};
}

// FTPSIM_VNET_KEEP set: tests leave their captures in the temporary directory to look at.
inline bool keep() { return std::getenv("FTPSIM_VNET_KEEP") != nullptr; }

// CTest runs each test as its own process, two at a time, and several tests write a capture of
// the same name ("plain"): the process id keeps them from overwriting each other's file.
inline std::string temp_path(const std::string& name) {
    return ::testing::TempDir() + "vnet_" + std::to_string(::getpid()) + "_" + name + ".pcap";
}

// Whether a temporary of `path` (".NAME.partial.PID.N" beside it, golden/atomic_file.hpp) is
// still there: a finished or abandoned capture leaves none.
inline bool partial_left_of(const std::string& path) {
    const std::filesystem::path p(path);
    const std::string prefix = "." + p.filename().string() + ".partial.";
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(p.parent_path(), ec))
        if (e.path().filename().string().rfind(prefix, 0) == 0) return true;
    return false;
}

}  // namespace ftpsim::sim::vnet::test
