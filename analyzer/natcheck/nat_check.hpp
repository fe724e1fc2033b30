// ftpsim nat-check: the two-sided judge of a NAT/ALG device. Given a capture taken on the
// client's side of the device (INSIDE) and one on the server's side (OUTSIDE), it pairs the
// control connections across the device, then gives a verdict on every PORT, EPRT, 227 and 229
// (was it rewritten to what the device actually did to the data connection, did a private or
// inside address leak, do TCP sequence numbers stay continuous after a length change, did the
// data connection get through with the same bytes) and on each control connection as a whole.
// Schema and check names: docs/nat-check.md.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "decode/analyzer.hpp"
#include "natcheck/side_record.hpp"

namespace ftpsim::natcheck {

// The captures cannot be judged: a file is missing or unreadable, or no control connection
// appears in both. The message is one line naming the file or saying what is missing (exit 2).
class BadInput : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Verdict : std::uint8_t { kPass, kFail, kSkip };  // skip: not applicable, not a failure
const char* verdict_name(Verdict v);  // "pass", "fail", "skip"

// Stable check names (docs/nat-check.md).
inline constexpr const char* kControlStreamEqual = "control_stream_equal";
inline constexpr const char* kRewriteMatchesWire = "rewrite_matches_wire";
inline constexpr const char* kNoPrivateLeak = "no_private_leak";
inline constexpr const char* kSeqContinuous = "seq_continuous";
inline constexpr const char* kDataSynForwarded = "data_syn_forwarded";
inline constexpr const char* kDataEstablishedBothSides = "data_established_both_sides";
inline constexpr const char* kDataBytesEqual = "data_bytes_equal";
inline constexpr const char* kDataAddressPaired = "data_address_paired";
inline constexpr const char* kAllChecks[] = {kControlStreamEqual, kRewriteMatchesWire,        kNoPrivateLeak,
                                             kSeqContinuous,      kDataSynForwarded,          kDataEstablishedBothSides,
                                             kDataBytesEqual,     kDataAddressPaired};

struct Check {
    std::string name;
    Verdict verdict = Verdict::kPass;
    std::string detail;  // a sentence for people (frames, addresses); not in the golden form
};

// One side's view of an announcement.
struct SideValue {
    std::string raw;  // as sent ("10,0,1,2,156,65", "|2|2001:db8::5|40001|", "|||50001|")
    net::Endpoint endpoint;  // parsed; for 229 the address is the control server's
    std::uint64_t frame = 0;
    DataSeen data;
    SynSeen syn;
};

struct Item {
    std::size_t control = 0;  // 1-based index of the control pair (ControlPair::index)
    // "control" for the control connection as a whole; else the announcement's kind:
    // "port", "eprt", "pasv" (227), "epsv" (229).
    std::string kind;
    std::optional<SideValue> inside, outside;  // none: the announcement was not seen on that side
    // How the device treated the value: "rewritten", "unchanged", "not rewritten",
    // "dropped" (seen on the sender's side only), "appeared" (on the receiver's side only).
    // Empty for the control item.
    std::string treatment;
    int length_change = 0;  // outside raw length minus inside raw length
    std::vector<Check> checks;
    Verdict verdict() const;  // fail if any check fails, else pass
};

struct ControlPair {
    std::size_t index = 0;  // 1-based, in order of the inside capture
    net::Endpoint inside_client, inside_server, outside_client, outside_server;
    std::uint64_t inside_frame = 0, outside_frame = 0;  // first frames
};

struct Report {
    std::string inside_capture, outside_capture;
    std::vector<ControlPair> controls;
    std::vector<Item> items;  // per control pair: its control item, then its announcements in order
    std::size_t unpaired_inside = 0, unpaired_outside = 0;  // control connections on one side only
    std::vector<std::string> warnings;  // the analyzer's, prefixed with the capture's name
    Verdict verdict() const;  // fail if any item fails
};

// One check over the whole report, for scenario expectations (`expect: nat: {check: verdict}`):
// fail when it fails on any item, else pass when it passes on one, else skip (never ran).
// `kind` limits it to items of that kind ("port", "pasv", ...); empty: every item.
Verdict check_verdict(const Report& r, std::string_view check, std::string_view kind = {});

struct NatCheckOptions {
    analyzer::AnalyzeOptions analyze;  // secrets and limits, as for ftpsim analyze
};

// Judges two recorded sides. Throws BadInput when no control connection pairs up.
Report judge(const SideRecord& inside, const SideRecord& outside, const NatCheckOptions& options = {});

// Reads both captures (one after the other, each streamed) and judges them. Throws BadInput
// naming the file that cannot be read.
Report check_captures(const std::string& inside_path, const std::string& outside_path,
                      const NatCheckOptions& options = {});

}  // namespace ftpsim::natcheck
