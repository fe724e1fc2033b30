// Active mode (RFC 959 §3.2): the client names its listener with PORT and the server connects to
// it from port 20.
#include <gtest/gtest.h>

#include <sstream>

#include "golden/golden_check.hpp"
#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::DataEvent;

const Ep kServerPort20{"192.168.1.10", 20};
const Ep kClientListener{"192.168.1.5", 2203};  // PORT 192,168,1,5,8,155: 8 * 256 + 155

const std::string kListing =
    "-rw-r--r-- 1 ftp ftp       5000 Jan 01 12:00 file.bin\r\n"
    "drwxr-xr-x 1 ftp ftp          0 Jan 01 12:00 pub\r\n";

class ActiveModeTest : public CaptureTest {};

// `verb` (LIST, or STOR with an argument) over an active data connection carrying `bytes`.
Capture& active_session(Capture& cap, const std::string& verb, const std::string& bytes) {
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PORT 192,168,1,5,8,155", "200 Port command successful");
    command(ctrl, verb);
    Connection& data = cap.connect(kServerPort20, kClientListener, 5'000'000, 6'000'000);
    data.handshake();
    reply(ctrl, "150 Opening data channel");
    const bool server_sends = verb == "LIST";  // the FTP server is the TCP client here
    send_and_close(data, bytes, /*from_client=*/server_sends);
    complete_and_quit(ctrl);
    return cap;
}

TEST_F(ActiveModeTest, ListOverActiveDataConnection) {
    Capture cap;
    EventCollector ev = analyze(active_session(cap, "LIST", kListing));
    EXPECT_EQ(ev.replies(), (std::vector<int>{220, 331, 230, 200, 150, 226, 221})) << ev.dump();
    EXPECT_EQ(ev.reply_verbs(), (std::vector<std::string>{"", "USER", "PASS", "PORT", "LIST",
                                                          "LIST", "QUIT"}));
    auto data = ev.of<DataEvent>();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    expect_transfer(std::get<DataEvent>(data[0].body),
                    {.mode = "active", .command = "LIST", .arg = "", .direction = "download",
                     .content = kListing, .completion = 226, .data_client = "192.168.1.10:20",
                     .data_server = "192.168.1.5:2203"});
    EXPECT_EQ(data[0].src.str(), "192.168.1.10:20");  // the listing comes from the FTP server
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

// The PORT argument is parsed once, by the decoder: its event carries the endpoint that the
// data channels and the golden form use. A 227 reply likewise carries its endpoint.
TEST_F(ActiveModeTest, PortAndPasvEventsCarryTheirParsedEndpoint) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PORT 192,168,1,5,8,155", "200 Port command successful");
    exchange(ctrl, "PORT 1,2,3", "501 Illegal PORT command.");
    exchange(ctrl, "PASV", std::string(kPasvReply));
    quit(ctrl);
    EventCollector ev = analyze(cap);
    auto ports = ev.bodies<analyzer::CommandEvent>();
    std::vector<std::optional<net::Endpoint>> endpoints;
    for (const auto& c : ports)
        if (c.verb == "PORT") endpoints.push_back(c.endpoint);
    ASSERT_EQ(endpoints.size(), 2u) << ev.dump();
    ASSERT_TRUE(endpoints[0].has_value());
    EXPECT_EQ(endpoints[0]->str(), "192.168.1.5:2203");
    EXPECT_FALSE(endpoints[1].has_value());  // "1,2,3" names no endpoint
    EXPECT_FALSE(std::get<analyzer::CommandEvent>(ev.command("USER")->body).endpoint.has_value());
    for (const auto& r : ev.bodies<analyzer::ReplyEvent>()) {
        if (r.code != 227) {
            EXPECT_FALSE(r.endpoint.has_value()) << r.code;
            continue;
        }
        ASSERT_TRUE(r.endpoint.has_value());
        EXPECT_EQ(r.endpoint->endpoint.str(), "192.168.1.10:50000");
        EXPECT_EQ(r.text.substr(r.endpoint->pos, r.endpoint->len), "192,168,1,10,195,80");
    }
}

TEST_F(ActiveModeTest, DataConnectionIsClassifiedAsFtpData) {
    Capture cap;
    EventCollector ev = analyze(active_session(cap, "LIST", kListing));
    auto opens = ev.of<analyzer::ConnOpen>();
    ASSERT_EQ(opens.size(), 2u) << ev.dump();
    EXPECT_EQ(std::get<analyzer::ConnOpen>(opens[1].body).role, analyzer::ConnRole::kFtpData);
    // The connection's client is the side that sent the SYN: the server's port 20.
    EXPECT_EQ(opens[1].src.str(), "192.168.1.10:20");
    EXPECT_EQ(opens[1].dst.str(), "192.168.1.5:2203");
}

TEST_F(ActiveModeTest, StorIsAnUploadFromTheListener) {
    const std::string file = file_bytes(3000, 7);
    Capture cap;
    EventCollector ev = analyze(active_session(cap, "STOR up.bin", file));
    auto data = ev.of<DataEvent>();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    expect_transfer(std::get<DataEvent>(data[0].body),
                    {.mode = "active", .command = "STOR", .arg = "up.bin", .direction = "upload",
                     .content = file});
    EXPECT_EQ(data[0].src.str(), "192.168.1.5:2203");
}

// A data connection blocked by a firewall: the server's SYN from port 20 is never answered, the
// server gives up with 425, and the next LIST works. The blocked transfer is reported only at the
// end of the capture (its connection never closes), yet the golden form puts it right after its
// own 425, not after the latest transfer reply.
TEST_F(ActiveModeTest, BlockedTransferSitsAfterItsOwn425InTheGoldenForm) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PORT 192,168,1,5,8,155", "200 Port command successful");
    command(ctrl, "LIST");
    Connection& blocked = cap.connect(kServerPort20, kClientListener, 5'000'000, 6'000'000);
    blocked.segment(true, 5'000'000, "", kSyn);  // no SYN-ACK: dropped by the client's firewall
    reply(ctrl, "425 Failed to establish connection.");
    exchange(ctrl, "PORT 192,168,1,5,8,156", "200 Port command successful");
    command(ctrl, "LIST");
    Connection& data = cap.connect(kServerPort20, {"192.168.1.5", 2204}, 7'000'000, 8'000'000);
    data.handshake();
    reply(ctrl, "150 Opening data channel");
    send_and_close(data, kListing, /*from_client=*/true);
    complete_and_quit(ctrl);

    std::ostringstream warnings;
    std::istringstream golden(golden::golden_text(write(cap).string(), {}, warnings));
    std::vector<std::string> lines;
    for (std::string l; std::getline(golden, l);) lines.push_back(l);
    auto index_of = [&](const std::string& piece) {
        for (std::size_t i = 0; i < lines.size(); ++i)
            if (lines[i].find(piece) != std::string::npos) return i;
        return lines.size();
    };
    const std::size_t refused = index_of("reply 425 (to LIST)");
    ASSERT_LT(refused + 1, lines.size()) << golden.str();
    EXPECT_NE(lines[refused + 1].find("data active LIST download"), std::string::npos) << golden.str();
    EXPECT_NE(lines[refused + 1].find("bytes=0"), std::string::npos) << golden.str();
    EXPECT_NE(lines[refused + 1].find("reply=425"), std::string::npos) << golden.str();
    EXPECT_EQ(index_of("reply=226"), index_of("reply 226 (to LIST)") + 1) << golden.str();
}

}  // namespace
}  // namespace ftpsim::testsupport
