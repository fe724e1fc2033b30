// ClientSession: the server's bytes cut anywhere by TCP must not change anything. A whole
// session (multi-line greeting and replies, login, EPSV refused then PASV, LIST, RETR with the
// 150 and 226 in one segment, QUIT) is replayed with each server write split at every byte
// offset and byte by byte: the actions and the results must be identical to the unsplit run.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>

#include "engine/client_harness.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

// One server write, or a data event, in order.
struct Step {
    std::string control;              // server bytes, when not empty
    std::function<void(ClientHarness&)> event;  // otherwise a data-connection event
};

std::vector<Step> session_steps() {
    const auto ev = [](std::function<void(ClientHarness&)> f) { return Step{{}, std::move(f)}; };
    return {
        {"220-Welcome to the\r\n220-ftpsim test server.\r\n220 Ready.\r\n", {}},
        {"331 Please specify the password.\r\n", {}},
        {"230-Welcome\r\n230-  230 lines inside\r\n230 Login successful.\r\n", {}},
        {"500 'EPSV': command not understood.\r\n", {}},
        {"227 Entering Passive Mode (10,0,0,1,195,80).\r\n", {}},
        ev([](ClientHarness& h) { h.connected(1); }),
        {"150 Here comes the directory listing.\r\n", {}},
        ev([](ClientHarness& h) { h.data(1, "a.txt\r\nb.txt\r\n"); }),
        ev([](ClientHarness& h) { h.data_closed(1); }),
        {"226 Directory send OK.\r\n", {}},
        {"227 Entering Passive Mode (10,0,0,1,195,81).\r\n", {}},
        ev([](ClientHarness& h) { h.connected(2); }),
        ev([](ClientHarness& h) { h.data(2, "abc"); }),
        ev([](ClientHarness& h) { h.data_closed(2); }),
        {"150 Opening BINARY mode data connection for a.txt (3 bytes).\r\n"
         "226 Transfer complete.\r\n",
         {}},
        {"221 Goodbye.\r\n", {}},
    };
}

std::string summarize(ClientHarness& h) {
    std::ostringstream out;
    for (const auto& a : h.log) out << render(a) << "\n";
    for (const auto& r : h.results()) {
        out << "result ok=" << r.ok << " error=" << r.error << " bytes=" << r.bytes
            << " sha=" << r.sha256 << " listing=" << r.listing << "\n";
        for (const auto& reply : r.replies) {
            out << "  reply " << reply.code << " multiline=" << reply.multiline;
            for (const auto& line : reply.lines) out << " |" << line;
            out << "\n";
        }
        for (const auto& c : r.commands) out << "  sent " << c << "\n";
    }
    for (const auto& g : h.session.greeting()) out << "greeting " << g.lines.size() << "\n";
    out << "finished=" << h.session.finished() << "\n";
    return out.str();
}

// Runs the session; `feed` delivers one server write however it likes.
std::string run(const std::function<void(ClientHarness&, const std::string&)>& feed) {
    ClientConfig config;
    config.mode = DataMode::kEpsvThenPasv;
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kList), make_op(Kind::kRetr, "a.txt"),
                     make_op(Kind::kQuit)},
                    config);
    h.connect();
    for (const auto& step : session_steps()) {
        if (!step.control.empty()) {
            feed(h, step.control);
        } else {
            step.event(h);
        }
        h.take_actions();
    }
    return summarize(h);
}

TEST(ClientSplit, RepliesSplitAtEveryOffsetGiveIdenticalResults) {
    const std::string whole = run([](ClientHarness& h, const std::string& s) { h.feed(s); });
    // The unsplit run is itself right.
    EXPECT_NE(whole.find("result ok=1 error= bytes=14"), std::string::npos) << whole;
    EXPECT_NE(whole.find("sha=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
              std::string::npos);
    EXPECT_NE(whole.find("finished=1"), std::string::npos);

    std::size_t longest = 0;
    for (const auto& step : session_steps()) longest = std::max(longest, step.control.size());
    for (std::size_t cut = 0; cut <= longest; ++cut) {
        const std::string split = run([cut](ClientHarness& h, const std::string& s) {
            const std::size_t at = std::min(cut, s.size());
            h.feed(std::string_view(s).substr(0, at));
            h.feed(std::string_view(s).substr(at));
        });
        ASSERT_EQ(split, whole) << "cut at " << cut;
    }
    const std::string bytewise = run([](ClientHarness& h, const std::string& s) {
        for (const char c : s) h.feed(std::string_view(&c, 1));
    });
    EXPECT_EQ(bytewise, whole);
}

TEST(ClientSplit, TwoRepliesInOneSegmentAreBothTaken) {
    ClientHarness h({make_op(Kind::kNoop), make_op(Kind::kPwd)});
    h.connect();
    // Greeting and NOOP's reply in one read: NOOP was sent after the greeting, and its reply
    // is taken as soon as it is read.
    h.feed("220 hi\r\n200 NOOP ok.\r\n");
    EXPECT_EQ(h.take(), (Lines{"> NOOP\r\n", "> PWD\r\n"}));
}

TEST(ClientSplit, LfOnlyLineEndsAreAccepted) {
    ClientHarness h({make_op(Kind::kNoop)});
    h.connect();
    h.feed("220 hi\n");
    h.feed("200 ok\n");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
}

}  // namespace
}  // namespace ftpsim::sim::test
