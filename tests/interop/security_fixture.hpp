// The fixture of the security tests (security_*_test.cpp): `ftpsim serve` on loopback with
// 127.0.0.2 playing the foreign host, and a control connection logged in and in binary mode.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "interop/support/fixture.hpp"
#include "interop/support/ftp_raw.hpp"
#include "interop/support/net.hpp"

namespace ftpsim::interop {

inline constexpr const char* kForeign = "127.0.0.2";

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

}  // namespace ftpsim::interop
