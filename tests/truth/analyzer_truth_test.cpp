// Our analyzer against the ground truth, on every shipped scenario the virtual network runs: the
// truth is written from what the engines meant and the simulator sent (sim/truth), the analyzer
// reads only the pcap, so each agreement is two independent accounts of the same frames.
// Compared per frame: every command (verb, argument), every reply (code, lines), which command
// each reply answers, each data connection's first frame and transfer command, and the TCP
// events both can name (reset, zero window, retransmission, out of order). A disagreement prints
// both sides.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include "decode/analyzer.hpp"
#include "ftp/command.hpp"
#include "sim/run/scenario_outcome.hpp"
#include "sim/run/virtual_runner.hpp"
#include "sim/truth/ground_truth.hpp"
#include "support/event_collector.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ftpsim;
using sim::truth::GroundTruth;

std::vector<std::string> scenario_files() {
    std::vector<std::string> out;
    for (const std::string folder : {"", "teaching", "corpus"}) {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(fs::path(FTPSIM_SCENARIOS_DIR) / folder, ec))
            if (e.path().extension() == ".yaml") out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string name_of(const testing::TestParamInfo<std::string>& info) {
    std::string n = fs::path(info.param).parent_path().filename().string() + "_" + fs::path(info.param).stem().string();
    std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return n;
}

// What both accounts say, one line per fact, in frame order.
struct Account {
    std::vector<std::string> commands, replies, answers, data, tcp;
};

std::string frame_tag(std::uint64_t f) { return "frame " + std::to_string(f) + ": "; }

Account from_truth(const GroundTruth& t) {
    Account a;
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> command_frame;
    for (const auto& c : t.commands) {
        a.commands.push_back(frame_tag(c.frame) + ftp::to_upper_ascii(c.verb) + " " + c.arg);
        command_frame[{c.connection, c.n}] = c.frame;
    }
    for (const auto& r : t.replies) {
        std::string lines;
        for (const auto& l : r.lines) lines += "|" + l.line;
        a.replies.push_back(frame_tag(r.frame) + std::to_string(r.code) + lines);
        if (r.answers != 0)
            a.answers.push_back(frame_tag(r.frame) + "answers frame " +
                                std::to_string(command_frame[{r.connection, r.answers}]));
    }
    for (const auto& c : t.connections) {
        if (c.role != sim::truth::TruthConnection::Role::kData || c.command == 0) continue;
        std::string verb;
        for (const auto& cmd : t.commands)
            if (cmd.connection == c.control && cmd.n == c.command) verb = ftp::to_upper_ascii(cmd.verb);
        a.data.push_back(frame_tag(c.first_frame) + "data for " + verb);
    }
    // The analyzer, like Wireshark, names what a frame looks like from the capture: a copy the
    // network duplicated is a retransmission to it, a held segment is out of order, and a
    // connection is reset once (the RSTs that answer segments still arriving are not new).
    std::set<std::uint32_t> reset;
    for (const auto& f : t.frames) {
        for (const auto& e : f.events) {
            if (e == "zero_window") a.tcp.push_back(frame_tag(f.frame) + e);
            if (e == "retransmission" || e == "duplicate") a.tcp.push_back(frame_tag(f.frame) + "retransmission");
            if (e == "reordered") a.tcp.push_back(frame_tag(f.frame) + "out_of_order");
            if (e == "rst" && reset.insert(f.connection).second) a.tcp.push_back(frame_tag(f.frame) + e);
        }
    }
    return a;
}

Account from_analyzer(const testsupport::EventCollector& ev) {
    Account a;
    for (const auto& e : ev.events) {
        if (const auto* c = std::get_if<analyzer::CommandEvent>(&e.body)) {
            a.commands.push_back(frame_tag(e.frame) + c->verb + " " + c->arg);
        } else if (const auto* r = std::get_if<analyzer::ReplyEvent>(&e.body)) {
            std::string lines;
            for (const auto& l : r->lines) lines += "|" + l;
            a.replies.push_back(frame_tag(e.frame) + std::to_string(r->code) + lines);
            if (r->to_frame != 0) a.answers.push_back(frame_tag(e.frame) + "answers frame " + std::to_string(r->to_frame));
        } else if (const auto* d = std::get_if<analyzer::DataEvent>(&e.body)) {
            if (d->open_frame != 0) a.data.push_back(frame_tag(d->open_frame) + "data for " + d->command);
        } else if (const auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body)) {
            const std::string name(tcp::tcp_event_name(t->event));
            if (name == "rst" || name == "zero_window" || name == "retransmission" || name == "out_of_order")
                a.tcp.push_back(frame_tag(e.frame) + name);
        }
    }
    return a;
}

void sort_all(Account& a) {
    // Frame order first; facts of one frame in a fixed order.
    for (auto* v : {&a.commands, &a.replies, &a.answers, &a.data, &a.tcp}) {
        std::stable_sort(v->begin(), v->end(), [](const std::string& x, const std::string& y) {
            return std::stoull(x.substr(6)) < std::stoull(y.substr(6));
        });
    }
}

class AnalyzerAgreesWithTruth : public testing::TestWithParam<std::string> {};

TEST_P(AnalyzerAgreesWithTruth, OnEveryFrame) {
    auto prepared = sim::run::prepare_scenario(GetParam(), "virtual");
    auto* p = std::get_if<sim::run::PreparedScenario>(&prepared);
    if (!p) GTEST_SKIP() << std::get<sim::run::ScenarioOutcome>(prepared).reason;
    const auto& plan = std::get<sim::run::VirtualPlan>(p->plan);
    if (!plan.network.network.routers.empty()) GTEST_SKIP() << "routed: ground truth needs a capture point no device rewrites";
    const fs::path out = fs::path(testing::TempDir()) / ("truth-" + p->scenario.name);
    fs::create_directories(out);
    sim::truth::ControlLedger ledger;
    std::vector<std::unique_ptr<sim::truth::FrameLog>> logs;
    std::vector<sim::vnet::FrameTap*> taps;
    for (std::size_t i = 0; i < plan.capture_points.size(); ++i) {
        logs.push_back(std::make_unique<sim::truth::FrameLog>());
        taps.push_back(logs.back().get());
    }
    sim::run::VirtualRunResult run;
    try {
        run = sim::run::run_on_virtual(p->scenario, plan, out.string(), taps, &ledger);
    } catch (const std::exception& e) {
        GTEST_SKIP() << "does not complete on the virtual network: " << e.what();
    }
    for (std::size_t i = 0; i < run.captures.size(); ++i) {
        SCOPED_TRACE(run.captures[i].path);
        const GroundTruth truth = sim::truth::build_ground_truth(ledger, *logs[i]);
        testsupport::EventCollector events;
        analyzer::analyze_file(run.captures[i].path, events);
        Account want = from_truth(truth), got = from_analyzer(events);
        sort_all(want);
        sort_all(got);
        EXPECT_EQ(want.commands, got.commands) << "commands: truth (left) and analyzer (right)";
        EXPECT_EQ(want.replies, got.replies) << "replies";
        EXPECT_EQ(want.answers, got.answers) << "which command each reply answers";
        EXPECT_EQ(want.data, got.data) << "data connections";
        EXPECT_EQ(want.tcp, got.tcp) << "TCP events";
        EXPECT_FALSE(truth.commands.empty() && truth.replies.empty()) << "no FTP in the truth at all";
    }
    fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Shipped, AnalyzerAgreesWithTruth, testing::ValuesIn(scenario_files()), name_of);

}  // namespace
