// The two network backends against each other: for every scenario in scenarios/, the capture the
// virtual network wrote and the one the kernel backend wrote decode to the same FTP sequence
// (commands, replies, data transfers with their bytes and SHA-256, ephemeral ports normalised as
// in golden files), and show the same zero-window and reset events in the same order.
//
// Which TCP events are compared: zero_window, zero_window_probe, keep_alive, window_update and
// rst, each run of repeats counted once, both as the analyzer reports them and as tshark's
// tcp.analysis flags (tcp.flags.reset) show them. Window Full and retransmissions are left out: with a
// small receive buffer Linux drops segments its window admitted (its memory accounting charges
// each segment's whole buffer), so the kernel run shows Window Full/retransmission pairs a varying
// number of times, which the virtual network, whose buffer holds what its window offers, does
// not. That the analyzer reports each event at the frames tshark flags is checked on both sets of
// captures by tests/crosscheck.
//
// The captures come from the CTest tests scenario.<name> (virtual) and scenario_kernel.<name>
// (kernel), which these tests follow (fixture scenario_captures). A missing capture skips the
// test (the kernel backend needs namespaces), and fails it with CI=true.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "crosscheck/tshark_fields.hpp"
#include "decode/analyzer.hpp"
#include "golden/golden_check.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/scenario/scenario.hpp"
#include "support/event_collector.hpp"
#include "tcp/tcp_tracker.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ftpsim;

struct Case {
    std::string scenario_file;
    std::string name, point;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name << "." << c.point; }

std::vector<Case> cases() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(FTPSIM_SCENARIOS_DIR))
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<Case> out;
    for (const auto& f : files) {
        const auto s = sim::scenario::load_scenario(f.string());
        // Impairments exist on the virtual network only: nothing to compare with.
        if (!sim::scenario::virtual_network_only(s).empty()) continue;
        for (const auto& c : s.topology.captures) out.push_back({f.string(), s.name, c.name});
    }
    return out;
}

// The golden form without connection and TCP lines: the FTP sequence.
std::vector<std::string> ftp_sequence(const std::string& pcap, const std::set<std::uint16_t>& keep_ports) {
    std::ostringstream warnings;
    std::istringstream text(golden::golden_text(pcap, keep_ports, warnings));
    std::vector<std::string> out;
    for (std::string line; std::getline(text, line);) {
        if (line.find(" tcp ") != std::string::npos || line.find(" open ") != std::string::npos ||
            line.find(" close ") != std::string::npos)
            continue;
        out.push_back(line);
    }
    return out;
}

// The zero-window and reset events of a capture, each run of repeats once.
std::vector<std::string> tcp_kinds(const std::string& pcap) {
    testsupport::EventCollector events;
    analyzer::analyze_file(pcap, events);
    using tcp::TcpEvent;
    std::vector<std::string> kinds;
    for (const auto& [conn, k] : events.tcp_analysis()) {
        if (k != TcpEvent::kZeroWindow && k != TcpEvent::kZeroWindowProbe && k != TcpEvent::kKeepAlive &&
            k != TcpEvent::kWindowUpdate && k != TcpEvent::kRst)
            continue;
        const std::string name(tcp::tcp_event_name(k));
        if (kinds.empty() || kinds.back() != name) kinds.push_back(name);
    }
    return kinds;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

// tshark's own view, for the same kinds: the zero-window flags of every frame in order, runs of
// one kind counted once.
std::vector<std::string> tshark_kinds(const std::string& pcap) {
    static const std::vector<std::string> kFields = {"tcp.analysis.zero_window", "tcp.analysis.zero_window_probe",
                                                     "tcp.analysis.keep_alive", "tcp.analysis.window_update",
                                                     "tcp.flags.reset"};
    std::vector<std::string> fields = {"frame.number"};
    fields.insert(fields.end(), kFields.begin(), kFields.end());
    std::vector<std::string> kinds;
    for (const auto& row : crosscheck::tshark_fields(pcap, "tcp", fields)) {
        for (std::size_t i = 0; i < kFields.size(); ++i) {
            const std::string& v = row[i + 1];
            const bool set = i + 1 == kFields.size() ? (v == "1" || v == "True") : !v.empty();
            if (!set) continue;
            const std::string name = kFields[i].substr(kFields[i].rfind('.') + 1);
            if (kinds.empty() || kinds.back() != name) kinds.push_back(name);
        }
    }
    return kinds;
}

class BackendCrossCheck : public ::testing::TestWithParam<Case> {};

TEST_P(BackendCrossCheck, SameFtpSequenceAndZeroWindowEvents) {
    const Case& c = GetParam();
    const fs::path dir = FTPSIM_SCENARIO_OUT_DIR;
    const std::string file = c.name + "." + c.point + ".pcap";
    const std::string virt = (dir / "virtual" / file).string(), kern = (dir / "kernel" / file).string();
    for (const auto& p : {virt, kern}) {
        if (fs::exists(p)) continue;
        const std::string why = p + " does not exist: run the scenario tests first (ctest -R 'scenario')";
        if (crosscheck::in_ci()) FAIL() << why;
        GTEST_SKIP() << why;
    }
    const auto keep = sim::run::fixed_ports(sim::scenario::load_scenario(c.scenario_file));
    const auto v = ftp_sequence(virt, keep), k = ftp_sequence(kern, keep);
    EXPECT_GE(v.size(), 1u);  // at least the greeting
    EXPECT_EQ(joined(v), joined(k)) << "virtual " << virt << " vs kernel " << kern;
    EXPECT_EQ(joined(tcp_kinds(virt)), joined(tcp_kinds(kern))) << "virtual " << virt << " vs kernel " << kern;
    // The same, as tshark flags them (the wording: tshark's tcp.analysis flags show the
    // same kinds of event in the same order under both backends).
    if (crosscheck::have_tshark()) {
        EXPECT_EQ(joined(tshark_kinds(virt)), joined(tshark_kinds(kern))) << "virtual " << virt << " vs kernel " << kern;
    } else if (crosscheck::in_ci()) {
        ADD_FAILURE() << "tshark is not installed (scripts/setup installs it)";
    }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, BackendCrossCheck, ::testing::ValuesIn(cases()), [](const auto& info) {
    std::string n = info.param.name + "_" + info.param.point;
    for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return n;
});

}  // namespace
