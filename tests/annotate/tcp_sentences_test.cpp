// The sentences of TCP's own events: zero window, probe, window update, RST, duplicate ACKs,
// a lost segment and its retransmission, a keep-alive.
#include <gtest/gtest.h>

#include "annotate/annotation_test_support.hpp"
#include "annotate/packet_sentences.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

TEST(TcpSentences, ZeroWindowProbeAndWindowUpdate) {
    Capture cap;
    auto [ctrl, data] = begin_passive_retr(cap);
    const std::string file = file_bytes(5000, 13);
    data.send(file.substr(0, 2920), kFromServer);
    data.set_window(kFromClient, 0);
    std::size_t zero = data.ack(kFromClient);
    std::size_t probe = data.segment(kFromServer, data.next_seq(kFromServer), file.substr(2920, 1), kAck);
    data.ack(kFromClient);
    data.set_window(kFromClient, 65535);
    std::size_t update = data.ack(kFromClient);
    Sentences s = annotate_built(cap);
    EXPECT_EQ(s.at(zero), "receive window 0: the client's buffer is full, the server must stop sending")
        << s.dump();
    EXPECT_EQ(s.at(probe), "zero-window probe: the server asks whether the client's window has opened");
    EXPECT_EQ(s.at(update).substr(0, 52), "window update: the client's buffer has room again (w");
}

TEST(TcpSentences, RstEndsTheDataConnection) {
    Capture cap;
    auto [ctrl, data] = begin_passive_retr(cap);
    data.send(file_bytes(100), kFromServer);
    std::size_t rst = data.rst(kFromClient);
    Sentences s = annotate_built(cap);
    EXPECT_EQ(s.at(rst), "client resets the data connection: RST, it ends at once without a goodbye")
        << s.dump();
}

TEST(TcpSentences, DuplicateAcksAndRetransmission) {
    Capture cap;
    auto [ctrl, data] = begin_passive_retr(cap);
    const std::string file = file_bytes(4 * 1460, 3);
    const std::uint32_t base = data.next_seq(kFromServer);
    data.segment(kFromServer, base, file.substr(0, 1460), kPsh | kAck, true);
    data.ack_at(kFromClient, base + 1460);
    std::size_t lost = data.segment(kFromServer, base + 1460, file.substr(1460, 1460), kPsh | kAck, true);
    std::size_t third = data.segment(kFromServer, base + 2920, file.substr(2920, 1460), kPsh | kAck, true);
    std::size_t dup = data.ack_at(kFromClient, base + 1460);
    std::size_t resent = data.segment(kFromServer, base + 1460, file.substr(1460, 1460));
    cap.packets.erase(cap.packets.begin() + static_cast<std::ptrdiff_t>(lost));
    Sentences s = annotate_built(cap);
    // Indices after `lost` moved down by one.
    EXPECT_EQ(s.at(third - 1), "previous segment not captured: bytes before 2921 were lost or not captured")
        << s.dump();
    EXPECT_EQ(s.at(dup - 1), "duplicate ACK: the client still waits for byte 1461 of the server's "
                             "data (a segment is missing)");
    EXPECT_NE(s.at(resent - 1).find("bytes 1461..2920"), std::string::npos) << s.dump();
}

TEST(TcpSentences, KeepAliveOnTheControlConnection) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t keepalive =
        ctrl.segment(kFromClient, ctrl.next_seq(kFromClient) - 1, "", kAck);
    Sentences s = annotate_built(cap);
    EXPECT_EQ(s.at(keepalive), "keep-alive: the client checks that the connection is still alive")
        << s.dump();
}

TEST(TcpSentences, ReplyClassesFollowTheFirstDigit) {
    EXPECT_EQ(annotate::reply_class(150), "positive preliminary");
    EXPECT_EQ(annotate::reply_class(226), "positive completion");
    EXPECT_EQ(annotate::reply_class(331), "positive intermediate");
    EXPECT_EQ(annotate::reply_class(425), "transient negative");
    EXPECT_EQ(annotate::reply_class(530), "permanent negative");
    EXPECT_EQ(annotate::reply_class(650), "");
}

TEST(TcpSentences, EprtCommandNamesItsEndpoint) {
    analyzer::CommandEvent c;
    c.verb = "EPRT";
    c.arg = "|2|2001:db8::5|2204|";
    net::Endpoint ep;
    ASSERT_TRUE(net::IpAddress::parse("2001:db8::5", ep.addr));
    ep.port = 2204;
    c.endpoint = ep;
    EXPECT_EQ(annotate::explain_command(c), "EPRT |2|2001:db8::5|2204|: the client will listen on "
                                            "2001:db8::5 port 2204 and the server will connect to "
                                            "it (active mode)");
}

}  // namespace
}  // namespace ftpsim::testsupport
