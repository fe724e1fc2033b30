// tshark cross-check on every capture under tests/data and tests/data/nat (recorded fixtures). The same three
// checks run on every pcap `ftpsim run` writes (tshark_scenario_crosscheck_test.cpp); the code
// is in crosscheck_checks.cpp, tshark is run by tshark_fields.cpp.
//
// 1. FTP fields, frame by frame: the FTP command, argument and reply code the analyzer reports
//    equal what tshark's FTP dissector prints. tshark dissects each TCP segment of the control
//    connection on its own and decodes only the segment's first line into ftp.request.command/
//    arg or ftp.response.code. The analyzer reassembles the stream and reports every line with
//    the frames holding its first and last byte. So, for each frame, the first line that lies
//    wholly in that frame is what tshark decodes there; continuation lines of a multi-line reply
//    that carry no code (" EPRT") give no code, just as in tshark. A line split across segments
//    is not compared in the frames it touches (tshark decodes its pieces as if they were lines);
//    the test expects none in these captures. A known dissector difference: where a later copy
//    of stream bytes replaced a differing copy held out of order (the analyzer's
//    inconsistent_retransmission with kept=later, as after a device that drops the first part
//    of a split command and rewrites the retransmission), tshark decodes the held copy, which
//    the receiver never read, and does not dissect the retransmission at all (with sequence
//    analysis on, a retransmission is shown as TCP data only); the analyzer decodes what the
//    receiver read. The held copy's frame is then not compared (a note says so), and the
//    retransmission's frame is compared with tshark's decode under
//    -o tcp.analyze_sequence_numbers:FALSE.
//
// 2. No errors: tshark opens the capture without a word on stderr and with exit status 0, and
//    reports no error-level expert information (_ws.expert.severity == PI_ERROR: malformed
//    packets, and, with -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE, bad checksums).
//
// 3. TCP analysis: for every TCP event the analyzer reports, the set of frames where tshark sets
//    the corresponding flag equals the set of frames where the analyzer reports it:
//      zero_window        tcp.analysis.zero_window
//      zero_window_probe  tcp.analysis.zero_window_probe
//      keep_alive         tcp.analysis.keep_alive
//      window_update      tcp.analysis.window_update
//      window_full        tcp.analysis.window_full
//      retransmission     tcp.analysis.retransmission, fast_retransmission or
//                         spurious_retransmission (the analyzer folds the last two into the
//                         first, tcp_analysis.hpp, so the union of the three is compared)
//      out_of_order       tcp.analysis.out_of_order
//      dup_ack            tcp.analysis.duplicate_ack
//      lost_segment       tcp.analysis.lost_segment
//      rst                tcp.flags.reset (tshark has no analysis flag for it)
//    inconsistent_retransmission (differing copies of the same bytes) has no tshark flag: it is
//    checked through the FTP fields above.
//    Every kind the analyzer has is compared: the analyzer mirrors Wireshark's
//    tcp_analyze_sequence_number() (analyzer/tcp/tcp_analysis.hpp), including the "repeated"
//    cases (each zero-window segment is flagged, not only the first). Left out are tshark flags
//    the analyzer does not report as events at all: keep_alive_ack, zero_window_probe_ack (they
//    only keep such segments from counting as duplicate ACKs, and the dup_ack comparison covers
//    that), ack_lost_segment (the analyzer reports uncaptured bytes as a `gap` anomaly instead),
//    reused_ports and the TCP Fast Open flags.
//    Compared frames are those of the connections the analyzer reports (FTP control and data:
//    docs/analyzer-json.md says TCP events are reported for FTP connections only), from the
//    connection's first frame to the frame the analyzer closes it at: by design
//    (analyzer/tcp/tcp_tracker.cpp) a closed connection's late segments (the last ACK, a
//    retransmitted FIN, an RST answering it) give no events. tshark streams are paired with
//    the analyzer's connections by their first frame. Flagged frames outside that scope are
//    printed as a note, not compared.
#include <gtest/gtest.h>

#include "crosscheck/crosscheck_checks.hpp"
#include "crosscheck/tshark_fields.hpp"

namespace {

using namespace ftpsim::crosscheck;

class TsharkCrossCheck : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (have_tshark()) return;
        if (in_ci()) FAIL() << "tshark is not installed (scripts/setup installs it)";
        GTEST_SKIP() << "tshark is not installed: run scripts/setup";
    }
};

TEST_P(TsharkCrossCheck, AnalyzerAgreesWithTsharkFrameByFrame) {
    check_ftp_fields(GetParam(), "", 6);
}

TEST_P(TsharkCrossCheck, NoTsharkErrors) { check_no_tshark_errors(GetParam(), true); }

TEST_P(TsharkCrossCheck, TcpAnalysisAgreesWithTshark) { check_tcp_analysis(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Fixtures, TsharkCrossCheck,
                         ::testing::ValuesIn(captures_in(FTPSIM_TEST_DATA_DIR)),
                         [](const auto& info) { return test_name_for(info.param); });
// Both sides of the recorded NAT pairs (tests/data/nat), which ftpsim nat-check judges. The
// port-forward pairs reach the server as port 2121 on the inside: tshark is told it is FTP.
class TsharkNatCrossCheck : public TsharkCrossCheck {};

TEST_P(TsharkNatCrossCheck, AnalyzerAgreesWithTsharkFrameByFrame) {
    check_ftp_fields(GetParam(), "-d tcp.port==2121,ftp", 6);
}

TEST_P(TsharkNatCrossCheck, NoTsharkErrors) { check_no_tshark_errors(GetParam(), true); }

TEST_P(TsharkNatCrossCheck, TcpAnalysisAgreesWithTshark) { check_tcp_analysis(GetParam()); }

INSTANTIATE_TEST_SUITE_P(NatFixtures, TsharkNatCrossCheck,
                         ::testing::ValuesIn(captures_in(FTPSIM_TEST_DATA_DIR "/nat")),
                         [](const auto& info) { return test_name_for(info.param); });

}  // namespace
