// PASS arguments are masked in every output format unless --show-secrets asks for them.
#include <gtest/gtest.h>

#include <sstream>

#include "render/renderers.hpp"
#include "support/capture_test.hpp"
#include "support/cli_runner.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

const std::string kPassword = "s3cret-P4ss";

class SecretsTest : public CaptureTest {
protected:
    std::filesystem::path capture() {
        Capture cap;
        quit(logged_in_control(cap, {.password = kPassword}));
        return write(cap);
    }
    std::string render_text(bool show_secrets) {
        std::ostringstream out, err;
        render::TextRenderer text(out, err, show_secrets);
        analyzer::analyze_file(capture().string(), text);
        EXPECT_EQ(err.str(), "");
        return out.str();
    }
};

TEST_F(SecretsTest, TextRendererMasksPass) {
    std::string out = render_text(false);
    EXPECT_NE(out.find("command PASS ****"), std::string::npos) << out;
    EXPECT_EQ(out.find(kPassword), std::string::npos) << out;
    EXPECT_NE(out.find("command USER anonymous"), std::string::npos) << out;  // only PASS
}

TEST_F(SecretsTest, TextRendererShowsPassWhenAsked) {
    std::string out = render_text(true);
    EXPECT_NE(out.find("command PASS " + kPassword), std::string::npos) << out;
    EXPECT_EQ(out.find("****"), std::string::npos) << out;
}

TEST_F(SecretsTest, CliMasksPassByDefault) {
    CliResult r = analyze_cli(capture());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("command PASS ****"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(kPassword), std::string::npos) << r.out;
}

TEST_F(SecretsTest, CliShowSecrets) {
    CliResult r = analyze_cli(capture(), {"--show-secrets"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("command PASS " + kPassword), std::string::npos) << r.out;
}

TEST_F(SecretsTest, CliMasksPassInJsonAndTable) {
    for (const char* format : {"json", "table"}) {
        SCOPED_TRACE(format);
        CliResult r = analyze_cli(capture(), {"--format", format});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find(kPassword), std::string::npos) << r.out;
    }
    CliResult shown = analyze_cli(capture(), {"--format", "table", "--show-secrets"});
    EXPECT_NE(shown.out.find("Request: PASS " + kPassword), std::string::npos) << shown.out;
}

}  // namespace
}  // namespace ftpsim::testsupport
