// `ftpsim serve` keeps every path inside its root: .., absolute paths and symlinks out of it,
// for RETR, CWD/LIST and STOR over raw sockets, and through our own client.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "interop/security_fixture.hpp"

namespace ftpsim::interop {
namespace {

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

}  // namespace
}  // namespace ftpsim::interop
