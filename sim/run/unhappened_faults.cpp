#include "sim/run/unhappened_faults.hpp"

#include "sim/engine/client_op_table.hpp"
#include "sim/run/fault_plan.hpp"

namespace ftpsim::sim::run {

namespace {

const char* impairment_kind_name(scenario::Impairment::Kind k) {
    using K = scenario::Impairment::Kind;
    switch (k) {
        case K::kDrop: return "drop";
        case K::kDuplicate: return "duplicate";
        case K::kSplit: return "split";
        case K::kReorder: return "reorder";
        case K::kDelay: return "delay";
    }
    return "?";
}

std::string plural(std::uint32_t n, const std::string& what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace

std::vector<std::string> impairments_that_did_not_happen(const scenario::Scenario& s, const vnet::VnetResult& run) {
    std::vector<std::string> out;
    const std::size_t connections = run.all_segments.empty() ? 0 : run.all_segments.size() - 1;
    for (std::size_t i = 0; i < s.impairments.size() && i < run.impairment_hits.size(); ++i) {
        if (run.impairment_hits[i] != 0) continue;
        const scenario::Impairment& imp = s.impairments[i];
        const bool data = imp.segment != 0;
        std::string what = s.file + ": impairments: " + impairment_kind_name(imp.kind) + " on connection " +
                           std::to_string(imp.connection) + ", " + (data ? "segment " : "any_segment ") +
                           std::to_string(data ? imp.segment : imp.any_segment) + ": ";
        if (imp.connection > connections) {
            what += "the run opened only " + plural(static_cast<std::uint32_t>(connections), "connection");
        } else {
            const std::uint32_t carried = data ? run.data_segments[imp.connection] : run.all_segments[imp.connection];
            what += "connection " + std::to_string(imp.connection) + " carried only " +
                    plural(carried, data ? "payload-carrying segment" : "segment");
        }
        out.push_back(what);
    }
    // A drop_data_syn whose step ran but opened no data connection while it was in force
    // (a step without a transfer, or one that failed before connecting) dropped nothing. A step
    // that never ran is faults_that_did_not_happen's to report.
    const FaultPlan plan = plan_faults(s);
    std::size_t window = 0;
    for (std::size_t i = 0; i < s.faults.size() && i < plan.fault_ops.size(); ++i) {
        const scenario::TcpFault& f = s.faults[i];
        if (f.kind != scenario::TcpFault::Kind::kDropDataSyn) continue;
        const std::size_t w = window++;
        const std::size_t op = plan.fault_ops[i];
        const bool ran = op < run.results.size() && !run.results[op].commands.empty();
        if (!ran || w >= run.syn_drop_hits.size() || run.syn_drop_hits[w] != 0) continue;
        const scenario::Step& step = s.client.steps[f.step];
        out.push_back(s.file + ": faults: drop_data_syn at step " + std::to_string(f.step + 1) +
                      (step.name.empty() ? "" : " (" + step.name + ")") +
                      ": no data connection was opened while it was in force, so no SYN was dropped");
    }
    return out;
}

std::vector<std::string> faults_that_did_not_happen(const scenario::Scenario& s, const std::vector<OpResult>& results) {
    const FaultPlan plan = plan_faults(s);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.faults.size() && i < plan.fault_ops.size(); ++i) {
        const std::size_t op = plan.fault_ops[i];
        const bool ran = op < results.size() && !results[op].commands.empty();
        if (ran) continue;
        const scenario::TcpFault& f = s.faults[i];
        const scenario::Step& step = s.client.steps[f.step];
        std::string what = s.file + ": faults: " + scenario::TcpFault::kind_name(f.kind) + " at step " +
                           std::to_string(f.step + 1) + (step.name.empty() ? "" : " (" + step.name + ")") + ": " +
                           std::string(client::verb_of(plan.ops[op].kind)) + " was never sent";
        if (op < results.size() && !results[op].error.empty()) what += " (" + results[op].error + ")";
        out.push_back(what);
    }
    return out;
}

}  // namespace ftpsim::sim::run
