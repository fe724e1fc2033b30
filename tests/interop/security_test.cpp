// `ftpsim serve`'s safe defaults, probed over raw sockets where no client tool can express the
// attack: FTP bounce (PORT/EPRT to a third host or a privileged port), a passive data connection
// stolen from another address, path traversal out of the root (.., absolute paths, symlinks), an
// endless command line, idle sessions and the session limits. Loopback only: 127.0.0.2 plays the
// foreign host.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "interop/support/fixture.hpp"
#include "interop/support/ftp_raw.hpp"
#include "interop/support/net.hpp"

namespace ftpsim::interop {
namespace {

constexpr const char* kForeign = "127.0.0.2";

class SecurityTest : public InteropTest {
protected:
    void SetUp() override {
        FTPSIM_REQUIRE(can_bind(kForeign), "cannot bind 127.0.0.2 (the loopback /8 is not all on lo)");
        prepare();
    }

    // Starts ftpsim serve on root_ with `extra` arguments.
    void serve(std::vector<std::string> extra = {}) { start_server(ServerKind::kFtpsim, std::move(extra)); }

    FtpControl logged_in(const std::string& source = "") {
        FtpControl ctl(server_->host, server_->port, source);
        FtpReply r = ctl.login(server_->user, server_->password);
        EXPECT_EQ(r.code, 230) << "login: " << to_string(r);
        // Binary: the bytes on the wire are the file's (TYPE A, the default, turns LF into CRLF).
        r = ctl.command("TYPE I");
        EXPECT_EQ(r.code, 200) << "TYPE I: " << to_string(r);
        return ctl;
    }
};

// --- FTP bounce (CERT CA-1997-27): PORT/EPRT naming another host, or a privileged port ---

TEST_F(SecurityTest, PortToAnotherHostIsRefusedAndNothingConnectsThere) {
    ASSERT_NO_FATAL_FAILURE(serve());
    TcpSocket trap = TcpSocket::listen(kForeign, 0);
    const std::uint16_t trap_port = trap.local_port();
    FtpControl ctl = logged_in();

    FtpReply r = ctl.command("PORT " + port_argument(kForeign, trap_port));
    EXPECT_EQ(r.code, 500) << "PORT " << port_argument(kForeign, trap_port) << " -> " << to_string(r);
    r = ctl.command("EPRT |1|" + std::string(kForeign) + "|" + std::to_string(trap_port) + "|");
    EXPECT_EQ(r.code, 500) << "EPRT to " << kForeign << " -> " << to_string(r);
    // Whatever it answered, a transfer now must not reach the third host.
    r = ctl.command("LIST");
    EXPECT_TRUE(r.code >= 400) << "LIST after a refused PORT -> " << to_string(r);
    if (r.code >= 100 && r.code < 200) ctl.read_reply(5000ms);
    TcpSocket victim = trap.accept(1500ms);
    EXPECT_FALSE(victim.valid()) << "the server connected to " << kForeign << ":" << trap_port;

    // The session still works with an honest PORT.
    TcpSocket mine = TcpSocket::listen("127.0.0.1", 0);
    r = ctl.command("PORT " + port_argument("127.0.0.1", mine.local_port()));
    ASSERT_EQ(r.code, 200) << to_string(r);
    r = ctl.command("NLST");
    ASSERT_TRUE(r.code == 150 || r.code == 125) << to_string(r);
    TcpSocket data = mine.accept(5000ms);
    ASSERT_TRUE(data.valid()) << "no active data connection to 127.0.0.1";
    const std::string names = data.read_to_eof(10000ms);
    EXPECT_NE(names.find("hello.txt"), std::string::npos) << names;
    EXPECT_EQ(ctl.read_reply().code, 226);
}

TEST_F(SecurityTest, PortToAPrivilegedPortIsRefused) {
    ASSERT_NO_FATAL_FAILURE(serve());
    FtpControl ctl = logged_in();
    for (const std::string& cmd : {std::string("PORT 127,0,0,1,0,25"), std::string("PORT 127,0,0,1,3,255"),
                                   std::string("EPRT |1|127.0.0.1|80|"), std::string("EPRT |1|127.0.0.1|1023|")}) {
        FtpReply r = ctl.command(cmd);
        EXPECT_EQ(r.code, 500) << cmd << " -> " << to_string(r);
    }
    // Port 1024 is not privileged: accepted.
    TcpSocket ok = TcpSocket::listen("127.0.0.1", 0);
    FtpReply r = ctl.command("EPRT |1|127.0.0.1|" + std::to_string(ok.local_port()) + "|");
    EXPECT_EQ(r.code, 200) << to_string(r);
}

TEST_F(SecurityTest, BouncePortThroughOurClientQuoteIsRefused) {
    ASSERT_NO_FATAL_FAILURE(serve());
    TcpSocket trap = TcpSocket::listen(kForeign, 0);
    const std::string port_cmd = "PORT " + port_argument(kForeign, trap.local_port());
    auto r = run_tool({ftpsim_binary(), "client", server_->url(), "quote", port_cmd}, "client-quote");
    EXPECT_FALSE(r.timed_out) << r.description;
    EXPECT_NE(r.out.find("500"), std::string::npos) << "no 500 for " << port_cmd << "\n" << r.description;
    EXPECT_FALSE(trap.accept(500ms).valid());
}

// --- passive mode: a data connection from another address than the control peer ---

// Connects to the passive port from 127.0.0.2. A server may accept and reset the connection so
// fast that the connect itself reports ECONNRESET: that is a refusal too (an invalid socket).
TcpSocket connect_from_foreign(std::uint16_t port) {
    try {
        return TcpSocket::connect("127.0.0.1", port, kForeign);
    } catch (const std::exception& e) {
        std::cout << "the connection from " << kForeign << " failed at once: " << e.what() << std::endl;
        return TcpSocket();
    }
}

TEST_F(SecurityTest, PassiveConnectionFromAnotherAddressIsRefused) {
    ASSERT_NO_FATAL_FAILURE(serve());
    FtpControl ctl = logged_in();
    FtpReply pasv = ctl.command("PASV");
    ASSERT_EQ(pasv.code, 227) << to_string(pasv);
    auto hp = parse_pasv(pasv.text);
    ASSERT_TRUE(hp) << pasv.text;
    EXPECT_EQ(hp->first, "127.0.0.1") << "PASV announces another address: " << pasv.text;

    // The thief connects first, from 127.0.0.2, then the owner asks for the file.
    TcpSocket thief = connect_from_foreign(hp->second);
    FtpReply first = ctl.command("RETR data.bin", 3000ms);
    std::string stolen;
    TcpSocket::RecvStatus st{};
    FtpReply final = first;
    if (first.code == 0 || (first.code >= 100 && first.code < 200)) {
        // The server is still waiting for its peer (or said 150 before accepting): the real
        // client's connection must get the file.
        TcpSocket owner = TcpSocket::connect("127.0.0.1", hp->second);
        if (first.code == 0) first = ctl.read_reply(10000ms);
        ASSERT_TRUE(first.code == 150 || first.code == 125) << "RETR -> " << to_string(first);
        const std::string got = owner.read_to_eof(20000ms);
        final = ctl.read_reply(20000ms);
        EXPECT_EQ(final.code, 226) << to_string(final);
        EXPECT_EQ(sha256_bytes(got), served_.files.at("data.bin")) << got.size() << " bytes to the real client";
        if (thief.valid()) stolen = thief.read_to_eof(1000ms, &st);
    } else {
        // Refused outright (vsftpd: "425 Security: Bad IP connecting."): a fresh PASV from the
        // real client works.
        EXPECT_EQ(first.code / 100, 4) << "RETR after a foreign data connection -> " << to_string(first);
        if (thief.valid()) stolen = thief.read_to_eof(1000ms, &st);
        DataCommandResult again = passive_command(ctl, "127.0.0.1", "RETR data.bin");
        EXPECT_EQ(again.final.code, 226) << to_string(again);
        EXPECT_EQ(sha256_bytes(again.data), served_.files.at("data.bin"));
    }
    EXPECT_EQ(stolen.size(), 0u) << "the connection from 127.0.0.2 received " << stolen.size() << " bytes";
}

TEST_F(SecurityTest, PassiveUploadFromAnotherAddressIsNotStored) {
    ASSERT_NO_FATAL_FAILURE(serve());
    FtpControl ctl = logged_in();
    FtpReply pasv = ctl.command("PASV");
    auto hp = parse_pasv(pasv.text);
    ASSERT_TRUE(hp) << to_string(pasv);
    TcpSocket thief = connect_from_foreign(hp->second);
    const std::string planted = "planted by 127.0.0.2\n";
    if (thief.valid()) {
        thief.send_all(planted, 2000ms);
        thief.shutdown_write();
    }
    FtpReply r = ctl.command("STOR incoming/planted.txt", 3000ms);
    const bool waited_for_owner = r.code == 0 || (r.code >= 100 && r.code < 200);
    if (waited_for_owner) {
        // Still waiting for the real peer: give it an honest upload.
        TcpSocket owner = TcpSocket::connect("127.0.0.1", hp->second);
        if (r.code == 0) r = ctl.read_reply(10000ms);
        owner.send_all("honest\n", 2000ms);
        owner.close();
        r = ctl.read_reply(10000ms);
    }
    std::this_thread::sleep_for(200ms);
    const std::string stored = read_file(root_ / "incoming/planted.txt");
    EXPECT_EQ(stored.find("planted"), std::string::npos) << "the server stored what 127.0.0.2 sent: " << stored;
    if (waited_for_owner) {
        EXPECT_EQ(r.code, 226) << "the real client's STOR -> " << to_string(r);
        EXPECT_EQ(stored, "honest\n") << "the real client's upload was not stored as sent";
    }
}

// --- path traversal out of the root ---

class TraversalTest : public SecurityTest {
protected:
    void SetUp() override {
        SecurityTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        // Outside the root, next to it: a secret, and symlinks inside the root pointing at it.
        secret_ = tmp_->path() / "secret.txt";
        write_file(secret_, "TOP SECRET outside the root\n");
        fs::create_directories(root_ / "sub/dir");
        fs::create_symlink(secret_, root_ / "link_to_secret");
        fs::create_symlink(tmp_->path(), root_ / "link_to_outside");
        fs::create_symlink("/etc/passwd", root_ / "link_to_passwd");
        ASSERT_NO_FATAL_FAILURE(serve());
    }
    fs::path secret_;
};

TEST_F(TraversalTest, RetrOutsideTheRootIsRefused) {
    FtpControl ctl = logged_in();
    ASSERT_EQ(ctl.command("CWD sub/dir").code, 250);
    const std::string real_passwd = read_file("/etc/passwd");
    for (const std::string path : {"../../etc/passwd", "../../../../../../etc/passwd", "/etc/passwd",
                                   "../../../secret.txt", "/../secret.txt", "../../../root/../../secret.txt",
                                   "/link_to_secret", "/link_to_passwd", "/link_to_outside/secret.txt",
                                   "..\\..\\..\\secret.txt"}) {
        DataCommandResult r = passive_command(ctl, "127.0.0.1", "RETR " + path);
        EXPECT_EQ(r.final.code, 550) << "RETR " << path << "\n" << to_string(r);
        EXPECT_EQ(r.data.find("TOP SECRET"), std::string::npos) << "RETR " << path << " leaked the secret";
        EXPECT_TRUE(r.data.empty() || r.data != real_passwd) << "RETR " << path << " leaked /etc/passwd";
        EXPECT_EQ(r.data.find("root:"), std::string::npos) << "RETR " << path << " leaked /etc/passwd";
    }
    for (const std::string path : {"/etc/passwd", "../../../secret.txt", "/link_to_secret"}) {
        FtpReply r = ctl.command("SIZE " + path);
        EXPECT_EQ(r.code, 550) << "SIZE " << path << " -> " << to_string(r);
    }
}

TEST_F(TraversalTest, CwdAndListStayInsideTheRoot) {
    FtpControl ctl = logged_in();
    FtpReply r = ctl.command("CWD ../../../..");
    EXPECT_TRUE(r.code == 250 || r.code == 550) << to_string(r);
    r = ctl.command("PWD");
    EXPECT_EQ(r.code, 257);
    EXPECT_NE(r.text.find("\"/\""), std::string::npos) << "PWD above the root: " << to_string(r);

    r = ctl.command("CWD /link_to_outside");
    EXPECT_EQ(r.code, 550) << "CWD into a symlink out of the root -> " << to_string(r);
    r = ctl.command("CWD /etc");
    EXPECT_EQ(r.code, 550) << to_string(r);

    for (const std::string path : {"/link_to_outside", "../..", "/etc", "/link_to_outside/"}) {
        DataCommandResult l = passive_command(ctl, "127.0.0.1", "LIST " + path);
        EXPECT_EQ(l.data.find("secret.txt"), std::string::npos) << "LIST " << path << " shows outside:\n" << l.data;
        EXPECT_EQ(l.data.find("passwd"), std::string::npos) << "LIST " << path << " shows /etc:\n" << l.data;
    }
}

TEST_F(TraversalTest, StorCannotWriteOutsideTheRoot) {
    FtpControl ctl = logged_in();
    ASSERT_EQ(ctl.command("CWD sub/dir").code, 250);
    for (const std::string path : {"../../../escaped1.txt", "/../escaped2.txt", "/link_to_outside/escaped3.txt",
                                   "/link_to_secret"}) {
        DataCommandResult r = passive_command(ctl, "127.0.0.1", "STOR " + path, false, "escaped\n");
        std::cout << "STOR " << path << " -> " << r.final.first_line() << std::endl;
    }
    std::this_thread::sleep_for(200ms);
    for (const char* name : {"escaped1.txt", "escaped2.txt", "escaped3.txt"}) {
        EXPECT_FALSE(fs::exists(tmp_->path() / name)) << name << " was written outside the root";
        EXPECT_FALSE(fs::exists(tmp_->path().parent_path() / name)) << name << " was written outside the root";
    }
    EXPECT_EQ(read_file(secret_), "TOP SECRET outside the root\n") << "STOR through a symlink overwrote the secret";
    for (const std::string cmd : {"DELE /link_to_outside/secret.txt", "RNFR /link_to_secret", "MKD /link_to_outside/new",
                                  "DELE ../../../secret.txt"}) {
        ctl.command(cmd);
        if (cmd.rfind("RNFR", 0) == 0) ctl.command("RNTO /stolen.txt");
    }
    EXPECT_TRUE(fs::exists(secret_)) << "the secret outside the root was deleted or moved";
    EXPECT_FALSE(fs::exists(tmp_->path() / "new")) << "MKD through a symlink created a directory outside";
}

TEST_F(TraversalTest, OurClientCannotGetOutsideTheRoot) {
    for (const std::string path : {"../../etc/passwd", "/etc/passwd", "link_to_secret"}) {
        const fs::path dest = local_ / "got";
        fs::remove(dest);
        auto r = run_tool({ftpsim_binary(), "client", server_->url(), "get", path, dest.string()}, "client-get");
        EXPECT_FALSE(r.timed_out) << r.description;
        EXPECT_NE(r.exit_code, 0) << "get " << path << " succeeded\n" << r.description;
        EXPECT_NE(r.out.find("550"), std::string::npos) << "get " << path << ": no 550\n" << r.description;
        const std::string got = read_file(dest);
        EXPECT_EQ(got.find("root:"), std::string::npos) << "get " << path << " fetched /etc/passwd";
        EXPECT_EQ(got.find("TOP SECRET"), std::string::npos) << "get " << path << " fetched the secret";
    }
}

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
