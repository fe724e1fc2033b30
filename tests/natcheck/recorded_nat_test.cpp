// The real thing: captures taken on both sides of a Linux router doing masquerade, with the
// conntrack FTP helper attached (`ct helper set`) and without it
// (tests/fixtures/record_nat_fixtures.sh, tests/data/README.md).
#include <gtest/gtest.h>

#include <algorithm>

#include "natcheck/nat_check.hpp"
#include "natcheck/nat_render.hpp"

namespace ftpsim::natcheck {
namespace {

const std::string kData = std::string(FTPSIM_TEST_DATA_DIR) + "/nat/";

Report check_pair(const std::string& variant) {
    return check_captures(kData + variant + "_inside.pcap", kData + variant + "_outside.pcap");
}

Verdict verdict_of(const Item& item, const std::string& name) {
    for (const Check& c : item.checks)
        if (c.name == name) return c.verdict;
    ADD_FAILURE() << "no check " << name;
    return Verdict::kSkip;
}

TEST(RecordedNat, HelperAttachedPassesEveryItem) {
    Report r = check_pair("masquerade_helper");
    EXPECT_EQ(r.verdict(), Verdict::kPass) << report_text(r);
    ASSERT_EQ(r.controls.size(), 6u);  // PORT, EPRT, PASV, EPSV on IPv4; EPRT, EPSV on IPv6
    EXPECT_EQ(r.unpaired_inside + r.unpaired_outside, 0u);
    std::vector<std::string> kinds;
    for (const Item& i : r.items)
        if (i.kind != "control") kinds.push_back(i.kind);
    EXPECT_EQ(kinds, (std::vector<std::string>{"port", "eprt", "pasv", "epsv", "eprt", "epsv"}));
    for (const Item& i : r.items) {
        if (i.kind == "control") continue;
        EXPECT_EQ(verdict_of(i, kDataEstablishedBothSides), Verdict::kPass) << report_text(r);
        EXPECT_EQ(verdict_of(i, kDataBytesEqual), Verdict::kPass);
        EXPECT_EQ(verdict_of(i, kDataSynForwarded), Verdict::kPass);
    }
    // The client's announcements were rewritten to the router's outside address; those of the
    // public server passed unchanged.
    EXPECT_EQ(r.items[1].treatment, "rewritten");
    EXPECT_EQ(r.items[1].outside->endpoint.addr.str(), "203.0.113.1");
    EXPECT_EQ(r.items[1].length_change, 3);  // "10,0,1,2" -> "203,0,113,1": seq adjusted
    EXPECT_EQ(r.items[5].treatment, "unchanged");
    // Linux writes the full uncompressed IPv6 form: compared as values, not as strings.
    const Item& eprt6 = r.items[9];
    ASSERT_EQ(eprt6.kind, "eprt");
    EXPECT_EQ(eprt6.outside->raw.substr(0, 13), "|2|2001:0db8:");
    EXPECT_EQ(eprt6.outside->endpoint.addr.str(), "2001:db8:2::1");
    EXPECT_EQ(verdict_of(eprt6, kSeqContinuous), Verdict::kPass);
}

TEST(RecordedNat, NoHelperLeaksThePrivateAddressAndTheDeviceDropsTheDataSyn) {
    Report r = check_pair("masquerade_no_helper");
    EXPECT_EQ(r.verdict(), Verdict::kFail);
    const std::string text = report_text(r);
    for (const Item& i : r.items) {
        if (i.kind == "port" || i.kind == "eprt") {
            EXPECT_EQ(i.treatment, "not rewritten") << text;
            EXPECT_EQ(verdict_of(i, kNoPrivateLeak), Verdict::kFail) << text;
            EXPECT_EQ(verdict_of(i, kRewriteMatchesWire), Verdict::kFail) << text;
            EXPECT_EQ(verdict_of(i, kDataSynForwarded), Verdict::kFail) << text;
            EXPECT_EQ(verdict_of(i, kDataEstablishedBothSides), Verdict::kFail) << text;
            EXPECT_EQ(verdict_of(i, kSeqContinuous), Verdict::kPass) << text;  // nothing changed length
        } else if (i.kind == "pasv" || i.kind == "epsv") {
            // Passive mode needs no helper behind a source NAT: the client opens the connection.
            EXPECT_EQ(i.verdict(), Verdict::kPass) << text;
        } else {
            EXPECT_EQ(verdict_of(i, kControlStreamEqual), Verdict::kPass) << text;
        }
    }
    // Over the whole report, as a scenario's `expect: nat:` reads it.
    EXPECT_EQ(check_verdict(r, kNoPrivateLeak), Verdict::kFail);
    EXPECT_EQ(check_verdict(r, kNoPrivateLeak, "pasv"), Verdict::kPass);
    EXPECT_EQ(check_verdict(r, kSeqContinuous), Verdict::kPass);
    EXPECT_EQ(check_verdict(r, kDataBytesEqual, "port"), Verdict::kSkip);
    // The SYN is seen outside, never inside: named as the device's drop.
    EXPECT_NE(text.find("seen outside (the server's side, frame "), std::string::npos) << text;
    EXPECT_NE(text.find("never inside (the client's side)"), std::string::npos) << text;
    EXPECT_NE(text.find("dropped by the device"), std::string::npos) << text;
    // The single-capture analyzer calls a PORT to a foreign address ftp_bounce; the two-sided
    // view names it for what it is.
    std::string lower = text + report_json(r).dump() + report_junit(r);
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    EXPECT_EQ(lower.find("bounce"), std::string::npos) << text;
}

// A port forward (10.0.1.1:2121 -> 203.0.113.2:21): the control connections pair although
// address and port differ, and the helper's 227 rewrite shortens the reply by 3 bytes, so every
// later server segment and client ACK is adjusted (nf_conntrack_seqadj).
TEST(RecordedNat, PortForwardWithHelperPassesAndAdjustsSequenceNumbers) {
    Report r = check_pair("dnat_helper");
    EXPECT_EQ(r.verdict(), Verdict::kPass) << report_text(r);
    ASSERT_EQ(r.controls.size(), 3u);
    EXPECT_EQ(r.controls[0].inside_server.port, 2121);
    EXPECT_EQ(r.controls[0].outside_server.port, 21);
    const Item& pasv = r.items[1];
    ASSERT_EQ(pasv.kind, "pasv");
    EXPECT_EQ(pasv.treatment, "rewritten");
    EXPECT_EQ(pasv.inside->endpoint.addr.str(), "10.0.1.1");
    EXPECT_EQ(pasv.length_change, 3);  // outside minus inside: 3 bytes shorter inside
    EXPECT_EQ(verdict_of(pasv, kSeqContinuous), Verdict::kPass);
    EXPECT_EQ(r.items[3].treatment, "unchanged");  // 229: the same port on both sides
}

TEST(RecordedNat, PortForwardWithoutHelperLeaksTheServerAddressInward) {
    Report r = check_pair("dnat_no_helper");
    EXPECT_EQ(r.verdict(), Verdict::kFail);
    const std::string text = report_text(r);
    std::size_t pasv = 0, epsv = 0;
    for (const Item& i : r.items) {
        if (i.kind == "pasv") {
            ++pasv;
            EXPECT_EQ(i.treatment, "not rewritten") << text;
            EXPECT_EQ(verdict_of(i, kNoPrivateLeak), Verdict::kFail) << text;
            EXPECT_EQ(verdict_of(i, kRewriteMatchesWire), Verdict::kFail) << text;
        } else if (i.kind == "epsv") {
            // The 229's port is not forwarded: the client's SYN dies at the router.
            ++epsv;
            EXPECT_EQ(verdict_of(i, kDataSynForwarded), Verdict::kFail) << text;
            EXPECT_EQ(verdict_of(i, kDataEstablishedBothSides), Verdict::kFail) << text;
        } else if (i.kind == "control") {
            EXPECT_EQ(i.verdict(), Verdict::kPass) << text;
        }
    }
    EXPECT_GE(pasv, 1u);
    EXPECT_EQ(epsv, 1u);
    EXPECT_NE(text.find("203.0.113.2 is an outside address and reached the inside"), std::string::npos) << text;
}

TEST(RecordedNat, GoldenFormIsDeterministicAndNormalisesPorts) {
    Report r = check_pair("masquerade_helper");
    const std::string golden = report_golden(r);
    EXPECT_EQ(golden, report_golden(check_pair("masquerade_helper")));
    EXPECT_NE(golden.find("c1 port inside 10.0.1.2:<p2> outside 203.0.113.1:<p2> rewritten len+3"),
              std::string::npos)
        << golden;
    EXPECT_EQ(golden.find("frame"), std::string::npos);
    EXPECT_NE(golden.find("verdict pass\n"), std::string::npos);
}

TEST(RecordedNat, SwappedCapturesAreBadInput) {
    try {
        check_captures(kData + "masquerade_helper_outside.pcap", kData + "masquerade_helper_inside.pcap");
        FAIL() << "swapped captures were judged";
    } catch (const BadInput& e) {
        EXPECT_NE(std::string(e.what()).find("swapped"), std::string::npos) << e.what();
    }
}

TEST(RecordedNat, UnrelatedCapturesAreBadInput) {
    try {
        check_captures(kData + "masquerade_helper_inside.pcap", std::string(FTPSIM_TEST_DATA_DIR) + "/login_failure.pcap");
        FAIL() << "unrelated captures were judged";
    } catch (const BadInput& e) {
        EXPECT_NE(std::string(e.what()).find("no control connection appears in both captures"), std::string::npos)
            << e.what();
    }
}

TEST(RecordedNat, MissingFileIsBadInputNamingIt) {
    try {
        check_captures(kData + "masquerade_helper_inside.pcap", "/nonexistent/outside.pcap");
        FAIL();
    } catch (const BadInput& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/outside.pcap"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace ftpsim::natcheck
