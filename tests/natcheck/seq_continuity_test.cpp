// Sequence continuity after a length-changing rewrite: later segments shifted by exactly the
// difference in the rewritten direction, ACKs and SACK blocks shifted back in the other
// (nf_conntrack_seqadj.c), on synthetic two-sided captures.
#include <gtest/gtest.h>

#include "natcheck/nat_check.hpp"
#include "natcheck/nat_render.hpp"
#include "natcheck/seq_continuity.hpp"
#include "natcheck/two_sided.hpp"

namespace ftpsim::testsupport {
namespace {

using natcheck::Verdict;

struct Sides {
    Capture inside, outside;
};

const natcheck::Check& check(const natcheck::Item& item, const std::string& name) {
    for (const auto& c : item.checks)
        if (c.name == name) return c;
    throw std::runtime_error("no check " + name);
}

const natcheck::Item& item_of(const natcheck::Report& r, const std::string& kind) {
    for (const auto& i : r.items)
        if (i.kind == kind) return i;
    throw std::runtime_error("no item " + kind);
}

// Client 10.0.1.2 behind a masquerading device (203.0.113.1), server 203.0.113.2. The PORT
// grows by 3 bytes outside ("10,0,1,2" -> "203,0,113,1"). fixup=false: the device rewrites
// without adjusting: the client's later segments keep their inside sequence numbers outside
// (overlapping the longer PORT) and the server's ACKs reach the client unshifted.
void build_active(Sides& s, bool fixup, bool sack_shifted) {
    Connection& in = s.inside.connect({"10.0.1.2", 40000}, {"203.0.113.2", 21});
    Connection& out = s.outside.connect({"203.0.113.1", 40000}, {"203.0.113.2", 21});
    for (Connection* c : {&in, &out}) {
        c->handshake();
        c->send("220 lab\r\n", kFromServer);
        c->send("USER anonymous\r\n", kFromClient);
        c->send("331 ok\r\n", kFromServer);
    }
    in.send("PORT 10,0,1,2,156,64\r\n", kFromClient);
    out.send("PORT 203,0,113,1,156,64\r\n", kFromClient);
    if (!fixup) in.skip(kFromClient, 3);  // the server's ACK of the longer PORT arrives unshifted
    in.send("200 PORT ok\r\n", kFromServer);
    out.send("200 PORT ok\r\n", kFromServer);
    if (!fixup) {
        in.skip(kFromClient, std::uint32_t(-3));
        out.skip(kFromClient, std::uint32_t(-3));  // later client segments not shifted outside
    }
    for (Connection* c : {&in, &out}) c->send("NOOP\r\n", kFromClient);
    // The server SACKs a second NOOP as if the first were lost (RFC 2018 §4).
    const std::uint32_t in_left = in.next_seq(kFromClient);
    const std::uint32_t out_left = out.next_seq(kFromClient);
    for (Connection* c : {&in, &out}) c->send("NOOP\r\n", kFromClient);
    std::size_t in_dup = in.ack_at(kFromServer, in_left - 6);
    std::size_t out_dup = out.ack_at(kFromServer, out_left - 6);
    add_sack(s.outside, out_dup, out_left, out_left + 6);
    const std::uint32_t shift = sack_shifted ? 0 : 3;  // inside edges = outside - 3 when right
    add_sack(s.inside, in_dup, in_left + shift, in_left + 6 + shift);
    for (Connection* c : {&in, &out}) {
        c->send("200 ok\r\n200 ok\r\n", kFromServer);
        c->send("QUIT\r\n", kFromClient);
        c->send("221 bye\r\n", kFromServer);
        c->close();
    }
}

// DNAT: the server 10.0.2.2 is published as 198.51.100.1; the client 198.51.100.7 is not
// translated. The 227 grows by 4 bytes towards the client ("10,0,2,2" -> "198,51,100,1").
void build_passive(Sides& s, bool fixup) {
    Connection& in = s.inside.connect({"198.51.100.7", 40001}, {"198.51.100.1", 21});
    Connection& out = s.outside.connect({"198.51.100.7", 40001}, {"10.0.2.2", 21});
    for (Connection* c : {&in, &out}) {
        c->handshake();
        c->send("220 lab\r\n", kFromServer);
        c->send("PASV\r\n", kFromClient);
    }
    out.send("227 Entering Passive Mode (10,0,2,2,195,80).\r\n", kFromServer);
    in.send("227 Entering Passive Mode (198,51,100,1,195,80).\r\n", kFromServer);
    if (!fixup) out.skip(kFromServer, 4);  // the client's ACK of the longer 227 reaches the server unshifted
    for (Connection* c : {&in, &out}) c->send("NOOP\r\n", kFromClient);
    if (!fixup) {
        out.skip(kFromServer, std::uint32_t(-4));
        in.skip(kFromServer, std::uint32_t(-4));  // later server segments not shifted inside
    }
    for (Connection* c : {&in, &out}) {
        c->send("200 ok\r\n", kFromServer);
        c->send("QUIT\r\n", kFromClient);
        c->send("221 bye\r\n", kFromServer);
        c->close();
    }
}

natcheck::Report judge(const Sides& s) {
    return natcheck::judge(record(s.inside, "inside"), record(s.outside, "outside"));
}

// Every violation's text, for checking that both directions were caught.
std::string violations(const Sides& s) {
    natcheck::SideRecord in = record(s.inside, "inside");
    natcheck::SideRecord out = record(s.outside, "outside");
    std::string all;
    for (const auto& v : natcheck::check_seq_continuity(in.controls.at(0), out.controls.at(0))) all += v.what + "\n";
    return all;
}

natcheck::Report active_session(bool fixup, bool sack_shifted = true) {
    Sides s;
    build_active(s, fixup, sack_shifted);
    return judge(s);
}

natcheck::Report passive_session(bool fixup) {
    Sides s;
    build_passive(s, fixup);
    return judge(s);
}

TEST(SeqContinuity, ClientRewriteShiftedIsContinuous) {
    natcheck::Report r = active_session(true);
    const auto& port = item_of(r, "port");
    EXPECT_EQ(port.length_change, 3);
    EXPECT_EQ(port.treatment, "rewritten");
    EXPECT_EQ(check(port, "seq_continuous").verdict, Verdict::kPass) << check(port, "seq_continuous").detail;
    EXPECT_EQ(check(port, "rewrite_matches_wire").verdict, Verdict::kPass);
    EXPECT_EQ(check(port, "no_private_leak").verdict, Verdict::kPass);
    EXPECT_EQ(check(item_of(r, "control"), "control_stream_equal").verdict, Verdict::kPass);
    EXPECT_EQ(r.verdict(), Verdict::kPass) << natcheck::report_text(r);
}

TEST(SeqContinuity, ClientRewriteNotShiftedFailsOnThatRewrite) {
    natcheck::Report r = active_session(false);
    const auto& seq = check(item_of(r, "port"), "seq_continuous");
    EXPECT_EQ(seq.verdict, Verdict::kFail);
    // Before the rewrite everything was in order: the connection as a whole is not blamed.
    EXPECT_EQ(check(item_of(r, "control"), "seq_continuous").verdict, Verdict::kPass);
    EXPECT_EQ(r.verdict(), Verdict::kFail);
    // Both directions: the client's later segments overlap the longer PORT outside, and the
    // server's ACKs reach the client for 3 bytes it never sent.
    Sides s;
    build_active(s, false, true);
    const std::string v = violations(s);
    EXPECT_NE(v.find("client->server seq 39 outside, expected 42 (inside 39 shifted by +3)"), std::string::npos) << v;
    EXPECT_NE(v.find("server->client ack 42 outside, expected 45 (inside ack 42)"), std::string::npos) << v;
}

TEST(SeqContinuity, SackBlockNotShiftedBackFails) {
    natcheck::Report r = active_session(true, /*sack_shifted=*/false);
    const auto& seq = check(item_of(r, "port"), "seq_continuous");
    EXPECT_EQ(seq.verdict, Verdict::kFail);
    EXPECT_NE(seq.detail.find("SACK"), std::string::npos) << seq.detail;
}

TEST(SeqContinuity, ServerRewriteShiftedIsContinuous) {
    natcheck::Report r = passive_session(true);
    const auto& pasv = item_of(r, "pasv");
    EXPECT_EQ(pasv.length_change, -4);
    EXPECT_EQ(pasv.treatment, "rewritten");
    EXPECT_EQ(check(pasv, "seq_continuous").verdict, Verdict::kPass) << check(pasv, "seq_continuous").detail;
    EXPECT_EQ(check(pasv, "rewrite_matches_wire").verdict, Verdict::kPass) << check(pasv, "rewrite_matches_wire").detail;
    EXPECT_EQ(check(pasv, "no_private_leak").verdict, Verdict::kPass);
}

TEST(SeqContinuity, ServerRewriteNotShiftedFails) {
    natcheck::Report r = passive_session(false);
    EXPECT_EQ(check(item_of(r, "pasv"), "seq_continuous").verdict, Verdict::kFail);
    Sides s;
    build_passive(s, false);
    const std::string v = violations(s);
    EXPECT_NE(v.find("server->client seq"), std::string::npos) << v;
    EXPECT_NE(v.find("client->server ack"), std::string::npos) << v;
}

TEST(SeqContinuity, ShiftedRewritesLeaveNoViolationInEitherDirection) {
    Sides a, p;
    build_active(a, true, true);
    build_passive(p, true);
    EXPECT_EQ(violations(a), "");
    EXPECT_EQ(violations(p), "");
}

TEST(SeqContinuity, PrivateAddressInA227ReachingTheClientIsALeak) {
    // The DNAT device forgets the 227: the client is told the server's private address.
    Sides s;
    Connection& in = s.inside.connect({"198.51.100.7", 40001}, {"198.51.100.1", 21});
    Connection& out = s.outside.connect({"198.51.100.7", 40001}, {"10.0.2.2", 21});
    for (Connection* c : {&in, &out}) {
        c->handshake();
        c->send("220 lab\r\n", kFromServer);
        c->send("PASV\r\n", kFromClient);
        c->send("227 Entering Passive Mode (10,0,2,2,195,80).\r\n", kFromServer);
        c->close();
    }
    natcheck::Report r = judge(s);
    const auto& pasv = item_of(r, "pasv");
    EXPECT_EQ(pasv.treatment, "not rewritten");
    EXPECT_EQ(check(pasv, "no_private_leak").verdict, Verdict::kFail);
    EXPECT_EQ(check(pasv, "rewrite_matches_wire").verdict, Verdict::kFail);
    EXPECT_EQ(check(pasv, "seq_continuous").verdict, Verdict::kPass);
}

TEST(SeqContinuity, ASplitCommandDroppedAndRetransmittedWholeIsContinuous) {
    // As Linux's helper (alg: drop_split_command, linux): the first part of a split PORT dies at
    // the device, the second passes and arrives before the retransmission of the whole line,
    // which is rewritten. Outside the later data precedes the line in capture order, not in the
    // stream: paired in stream order, nothing is out of place.
    Sides s;
    Connection& in = s.inside.connect({"10.0.1.2", 40000}, {"203.0.113.2", 21});
    Connection& out = s.outside.connect({"203.0.113.1", 40000}, {"203.0.113.2", 21});
    for (Connection* c : {&in, &out}) {
        c->handshake();
        c->send("220 lab\r\n", kFromServer);
    }
    const std::string line = "PORT 10,0,1,2,156,64\r\n";
    in.send(line.substr(0, 10), kFromClient);
    in.send(line.substr(10), kFromClient);
    out.skip(kFromClient, 10);
    out.send(line.substr(10), kFromClient);  // out of order: its first part was dropped
    out.skip(kFromClient, std::uint32_t(-line.size()));
    in.skip(kFromClient, std::uint32_t(-line.size()));
    in.send(line, kFromClient);  // the client's retransmission, joined
    out.send("PORT 203,0,113,1,156,64\r\n", kFromClient);  // ... rewritten, 3 bytes longer
    for (Connection* c : {&in, &out}) {
        c->send("200 PORT ok\r\n", kFromServer);
        c->send("NOOP\r\n", kFromClient);
        c->send("200 ok\r\n", kFromServer);
        c->close();
    }
    natcheck::Report r = judge(s);
    const auto& port = item_of(r, "port");
    EXPECT_EQ(port.length_change, 3);
    EXPECT_EQ(check(port, "seq_continuous").verdict, Verdict::kPass) << check(port, "seq_continuous").detail;
    EXPECT_EQ(check(item_of(r, "control"), "seq_continuous").verdict, Verdict::kPass);
    // The outside decode holds the rewritten line, which the server read, not the held tail.
    EXPECT_EQ(check(port, "rewrite_matches_wire").verdict, Verdict::kPass) << natcheck::report_text(r);
    EXPECT_EQ(check(item_of(r, "control"), "control_stream_equal").verdict, Verdict::kPass);
}

}  // namespace
}  // namespace ftpsim::testsupport
