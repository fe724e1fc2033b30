// `ftpsim analyze --format json`: a valid document (docs/analyzer-json.md) carrying the same
// events as the in-process analysis, with bytes that are not UTF-8 escaped.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/capture_test.hpp"
#include "support/cli_runner.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

using nlohmann::json;

class JsonOutputTest : public CaptureTest {
protected:
    const std::string file = file_bytes(2000, 47);
    const std::string name = std::string("caf\xe9 \\ menu.txt");  // Latin-1 e-acute, a backslash

    Capture& session(Capture& cap) {
        Connection& ctrl = logged_in_control(cap);
        exchange(ctrl, "PASV", kPasvReply);
        start_transfer(ctrl, "RETR " + name);
        data_connection(cap, kClientData, kServerPasv, file, true);
        reply(ctrl, "226 Transfer complete");
        quit(ctrl);
        return cap;
    }
    CliResult analyze_json(const std::filesystem::path& p) const {
        return analyze_cli(p, {"--format", "json"});
    }
};

TEST_F(JsonOutputTest, DocumentCarriesTheEvents) {
    Capture cap;
    auto p = write(session(cap));
    EventCollector in_process = analyze_path(p);
    CliResult r = analyze_json(p);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json doc;
    ASSERT_NO_THROW(doc = json::parse(r.out)) << r.out;
    EXPECT_EQ(doc["format"], "ftpsim-analyze");
    EXPECT_EQ(doc["version"], 1);
    EXPECT_EQ(doc["capture"], p.string());
    EXPECT_EQ(doc["frames"], cap.size());
    EXPECT_TRUE(doc["warnings"].empty());
    const json& events = doc["events"];
    ASSERT_EQ(events.size(), in_process.events.size()) << r.out;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& e = in_process.events[i];
        EXPECT_EQ(events[i]["frame"], e.frame) << i;
        EXPECT_EQ(events[i]["time_ns"], e.time) << i;
        EXPECT_EQ(events[i]["conn"], e.conn) << i;
        EXPECT_EQ(events[i]["kind"], analyzer::event_kind_name(e)) << i;
    }
}

TEST_F(JsonOutputTest, NonUtf8BytesAreEscaped) {
    Capture cap;
    CliResult r = analyze_json(write(session(cap)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json doc = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << r.out;
    bool saw_command = false, saw_data = false;
    for (const auto& e : doc["events"]) {
        if (e["kind"] == "command" && e["verb"] == "RETR") {
            EXPECT_EQ(e["arg"], "caf\\xe9 \\\\ menu.txt");
            saw_command = true;
        }
        if (e["kind"] == "data") {
            EXPECT_EQ(e["arg"], "caf\\xe9 \\\\ menu.txt");
            EXPECT_EQ(e["mode"], "passive");
            EXPECT_EQ(e["direction"], "download");
            EXPECT_EQ(e["bytes"], file.size());
            EXPECT_EQ(e["sha256"], expected_sha256(file));
            EXPECT_EQ(e["completion"], 226);
            EXPECT_EQ(e["src"]["ip"], "192.168.1.10");
            EXPECT_EQ(e["src"]["port"], 50000);
            saw_data = true;
        }
    }
    EXPECT_TRUE(saw_command) << r.out;
    EXPECT_TRUE(saw_data) << r.out;
}

TEST_F(JsonOutputTest, WarningsAreInTheDocument) {
    Capture cap;
    CliResult r = analyze_json(write(session(cap), "cut.pcap", {.truncate_last_record = 8}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json doc = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << r.out;
    ASSERT_EQ(doc["warnings"].size(), 1u) << r.out;
    EXPECT_NE(doc["warnings"][0].get<std::string>().find("frame " + std::to_string(cap.size())),
              std::string::npos);
    EXPECT_EQ(doc["frames"], cap.size() - 1);
}

}  // namespace
}  // namespace ftpsim::testsupport
