// Data transfers in the shapes real captures take: sequence numbers wrapping, replies and FINs
// crossing in the capture, REST and SIZE, uploads.
#include <gtest/gtest.h>

#include <utility>

#include "support/capture_test.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::DataEvent;

class TransferEdgeCasesTest : public CaptureTest {
protected:
    const std::string file = file_bytes(5000, 23);

    // A logged-in control connection (ISNs `isn` and `isn` + 77) after PASV.
    static Connection& control(Capture& cap, std::uint32_t isn = 1'000'000) {
        Connection& ctrl = logged_in_control(cap, {.client_isn = isn, .server_isn = isn + 77});
        exchange(ctrl, "PASV", kPasvReply);
        return ctrl;
    }
    // RETR answered by `opening`, then `sent` from the server over a data connection opened
    // before the RETR, "226 Transfer complete.", QUIT.
    static void retr_and_quit(Capture& cap, Connection& ctrl, std::string_view opening,
                              std::string_view sent) {
        Connection& data = open_connection(cap, kClientData, kServerPasv);
        start_transfer(ctrl, "RETR file.bin", opening);
        send_and_close(data, sent, kFromServer);
        complete_and_quit(ctrl, "226 Transfer complete.");
    }
    static DataEvent only_data(const EventCollector& ev) {
        auto d = ev.data();
        EXPECT_EQ(d.size(), 1u) << ev.dump();
        return d.empty() ? DataEvent{} : d[0];
    }
};

