// Retransmitted, reordered and lost segments on the control and data connections.
#include <gtest/gtest.h>

#include <utility>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using P = std::pair<std::string, std::string>;
using tcp::TcpEvent;

constexpr std::size_t kFileSize = 5000;  // segments of 1460, 1460, 1460, 620

class TcpLossTest : public CaptureTest {
protected:
    const std::string file = file_bytes(kFileSize, 11);
    std::size_t first_data = 0;  // index of the first data segment

    // A passive RETR of `file`; `mangle` may edit the data segments (first_data .. +3) before
    // the receiver's ACK is appended.
    template <class Mangle>
    void retr(Capture& cap, Mangle mangle) {
        auto [ctrl, data] = begin_passive_retr(cap);
        first_data = data.send(file, kFromServer);
        mangle(cap);
        ack_and_close(data, /*sender_is_client=*/false);
        complete_and_quit(ctrl);
    }
    // The one DataEvent carries `content`.
    static void expect_one_transfer_of(const EventCollector& ev, const std::string& content) {
        auto data = ev.data();
        ASSERT_EQ(data.size(), 1u) << ev.dump();
        expect_transfer(data[0], {.content = content});
    }
};

TEST_F(TcpLossTest, RetransmittedCommandDecodesOnce) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t pwd = command(ctrl, "PWD");
    std::size_t again = cap.duplicate(pwd);
    reply_acked(ctrl, "257 \"/\" is current directory.");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PASS", "s3cret"}, {"PWD", ""},
                                             {"QUIT", ""}}))
        << ev.dump();
    EXPECT_EQ(ev.reply_verbs(), (std::vector<std::string>{"", "USER", "PASS", "PWD", "QUIT"}));
    auto retrans = ev.tcp_events(TcpEvent::kRetransmission);
    ASSERT_EQ(retrans.size(), 1u) << ev.dump();
    EXPECT_EQ(retrans[0].frame, again + 1);
    EXPECT_EQ(retrans[0].conn, ev.of<analyzer::ConnOpen>().at(0).conn);  // the control connection
    EXPECT_EQ(retrans[0].src.str(), "192.168.1.5:50123");
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(TcpLossTest, RetransmittedDataIsCountedOnce) {
    Capture cap;
    std::size_t again = 0;
    retr(cap, [&](Capture& c) { again = c.duplicate(first_data + 3); });
    EventCollector ev = analyze(cap);
    ASSERT_NO_FATAL_FAILURE(expect_one_transfer_of(ev, file));
    auto retrans = ev.tcp_events(TcpEvent::kRetransmission);
    ASSERT_EQ(retrans.size(), 1u) << ev.dump();
    EXPECT_EQ(retrans[0].frame, again + 1);
    EXPECT_EQ(retrans[0].conn, ev.opened_conn(1));
    EXPECT_EQ(retrans[0].src.str(), "192.168.1.10:50000");
}

TEST_F(TcpLossTest, ReorderedCommandsAreDeliveredInOrder) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t type = command(ctrl, "TYPE I");
    std::size_t pwd = command(ctrl, "PWD");
    std::swap(cap.packets[type], cap.packets[pwd]);  // PWD's segment is captured first
    reply(ctrl, "200 Type set to I");
    reply_acked(ctrl, "257 \"/\" is current directory.");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PASS", "s3cret"}, {"TYPE", "I"},
                                             {"PWD", ""}, {"QUIT", ""}}))
        << ev.dump();
    EXPECT_EQ(ev.reply_verbs(),
              (std::vector<std::string>{"", "USER", "PASS", "TYPE", "PWD", "QUIT"}));
    auto ooo = ev.tcp_events(TcpEvent::kOutOfOrder);
    ASSERT_EQ(ooo.size(), 1u) << ev.dump();
    EXPECT_EQ(ooo[0].frame, pwd + 1);  // where TYPE's segment now is
    EXPECT_EQ(ooo[0].src.str(), "192.168.1.5:50123");
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(TcpLossTest, ReorderedDataHashesInStreamOrder) {
    Capture cap;
    retr(cap, [&](Capture& c) { std::swap(c.packets[first_data + 1], c.packets[first_data + 2]); });
    EventCollector ev = analyze(cap);
    ASSERT_NO_FATAL_FAILURE(expect_one_transfer_of(ev, file));
    auto ooo = ev.tcp_events(TcpEvent::kOutOfOrder);
    ASSERT_EQ(ooo.size(), 1u) << ev.dump();
    EXPECT_EQ(ooo[0].conn, ev.opened_conn(1));
}

// "SYST\r\nTY" is lost; "PE I\r\n" arrives: the rest of the broken line is dropped and decoding
// resumes with PWD.
TEST_F(TcpLossTest, GapInControlStreamResyncsAtNextLine) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t lost = ctrl.send("SYST\r\nTY", kFromClient);
    ctrl.send("PE I\r\n", kFromClient);
    reply_acked(ctrl, "215 UNIX Type: L8\n200 Type set to I");  // acknowledges the lost bytes too
    exchange(ctrl, "PWD", "257 \"/\" is current directory.");
    quit(ctrl);
    cap.packets.erase(cap.packets.begin() + static_cast<std::ptrdiff_t>(lost));
    EventCollector ev = analyze(cap);
    auto gaps = ev.anomalies("gap");
    ASSERT_EQ(gaps.size(), 1u) << ev.dump();
    EXPECT_EQ(gaps[0].src.str(), "192.168.1.5:50123");
    EXPECT_EQ(gaps[0].conn, ev.of<analyzer::ConnOpen>().at(0).conn);
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PASS", "s3cret"}, {"PWD", ""},
                                             {"QUIT", ""}}))
        << ev.dump();
    auto replies = ev.bodies<analyzer::ReplyEvent>();
    ASSERT_GE(replies.size(), 2u);
    EXPECT_EQ(replies[replies.size() - 2].code, 257);
    EXPECT_EQ(replies[replies.size() - 2].to_verb, "PWD");
    EXPECT_TRUE(ev.anomalies("not_a_command").empty()) << ev.dump();
    EXPECT_TRUE(ev.anomalies("command_without_reply").empty()) << ev.dump();
}

TEST_F(TcpLossTest, GapInDataIsReportedAndNotHashed) {
    Capture cap;
    retr(cap, [&](Capture& c) {
        c.packets.erase(c.packets.begin() + static_cast<std::ptrdiff_t>(first_data + 1));
    });
    EventCollector ev = analyze(cap);
    ASSERT_NO_FATAL_FAILURE(expect_one_transfer_of(ev, file.substr(0, 1460) + file.substr(2920)));
    EXPECT_EQ(ev.data()[0].bytes, kFileSize - 1460);
    auto gaps = ev.anomalies("gap");
    ASSERT_EQ(gaps.size(), 1u) << ev.dump();
    EXPECT_NE(std::get<analyzer::AnomalyEvent>(gaps[0].body).detail.find("1460"), std::string::npos)
        << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
