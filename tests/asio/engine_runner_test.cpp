// The Boost.Asio runner carrying out each kind of action on real loopback sockets, driven by a
// scripted engine: control writes and closes, passive listen with a refused peer, memory and
// sendfile sends, active connect from a fixed port, reads, EOF, pauses, timers.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "asio/loopback_socket.hpp"
#include "asio/script_engine.hpp"
#include "sim/asio/socket_util.hpp"

namespace ftpsim::asio_test {
namespace {

using namespace std::chrono_literals;
using sim::CloseControl;
using sim::CloseData;
using sim::ConnectData;
using sim::ListenData;
using sim::SendControl;
using sim::SendData;

std::uint16_t port_of(const std::string& event) {  // "listening 1 40123" -> 40123
    return static_cast<std::uint16_t>(std::stoi(event.substr(event.rfind(' ') + 1)));
}

TEST(EngineRunner, ControlWritesInOrderThenClosesGracefully) {
    auto engine = std::make_shared<ScriptEngine>();
    engine->react = [](ScriptEngine& e, const std::string& ev) {
        if (ev.rfind("connected", 0) == 0) {
            e.push(SendControl{"220-first\r\n", {}});
            e.push(SendControl{"220 second\r\n", {}});
        }
        if (ev.rfind("control", 0) == 0 && e.control().find("QUIT\r\n") != std::string::npos) {
            e.push(SendControl{"221 bye\r\n", {}});
            e.push(CloseControl{});
            e.push(SendControl{"dropped: after CloseControl\r\n", {}});
            e.set_finished();
        }
    };
    RunnerHarness h(engine);
    LoopbackSocket c(h.port());
    EXPECT_EQ(c.read_until("220 second\r\n"), "220-first\r\n220 second\r\n");
    c.send_all("QUIT\r\n");
    EXPECT_EQ(c.read_to_eof(), "221 bye\r\n");
    EXPECT_TRUE(c.saw_eof());
    EXPECT_TRUE(h.wait_done());
    EXPECT_TRUE(engine->wait_for("connected 127.0.0.1:"));
}

TEST(EngineRunner, PeerCloseIsReportedAndTheRunnerEnds) {
    auto engine = std::make_shared<ScriptEngine>();
    engine->react = [](ScriptEngine& e, const std::string& ev) {
        if (ev == "control_closed") {
            e.push(CloseControl{});
            e.set_finished();
        }
    };
    RunnerHarness h(engine);
    {
        LoopbackSocket c(h.port());
        ASSERT_TRUE(engine->wait_for("connected"));
    }
    EXPECT_TRUE(engine->wait_for("control_closed"));
    EXPECT_TRUE(h.wait_done());
}

TEST(EngineRunner, PassiveRefusesAPeerKeepsListeningThenSendsMemoryAndFileSlices) {
    const auto dir = std::filesystem::temp_directory_path() / ("ftpsim_runner_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "big.bin";
    std::string content(3 * 1024 * 1024 + 17, '\0');
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 131) ^ (i >> 9));
    std::ofstream(file, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
    auto memory = std::make_shared<const std::string>("0123456789");

    auto engine = std::make_shared<ScriptEngine>();
    int connections = 0, sent = 0;
    engine->react = [&](ScriptEngine& e, const std::string& ev) {
        if (ev.rfind("connected", 0) == 0) e.push(ListenData{1, 0, 0, false});
        if (ev.rfind("data_connected 1", 0) == 0 && ++connections == 1) {
            e.push(CloseData{1, true, true});  // refuse the first peer, keep listening
        } else if (ev.rfind("data_connected 1", 0) == 0) {
            e.push(SendData{1, sim::MemorySlice{memory, 3, 5}});
            e.push(SendData{1, sim::FileSlice{file.string(), 100, content.size() - 100}});
        }
        if (ev == "sent 1" && ++sent == 2) {
            e.push(CloseData{1, false});
            e.push(SendControl{"226 done\r\n", {}});
            e.push(CloseControl{});
            e.set_finished();
        }
    };
    RunnerHarness h(engine);
    LoopbackSocket c(h.port());
    ASSERT_TRUE(engine->wait_for("listening 1 "));
    const std::uint16_t port = port_of(engine->event("listening 1 "));

    LoopbackSocket refused(port);
    refused.read_to_eof(3s);
    EXPECT_TRUE(refused.saw_reset()) << "the refused peer gets RST";
    LoopbackSocket kept(port);
    std::string got = kept.read_to_eof(10s);
    EXPECT_TRUE(kept.saw_eof());
    ASSERT_EQ(got.size(), 5 + content.size() - 100);
    EXPECT_EQ(got.substr(0, 5), "34567");
    EXPECT_TRUE(got.substr(5) == content.substr(100)) << "file slice bytes differ";
    EXPECT_EQ(c.read_to_eof(), "226 done\r\n");
    EXPECT_TRUE(h.wait_done());
    // The kept peer ended the listening: nobody else can connect to that port now.
    EXPECT_THROW(LoopbackSocket{port}, std::runtime_error);
    std::filesystem::remove_all(dir);
}

TEST(EngineRunner, ActiveConnectsFromTheRequestedPortAndReadsToEof) {
    LoopbackListener client_side;
    const std::uint16_t from = free_loopback_port();
    auto engine = std::make_shared<ScriptEngine>();
    engine->react = [&](ScriptEngine& e, const std::string& ev) {
        if (ev.rfind("connected", 0) == 0) {
            net::Endpoint remote;
            net::IpAddress::parse("127.0.0.1", remote.addr);
            remote.port = client_side.port();
            e.push(ConnectData{7, remote, from});
        }
        if (ev == "data_closed 7") {
            e.push(CloseData{7, false});
            e.push(CloseControl{});
            e.set_finished();
        }
    };
    RunnerHarness h(engine);
    LoopbackSocket c(h.port());
    std::uint16_t peer_port = 0;
    LoopbackSocket data = LoopbackSocket::adopt(client_side.accept_fd(5s, peer_port));
    EXPECT_EQ(peer_port, from) << "the data connection comes from the requested port";
    data.send_all("hello over active mode");
    data.close();  // our EOF: the engine sees data_closed
    c.read_to_eof();
    EXPECT_TRUE(h.wait_done());
    EXPECT_EQ(engine->data(7), "hello over active mode");
    EXPECT_NE(engine->event("data_connected 7 127.0.0.1:" + std::to_string(from)), "");
}

TEST(EngineRunner, ConnectFailureIsReportedNotThrown) {
    const std::uint16_t closed = free_loopback_port();
    auto engine = std::make_shared<ScriptEngine>();
    engine->react = [&](ScriptEngine& e, const std::string& ev) {
        if (ev.rfind("connected", 0) == 0) {
            net::Endpoint remote;
            net::IpAddress::parse("127.0.0.1", remote.addr);
            remote.port = closed;
            e.push(ConnectData{2, remote, 0});
        }
        if (ev.rfind("data_failed 2", 0) == 0) {
            e.push(CloseData{2, true});
            e.push(CloseControl{});
            e.set_finished();
        }
    };
    RunnerHarness h(engine);
    LoopbackSocket c(h.port());
    EXPECT_TRUE(engine->wait_for("data_failed 2 cannot connect to 127.0.0.1:" + std::to_string(closed)))
        << ::testing::PrintToString(engine->events());
    EXPECT_TRUE(h.wait_done());
}

TEST(EngineRunner, TimerCallsHandleTimeoutAtTheDeadline) {
    auto engine = std::make_shared<ScriptEngine>();
    Nanos armed = 0;
    engine->react = [&](ScriptEngine& e, const std::string& ev) {
        if (ev.rfind("connected", 0) == 0) {
            armed = e.last_now();
            e.set_timeout(armed + 80 * sim::kMillisecond);
        }
        if (ev == "timeout") {
            e.push(SendControl{"421 timeout\r\n", {}});
            e.push(CloseControl{});
            e.set_finished();
        }
    };
    RunnerHarness h(engine);
    LoopbackSocket c(h.port());
    EXPECT_EQ(c.read_to_eof(3s), "421 timeout\r\n");
    ASSERT_TRUE(h.wait_done());
    EXPECT_GE(engine->last_now() - armed, 80 * sim::kMillisecond);
}

TEST(EngineRunner, PauseReadingHoldsBackTheNextBytes) {
    auto engine = std::make_shared<ScriptEngine>();
    Nanos paused_at = 0, resumed_at = 0;
    engine->react = [&](ScriptEngine& e, const std::string& ev) {
        if (ev.rfind("connected", 0) == 0) e.push(ListenData{1, 0, 0, false});
        if (ev.rfind("data 1", 0) == 0 && paused_at == 0) {
            paused_at = e.last_now();
            e.push(sim::PauseReading{1, paused_at + 300 * sim::kMillisecond});
        } else if (ev.rfind("data 1", 0) == 0 && resumed_at == 0) {
            resumed_at = e.last_now();
        }
        if (ev == "data_closed 1") {
            e.push(CloseData{1, false});
            e.push(CloseControl{});
            e.set_finished();
        }
    };
    RunnerHarness h(engine);
    LoopbackSocket c(h.port());
    ASSERT_TRUE(engine->wait_for("listening 1 "));
    LoopbackSocket data(port_of(engine->event("listening 1 ")));
    data.send_all("a");
    ASSERT_TRUE(engine->wait_for("data 1"));
    data.send_all("b");
    data.close();
    EXPECT_TRUE(h.wait_done());
    EXPECT_EQ(engine->data(1), "ab");
    EXPECT_GE(resumed_at - paused_at, 250 * sim::kMillisecond) << "read resumed too early";
}

TEST(EngineRunner, BindErrorNamesThePrivilege) {
    EXPECT_EQ(sim::asio_io::bind_error_text(20, boost::asio::error::access_denied),
              "cannot bind port 20: needs root or CAP_NET_BIND_SERVICE");
    EXPECT_EQ(sim::asio_io::bind_error_text(2121, boost::asio::error::address_in_use),
              "cannot bind port 2121: address already in use");
}

}  // namespace
}  // namespace ftpsim::asio_test
