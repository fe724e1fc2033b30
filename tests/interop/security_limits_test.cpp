// `ftpsim serve` bounds what one client can take: an endless command line gets 500 from a
// bounded buffer and the session goes on, idle sessions are dropped with 421, and the session
// limits (total and per address) refuse the one over with 421. Loopback only.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "interop/security_fixture.hpp"

namespace ftpsim::interop {
namespace {

// --- an endless command line: bounded buffer, 500, the session goes on ---

TEST_F(SecurityTest, EndlessLineDoesNotGrowMemoryAndGets500) {
    ASSERT_NO_FATAL_FAILURE(serve());
    FtpControl ctl = logged_in();
    ASSERT_EQ(ctl.command("NOOP").code, 200);
    const pid_t pid = server_->pid();
    const long rss_before = proc_status_kib(pid, "VmRSS");
    const long hwm_before = proc_status_kib(pid, "VmHWM");
    ASSERT_GT(rss_before, 0);

    // 10 MB without CRLF, then the CRLF.
    const std::string chunk(64 * 1024, 'A');
    const auto deadline = Clock::now() + 60s;
    std::size_t sent = 0;
    bool ok = true;
    while (sent < 10 * 1000 * 1000 && ok) {
        ok = ctl.socket().send_all(chunk, deadline);
        if (ok) sent += chunk.size();
    }
    ASSERT_TRUE(ok) << "the server stopped reading or closed after " << sent << " bytes of one line";
    ASSERT_TRUE(ctl.socket().send_all("\r\n", deadline));

    FtpReply r = ctl.read_reply(10000ms);
    EXPECT_EQ(r.code, 500) << "reply to a 10 MB line: " << to_string(r);
    // Then the session goes on: NOOP answered 200 (no other 500 in between: the rest of the line
    // was discarded, not parsed as more commands).
    ASSERT_TRUE(ctl.send_line("NOOP"));
    int extra_replies = 0;
    for (r = ctl.read_reply(10000ms); r.code != 0 && r.code != 200 && extra_replies < 100; r = ctl.read_reply(10000ms))
        ++extra_replies;
    EXPECT_EQ(r.code, 200) << "NOOP after the long line: " << to_string(r);
    EXPECT_EQ(extra_replies, 0) << "more replies than one 500 for the long line";

    const long rss_after = proc_status_kib(pid, "VmRSS");
    const long hwm_after = proc_status_kib(pid, "VmHWM");
    std::cout << "server VmRSS " << rss_before << " -> " << rss_after << " KiB, VmHWM " << hwm_before << " -> "
              << hwm_after << " KiB" << std::endl;
    EXPECT_LT(rss_after - rss_before, 4 * 1024) << "VmRSS grew by " << (rss_after - rss_before) << " KiB";
    EXPECT_LT(hwm_after - hwm_before, 4 * 1024) << "peak RSS grew by " << (hwm_after - hwm_before) << " KiB";

    // And the server still serves others.
    FtpControl other = logged_in();
    EXPECT_EQ(other.command("PWD").code, 257);
}

TEST_F(SecurityTest, LongLineBeforeLoginGets500ToTheLimit) {
    ASSERT_NO_FATAL_FAILURE(serve());
    FtpControl ctl(server_->host, server_->port);
    ASSERT_EQ(ctl.read_reply().code, 220);
    // 501 bytes of command: one past the 500-byte cap; 400 bytes: fine.
    FtpReply r = ctl.command("USER " + std::string(496, 'u'));
    EXPECT_EQ(r.code, 500) << "a 501-byte line -> " << to_string(r);
    r = ctl.command("USER " + std::string(300, 'u'));
    EXPECT_TRUE(r.code == 331 || r.code == 530) << "a 305-byte line -> " << to_string(r);
}

// --- idle sessions and session limits ---

TEST_F(SecurityTest, IdleSessionIsDroppedWith421) {
    // --config YAML (docs/server-config.md): a user, an in-memory file and a 1 s idle timeout.
    const fs::path config = tmp_->path() / "serve.yaml";
    write_file(config,
               "users:\n"
               "  alice: secret\n"
               "idle_timeout_ms: 1000\n"
               "files:\n"
               "  /hello.txt:\n"
               "    content: \"hello\\n\"\n");
    FtpsimServeOptions o;
    o.config = config;
    o.log_dir = tmp_->path();
    o.users = {};
    o.anonymous = false;
    try {
        server_ = start_ftpsim(o);
    } catch (const std::exception& e) {
        FAIL() << e.what();
    }
    server_->user = "alice";
    server_->password = "secret";
    FtpControl ctl = logged_in();
    const auto t0 = Clock::now();
    FtpReply r = ctl.read_reply(10000ms);
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    EXPECT_EQ(r.code, 421) << "after " << waited << " ms idle: " << to_string(r);
    EXPECT_GE(waited, 700) << "dropped before the idle timeout";
    EXPECT_LE(waited, 5000) << "idle timeout of 1 s took " << waited << " ms";
    TcpSocket::RecvStatus st{};
    ctl.socket().read_to_eof(3000ms, &st);
    EXPECT_TRUE(st == TcpSocket::RecvStatus::kEof || st == TcpSocket::RecvStatus::kError)
        << "the connection stayed open after 421";

    // A session that keeps talking is not dropped.
    FtpControl busy = logged_in();
    for (int i = 0; i < 6; ++i) {
        std::this_thread::sleep_for(400ms);
        EXPECT_EQ(busy.command("NOOP").code, 200) << "NOOP " << i;
    }
}

TEST_F(SecurityTest, MaxSessionsRefusesTheThirdWith421) {
    ASSERT_NO_FATAL_FAILURE(serve({"--max-sessions", "2"}));
    FtpControl a(server_->host, server_->port);
    ASSERT_EQ(a.read_reply().code, 220);
    FtpControl b(server_->host, server_->port);
    ASSERT_EQ(b.read_reply().code, 220);
    {
        FtpControl c(server_->host, server_->port);
        FtpReply r = c.read_reply();
        EXPECT_EQ(r.code, 421) << "third session: " << to_string(r);
        TcpSocket::RecvStatus st{};
        c.socket().read_to_eof(3000ms, &st);
        EXPECT_NE(st, TcpSocket::RecvStatus::kTimeout) << "the refused session was not closed";
    }
    // The first two still work; once one leaves, a newcomer gets in.
    EXPECT_EQ(a.command("USER alice").code, 331);
    EXPECT_EQ(b.command("NOOP").code, 200);
    EXPECT_EQ(a.command("QUIT").code, 221);
    a.socket().close();
    FtpReply r;
    for (int i = 0; i < 30; ++i) {
        FtpControl d(server_->host, server_->port);
        r = d.read_reply();
        if (r.code == 220) break;
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(r.code, 220) << "a slot freed by QUIT was not given to a newcomer: " << to_string(r);
}

TEST_F(SecurityTest, MaxPerIpCountsPerAddress) {
    ASSERT_NO_FATAL_FAILURE(serve({"--max-sessions", "10", "--max-per-ip", "1"}));
    FtpControl a(server_->host, server_->port);
    ASSERT_EQ(a.read_reply().code, 220);
    FtpControl b(server_->host, server_->port);
    FtpReply r = b.read_reply();
    EXPECT_EQ(r.code, 421) << "second session from 127.0.0.1: " << to_string(r);
    FtpControl c(server_->host, server_->port, kForeign);
    r = c.read_reply();
    EXPECT_EQ(r.code, 220) << "first session from 127.0.0.2: " << to_string(r);
}

}  // namespace
}  // namespace ftpsim::interop
