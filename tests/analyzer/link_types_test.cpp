// The same session written with every supported link-layer header (and as pcapng) decodes the
// same as plain Ethernet.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_script.hpp"

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
    Connection& ctrl = cap.connect(client, server);
    ctrl.handshake();
    login(ctrl);
    exchange(ctrl, "PWD", "257 \"/\" is current directory.");
    if (v6) {
        exchange(ctrl, "EPSV", "229 Entering Extended Passive Mode (|||50000|)");
    } else {
        exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80)");
    }
    command(ctrl, "LIST");
    reply(ctrl, "150 Here comes the directory listing.");
    data_connection(cap, {client.addr, 50124}, {server.addr, 50000},
                    "-rw-r--r-- 1 ftp ftp 5000 Jan 01 12:00 file.bin\r\n", true);
    reply(ctrl, "226 Directory send OK.");
    ctrl.ack(kFromClient);
    exchange(ctrl, "QUIT", "221 Goodbye.");
    ctrl.close();
}

std::vector<std::string> event_lines(const EventCollector& ev) {
    std::vector<std::string> out;
    for (const auto& e : ev.events)
        out.push_back("#" + std::to_string(e.frame) + " " + render::event_text(e, {true, nullptr}));
    return out;
}

class LinkTypesTest : public CaptureTest, public ::testing::WithParamInterface<LinkCase> {};

TEST_P(LinkTypesTest, DecodesLikeEthernet) {
    const LinkCase& c = GetParam();
    Capture cap;
    small_session(cap, c.v6);
    EventCollector baseline = analyze(cap, {}, "ethernet.pcap");
    ASSERT_GE(baseline.commands().size(), 6u) << baseline.dump();
    ASSERT_EQ(baseline.data().size(), 1u) << baseline.dump();

    WriteOptions o;
    o.link = c.link;
    o.format = c.format;
    EventCollector ev = analyze(cap, o, std::string(c.name) + ".cap");
    EXPECT_EQ(ev.commands(), baseline.commands()) << ev.dump();
    EXPECT_EQ(ev.replies(), baseline.replies()) << ev.dump();
    EXPECT_EQ(event_lines(ev), event_lines(baseline)) << ev.dump();
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
