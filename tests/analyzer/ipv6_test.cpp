// FTP over IPv6 (RFC 2428): EPRT for active mode, EPSV / 229 for passive mode.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::DataEvent;

const Ep kClient6{"2001:db8::5", 50123};
const Ep kServer6{"2001:db8::10", 21};

class Ipv6Test : public CaptureTest {
protected:
    const std::string listing = "-rw-r--r-- 1 ftp ftp 4000 Jan 01 12:00 big.bin\r\n";
    const std::string file = file_bytes(4000, 3);

    Capture& session(Capture& cap) {
        Connection& ctrl = cap.connect(kClient6, kServer6);
        ctrl.handshake({1440, 7});
        login(ctrl);
        exchange(ctrl, "EPRT |2|2001:db8::5|2203|", "200 EPRT command successful.");
        command(ctrl, "LIST");
        Connection& active = cap.connect({"2001:db8::10", 20}, {"2001:db8::5", 2203});
        active.handshake({1440, 7});
        reply(ctrl, "150 Here comes the directory listing.");
        active.send(listing, kFromClient);
        active.ack(kFromServer);
        active.close();
        reply(ctrl, "226 Directory send OK.");
        ctrl.ack(kFromClient);
        exchange(ctrl, "EPSV", "229 Entering Extended Passive Mode (|||6446|)");
        Connection& passive = cap.connect({"2001:db8::5", 50124}, {"2001:db8::10", 6446});
        passive.handshake({1440, 7});
        command(ctrl, "RETR big.bin");
        reply(ctrl, "150 Opening BINARY mode data connection for big.bin (4000 bytes).");
        passive.send(file, kFromServer);
        passive.ack(kFromClient);
        passive.close(false);
        reply(ctrl, "226 Transfer complete.");
        ctrl.ack(kFromClient);
        exchange(ctrl, "QUIT", "221 Goodbye.");
        ctrl.close();
        return cap;
    }
};

TEST_F(Ipv6Test, DecodesTheControlConnection) {
    Capture cap;
    EventCollector ev = analyze(session(cap));
    using P = std::pair<std::string, std::string>;
    EXPECT_EQ(ev.commands(),
              (std::vector<P>{{"USER", "anonymous"}, {"PASS", "s3cret"},
                              {"EPRT", "|2|2001:db8::5|2203|"}, {"LIST", ""}, {"EPSV", ""},
                              {"RETR", "big.bin"}, {"QUIT", ""}}))
        << ev.dump();
    EXPECT_EQ(ev.replies(), (std::vector<int>{220, 331, 230, 200, 150, 226, 229, 150, 226, 221}));
    auto opens = ev.of<analyzer::ConnOpen>();
    ASSERT_FALSE(opens.empty());
    EXPECT_EQ(opens[0].src.str(), "[2001:db8::5]:50123");
    EXPECT_TRUE(opens[0].src.addr.v6);
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(Ipv6Test, EprtDataConnectionIsActive) {
    Capture cap;
    EventCollector ev = analyze(session(cap));
    auto data = ev.bodies<DataEvent>();
    ASSERT_EQ(data.size(), 2u) << ev.dump();
    const DataEvent& d = data[0];
    EXPECT_EQ(d.mode, "active");
    EXPECT_EQ(d.command, "LIST");
    EXPECT_EQ(d.bytes, listing.size());
    EXPECT_EQ(d.sha256, expected_sha256(listing));
    EXPECT_EQ(d.completion, 226);
    EXPECT_EQ(d.data_client.str(), "[2001:db8::10]:20");
    EXPECT_EQ(d.data_server.str(), "[2001:db8::5]:2203");
}

TEST_F(Ipv6Test, EpsvDataConnectionIsPassive) {
    Capture cap;
    EventCollector ev = analyze(session(cap));
    auto data = ev.bodies<DataEvent>();
    ASSERT_EQ(data.size(), 2u) << ev.dump();
    const DataEvent& d = data[1];
    EXPECT_EQ(d.mode, "passive");
    EXPECT_EQ(d.command, "RETR");
    EXPECT_EQ(d.arg, "big.bin");
    EXPECT_EQ(d.direction, "download");
    EXPECT_EQ(d.bytes, file.size());
    EXPECT_EQ(d.sha256, expected_sha256(file));
    EXPECT_EQ(d.completion, 226);
    EXPECT_EQ(d.data_client.str(), "[2001:db8::5]:50124");
    EXPECT_EQ(d.data_server.str(), "[2001:db8::10]:6446");
}

}  // namespace
}  // namespace ftpsim::testsupport