TEST_F(TransferEdgeCasesTest, SequenceNumbersWrapDuringTransfer) {
    Capture cap;
    Connection& ctrl = control(cap, 0xFFFFFF00u);  // wraps within the login
    Connection& data = cap.connect(kClientData, kServerPasv, 0xFFFFFFF0u, 0xFFFFF000u);
    data.handshake();
    start_transfer(ctrl, "RETR file.bin");
    send_and_close(data, file, kFromServer);
    reply(ctrl, "226 Transfer complete");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    expect_transfer(only_data(ev), {.content = file});
    EXPECT_EQ(ev.commands().size(), 5u) << ev.dump();
    EXPECT_TRUE(ev.bodies<analyzer::TcpAnalysisEvent>().empty()) << ev.dump();
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

// The server's 226 is captured before the data connection's FIN.
TEST_F(TransferEdgeCasesTest, CompletionReplyBeforeDataFin) {
    Capture cap;
    Connection& ctrl = control(cap);
    Connection& data = open_connection(cap, kClientData, kServerPasv);
    start_transfer(ctrl, "RETR file.bin");
    data.send(file, kFromServer);
    reply(ctrl, "226 Transfer complete");
    ack_and_close(data, /*sender_is_client=*/false);
    ctrl.ack(kFromClient);
    quit(ctrl);
    EventCollector ev = analyze(cap);
    expect_transfer(only_data(ev), {.content = file, .completion = 226});
}

// The FIN overtakes the last data segment in the capture.
TEST_F(TransferEdgeCasesTest, FinCapturedBeforeLastDataSegment) {
    Capture cap;
    Connection& ctrl = control(cap);
    Connection& data = open_connection(cap, kClientData, kServerPasv);
    start_transfer(ctrl, "RETR file.bin");
    std::size_t first = data.send(file, kFromServer);
    std::size_t fin = data.fin(kFromServer);
    std::swap(cap.packets[first + 3], cap.packets[fin]);
    data.fin(kFromClient);
    data.ack(kFromServer);
    complete_and_quit(ctrl);
    EventCollector ev = analyze(cap);
    DataEvent d = only_data(ev);
    EXPECT_EQ(d.bytes, file.size()) << ev.dump();
    EXPECT_EQ(d.sha256, expected_sha256(file));
    EXPECT_TRUE(ev.anomalies("gap").empty()) << ev.dump();
}

TEST_F(TransferEdgeCasesTest, RestOffsetIsReportedAndCountsForTheSize) {
    Capture cap;
    Connection& ctrl = control(cap);
    exchange(ctrl, "REST 1000", "350 Restarting at 1000. Send STORE or RETRIEVE.");
    retr_and_quit(cap, ctrl, "150 Opening BINARY mode data connection for file.bin (5000 bytes).",
                  file.substr(1000));
    EventCollector ev = analyze(cap);
    expect_transfer(only_data(ev), {.content = file.substr(1000), .bytes = 4000, .rest = 1000});
    EXPECT_TRUE(ev.anomalies("short_transfer").empty()) << ev.dump();
}

TEST_F(TransferEdgeCasesTest, SizeAnswerMakesAShortRetrVisible) {
    Capture cap;
    Connection& ctrl = control(cap);
    exchange(ctrl, "SIZE file.bin", "213 5000");
    retr_and_quit(cap, ctrl, "150 Opening data channel", file.substr(0, 3000));
    EventCollector ev = analyze(cap);
    EXPECT_EQ(only_data(ev).bytes, 3000u);
    EXPECT_EQ(ev.anomalies("short_transfer").size(), 1u) << ev.dump();
}

TEST_F(TransferEdgeCasesTest, PassiveStorIsAnUpload) {
    Capture cap;
    Connection& ctrl = control(cap);
    Connection& data = open_connection(cap, kClientData, kServerPasv);
    start_transfer(ctrl, "STOR up.bin", "150 Ok to send data.");
    send_and_close(data, file, kFromClient);
    complete_and_quit(ctrl, "226 Transfer complete.");
    EventCollector ev = analyze(cap);
    auto events = ev.of<DataEvent>();
    ASSERT_EQ(events.size(), 1u) << ev.dump();
    expect_transfer(std::get<DataEvent>(events[0].body),
                    {.command = "STOR", .direction = "upload", .content = file});
    EXPECT_EQ(events[0].src.str(), "192.168.1.5:50124");
}

TEST_F(TransferEdgeCasesTest, TwoTransfersOnOneControlConnection) {
    const std::string listing = "-rw-r--r-- 1 ftp ftp 5000 Jan 01 12:00 file.bin\r\n";
    Capture cap;
    Connection& ctrl = control(cap);
    start_transfer(ctrl, "LIST", "150 Here comes the directory listing.");
    data_connection(cap, kClientData, kServerPasv, listing, true);
    reply_acked(ctrl, "226 Directory send OK.");
    exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,81)");
    start_transfer(ctrl, "RETR file.bin");
    data_connection(cap, {"192.168.1.5", 50125}, {"192.168.1.10", 50001}, file, true);
    complete_and_quit(ctrl);
    EventCollector ev = analyze(cap);
    auto d = ev.data();
    ASSERT_EQ(d.size(), 2u) << ev.dump();
    expect_transfer(d[0], {.command = "LIST", .bytes = listing.size(),
                           .data_server = "192.168.1.10:50000"});
    expect_transfer(d[1], {.command = "RETR", .bytes = file.size(),
                           .data_server = "192.168.1.10:50001"});
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

// Two clients at once, each with its own passive port: transfers stay with their sessions.
TEST_F(TransferEdgeCasesTest, ConcurrentSessionsDoNotMixTransfers) {
    const std::string other = file_bytes(1200, 99);
    Capture cap;
    Connection& a = control(cap);
    Connection& b = logged_in_control(
        cap, {.client = {"192.168.1.6", 40000}, .client_isn = 4'000'000, .server_isn = 8'000'000});
    exchange(b, "PASV", "227 Entering Passive Mode (192,168,1,10,195,90)");
    command(b, "RETR other.bin");
    start_transfer(a, "RETR file.bin");
    reply(b, "150 Opening data channel");
    data_connection(cap, {"192.168.1.6", 40001}, {"192.168.1.10", 50010}, other, true);
    data_connection(cap, kClientData, kServerPasv, file, true);
    reply(b, "226 Transfer complete");
    reply(a, "226 Transfer complete");
    quit(a);
    quit(b);
    EventCollector ev = analyze(cap);
    auto opens = ev.of<analyzer::ConnOpen>();
    ASSERT_GE(opens.size(), 2u);
    auto d = ev.data();
    ASSERT_EQ(d.size(), 2u) << ev.dump();
    for (const auto& t : d) {
        if (t.arg == "other.bin") {
            EXPECT_EQ(t.control_conn, opens[1].conn);
            EXPECT_EQ(t.sha256, expected_sha256(other));
        } else {
            EXPECT_EQ(t.arg, "file.bin");
            EXPECT_EQ(t.control_conn, opens[0].conn);
            EXPECT_EQ(t.sha256, expected_sha256(file));
        }
    }
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

// The second transfer's data connection reuses the first one's 4-tuple (new ISNs).
TEST_F(TransferEdgeCasesTest, DataConnectionTupleReused) {
    const std::string second = file_bytes(700, 53);
    Capture cap;
    Connection& ctrl = control(cap);
    start_transfer(ctrl, "RETR file.bin");
    data_connection(cap, kClientData, kServerPasv, file, true, 100, 200);
    reply_acked(ctrl, "226 Transfer complete");
    exchange(ctrl, "PASV", kPasvReply);
    start_transfer(ctrl, "RETR second.bin");
    data_connection(cap, kClientData, kServerPasv, second, true, 900'000, 800'000);
    complete_and_quit(ctrl);
    EventCollector ev = analyze(cap);
    auto d = ev.data();
    ASSERT_EQ(d.size(), 2u) << ev.dump();
    expect_transfer(d[0], {.content = file});
    expect_transfer(d[1], {.arg = "second.bin", .content = second});
    EXPECT_EQ(ev.of<analyzer::ConnOpen>().size(), 3u) << ev.dump();
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
