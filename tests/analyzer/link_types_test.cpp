// The same session written with every supported link-layer header (and as pcapng) decodes the
// same as plain Ethernet.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

struct LinkCase {
    const char* name;
    LinkType link;
    FileFormat format;
    bool v6;
};

void small_session(Capture& cap, bool v6) {
    const Ep client = v6 ? Ep{"2001:db8::5", 50123} : kClientCtrl;
    const Ep server = v6 ? Ep{"2001:db8::10", 21} : kServerCtrl;
    Connection& ctrl = logged_in_control(cap, {.client = client, .server = server});
    exchange(ctrl, "PWD", "257 \"/\" is current directory.");
    if (v6) {
        exchange(ctrl, "EPSV", "229 Entering Extended Passive Mode (|||50000|)");
    } else {
        exchange(ctrl, "PASV", kPasvReply);
    }
    start_transfer(ctrl, "LIST", "150 Here comes the directory listing.");
    data_connection(cap, {client.addr, 50124}, {server.addr, 50000},
                    "-rw-r--r-- 1 ftp ftp 5000 Jan 01 12:00 file.bin\r\n", true);
    complete_and_quit(ctrl, "226 Directory send OK.", "221 Goodbye.");
}

class LinkTypesTest : public CaptureTest, public ::testing::WithParamInterface<LinkCase> {};

TEST_P(LinkTypesTest, DecodesLikeEthernet) {
    const LinkCase& c = GetParam();
    Capture cap;
    small_session(cap, c.v6);
    EventCollector baseline = analyze_written(cap, {}, "ethernet.pcap");
    ASSERT_GE(baseline.commands().size(), 6u) << baseline.dump();
    ASSERT_EQ(baseline.data().size(), 1u) << baseline.dump();

    EventCollector ev =
        analyze_written(cap, {.link = c.link, .format = c.format}, std::string(c.name) + ".cap");
    EXPECT_EQ(ev.commands(), baseline.commands()) << ev.dump();
    EXPECT_EQ(ev.replies(), baseline.replies()) << ev.dump();
    EXPECT_EQ(ev.event_lines(), baseline.event_lines()) << ev.dump();
    EXPECT_TRUE(ev.warnings.empty()) << ev.dump();
}

INSTANTIATE_TEST_SUITE_P(
    All, LinkTypesTest,
    ::testing::Values(LinkCase{"vlan", LinkType::kEthernetVlan, FileFormat::kPcap, false},
                      LinkCase{"sll", LinkType::kLinuxSll, FileFormat::kPcap, false},
                      LinkCase{"sll2", LinkType::kLinuxSll2, FileFormat::kPcap, false},
                      LinkCase{"raw", LinkType::kRawIp, FileFormat::kPcap, false},
                      LinkCase{"loopback", LinkType::kBsdLoopback, FileFormat::kPcap, false},
                      LinkCase{"pcapng_ethernet", LinkType::kEthernet, FileFormat::kPcapng, false},
                      LinkCase{"pcapng_sll2", LinkType::kLinuxSll2, FileFormat::kPcapng, false},
                      LinkCase{"vlan6", LinkType::kEthernetVlan, FileFormat::kPcap, true},
                      LinkCase{"sll6", LinkType::kLinuxSll, FileFormat::kPcap, true},
                      LinkCase{"sll2_6", LinkType::kLinuxSll2, FileFormat::kPcap, true},
                      LinkCase{"raw6", LinkType::kRawIp, FileFormat::kPcap, true},
                      LinkCase{"loopback6", LinkType::kBsdLoopback, FileFormat::kPcap, true}),
    [](const ::testing::TestParamInfo<LinkCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ftpsim::testsupport
