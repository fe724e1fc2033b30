// The fixture every tool test shares: a temporary directory with the served root (see
// populate_root) and a local working directory, a server started on it, and on the way out a
// check that the server is still alive and stops cleanly, then its removal.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "interop/support/files.hpp"
#include "interop/support/interop_env.hpp"
#include "interop/support/servers.hpp"

namespace ftpsim::interop {

inline std::string current_test_tag() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string tag = info ? std::string(info->test_suite_name()) + "." + info->name() : "interop";
    for (char& c : tag)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_') c = '_';
    return tag.substr(0, 80);
}

class InteropTest : public ::testing::Test {
protected:
    // Makes the directories and the served tree. Call first in SetUp.
    void prepare() {
        tmp_ = std::make_unique<TempDir>(current_test_tag());
        root_ = tmp_->path() / "root";
        local_ = tmp_->path() / "local";
        fs::create_directories(root_);
        fs::create_directories(local_);
        served_ = populate_root(root_);
    }

    // Starts the server of `kind` on root_. Skips or fails (FTPSIM_REQUIRE) when vsftpd cannot
    // run here; a server that does not come up is a failure.
    void start_server(ServerKind kind, std::vector<std::string> extra = {}) {
        if (kind == ServerKind::kVsftpd) {
            const std::string why = vsftpd_missing_reason();
            FTPSIM_REQUIRE(why.empty(), why);
            VsftpdOptions o;
            o.root = root_;
            o.work_dir = tmp_->path();
            try {
                server_ = start_vsftpd(o);
            } catch (const std::exception& e) {
                FAIL() << e.what();
            }
        } else {
            FtpsimServeOptions o;
            o.root = root_;
            o.log_dir = tmp_->path();
            o.extra = std::move(extra);
            try {
                server_ = start_ftpsim(o);
            } catch (const std::exception& e) {
                FAIL() << e.what();
            }
        }
    }

    void TearDown() override {
        if (server_) {
            const bool alive = server_->alive();
            EXPECT_TRUE(alive) << "the server died during the test:\n" << server_->describe();
            if (alive) {
                const int status = server_->stop();
                // `ftpsim serve` stops cleanly on SIGTERM; vsftpd just dies of it.
                if (server_->kind == ServerKind::kFtpsim) {
                    EXPECT_EQ(status, 0) << "ftpsim serve did not exit 0 on SIGTERM within 5 s:\n"
                                         << server_->describe();
                }
            }
            if (HasFailure()) std::cout << "---- server ----\n" << server_->describe() << std::endl;
        }
        server_.reset();
        tmp_.reset();
    }

    // Runs a client tool with output in the temp dir; cwd defaults to local_.
    RunResult run_tool(std::vector<std::string> argv, const std::string& name, fs::path stdin_file = {},
                       fs::path cwd = {}) {
        ProcessOptions po;
        po.argv = std::move(argv);
        po.cwd = cwd.empty() ? local_ : cwd;
        po.stdin_file = std::move(stdin_file);
        po.stdout_file = tmp_->path() / (name + ".out");
        po.stderr_file = tmp_->path() / (name + ".err");
        return run_process(std::move(po), std::chrono::seconds(tool_timeout_seconds()));
    }

    std::unique_ptr<TempDir> tmp_;
    fs::path root_, local_;
    ServedTree served_;
    std::unique_ptr<FtpServer> server_;
};

}  // namespace ftpsim::interop
