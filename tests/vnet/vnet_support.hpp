// Helpers for the virtual-network tests: a standard server tree, ops, the analyzer's events.
#pragma once

#include <cstdint>
#include <cstdlib>
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
#include "support/read_file.hpp"

namespace ftpsim::sim::vnet::test {

using Kind = ClientOp::Kind;

inline ClientOp op(Kind kind, std::string arg = {}) {
    ClientOp o;
    o.kind = kind;
    o.arg = std::move(arg);
    return o;
}

struct Collect : analyzer::EventSink {
    std::vector<analyzer::Event> events;
    std::vector<std::string> warnings;
    void on_event(const analyzer::Event& e) override { events.push_back(e); }
    void on_warning(const std::string& m) override { warnings.push_back(m); }

    std::vector<std::string> commands() const {
        std::vector<std::string> out;
        for (const auto& e : events) {
            if (const auto* c = std::get_if<analyzer::CommandEvent>(&e.body)) out.push_back(c->verb);
        }
        return out;
    }
    std::vector<int> replies() const {
        std::vector<int> out;
        for (const auto& e : events) {
            if (const auto* r = std::get_if<analyzer::ReplyEvent>(&e.body)) out.push_back(r->code);
        }
        return out;
    }
    std::vector<analyzer::DataEvent> data() const {
        std::vector<analyzer::DataEvent> out;
        for (const auto& e : events) {
            if (const auto* d = std::get_if<analyzer::DataEvent>(&e.body)) out.push_back(*d);
        }
        return out;
    }
    // (connection, event) for every tcp.analysis event, in order.
    std::vector<std::pair<std::uint64_t, tcp::TcpEvent>> tcp_events() const {
        std::vector<std::pair<std::uint64_t, tcp::TcpEvent>> out;
        for (const auto& e : events) {
            if (const auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body)) out.emplace_back(e.conn, t->event);
        }
        return out;
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
                   VnetScenario sc = {}) {
        return run_ftp_session(sc, server, fs, client, std::move(ops), pcap);
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

inline std::string temp_path(const std::string& name) {
    return ::testing::TempDir() + "vnet_" + name + ".pcap";
}

}  // namespace ftpsim::sim::vnet::test
