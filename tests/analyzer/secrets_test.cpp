// PASS arguments are masked in every output format unless --show-secrets asks for them. Whether
// an argument is secret is decided once, on the command event (SecretRule), and every output
// reads that flag.
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

TEST(SecretFlag, SetOnceOnTheCommandEvent) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap, {.password = kPassword});
    exchange(ctrl, "ACCT billing", "202 ACCT not needed.");
    exchange(ctrl, "SITE CHMOD 600 key", "200 SITE CHMOD ok.");
    exchange(ctrl, "CWD /vault", "250 ok.");
    quit(ctrl);
    auto secret = [](const EventCollector& ev, std::string_view verb) {
        return std::get<analyzer::CommandEvent>(ev.command(verb)->body).secret;
    };
    EventCollector plain = analyze_frames(cap);
    EXPECT_TRUE(secret(plain, "PASS"));
    EXPECT_TRUE(secret(plain, "ACCT"));
    EXPECT_FALSE(secret(plain, "USER"));
    EXPECT_FALSE(secret(plain, "SITE"));
    EXPECT_FALSE(secret(plain, "QUIT"));  // no argument: nothing to hide

    // A caller (a scenario) marks more: a verb, or an argument value whatever its verb.
    analyzer::AnalyzeOptions options;
    options.secrets.verbs.insert("SITE");
    options.secrets.arguments.insert("/vault");
    EventCollector marked = analyze_frames(cap, {}, options);
    EXPECT_TRUE(secret(marked, "SITE"));
    EXPECT_TRUE(secret(marked, "CWD"));
    EXPECT_FALSE(secret(marked, "USER"));

    // The renderers read the flag: what a caller marked is masked like PASS.
    std::ostringstream out, err;
    render::TextRenderer text(out, err, false);
    for (const auto& e : marked.events) text.on_event(e);
    EXPECT_NE(out.str().find("command SITE ****"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("command CWD ****"), std::string::npos) << out.str();
    EXPECT_EQ(render::event_json(*marked.command("CWD"), false)["arg"], "****");
    EXPECT_EQ(render::event_json(*marked.command("CWD"), true)["arg"], "/vault");
}

}  // namespace
}  // namespace ftpsim::testsupport
