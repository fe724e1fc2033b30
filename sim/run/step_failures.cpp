#include "sim/run/step_failures.hpp"

#include <algorithm>

namespace ftpsim::sim::run {

namespace {

std::string verb_of(const std::string& command) { return command.substr(0, command.find(' ')); }

bool counted_reply(const scenario::Expect& expect, const OpResult& r) {
    if (r.replies.empty()) return false;
    const std::string code = std::to_string(r.replies.back().code);
    const std::string verb = r.commands.empty() ? "" : verb_of(r.commands.back());
    return std::any_of(expect.counts.begin(), expect.counts.end(), [&](const scenario::CountCheck& c) {
        if (c.count == 0) return false;
        bool reply = false, same_code = false, same_verb = true;
        for (const auto& [key, value] : c.match) {
            if (key == "kind") reply = value == "reply";
            if (key == "code") same_code = value == code;
            if (key == "to_verb") same_verb = value == verb;
        }
        return reply && same_code && same_verb;
    });
}

bool expected(const scenario::Scenario& s, std::size_t step, const OpResult& r) {
    if (std::any_of(s.faults.begin(), s.faults.end(), [&](const scenario::TcpFault& f) { return f.step == step; }))
        return true;
    if (s.server && !s.server->loaded.config.faults.empty()) return true;
    if (s.expect.nat && s.expect.nat->verdict == "fail") return true;
    return counted_reply(s.expect, r);
}

}  // namespace

std::vector<std::string> unexpected_step_failures(const scenario::Scenario& s, const std::vector<OpResult>& results) {
    std::vector<std::size_t> step_of_op;
    scenario::expand_steps(s.client, &step_of_op);
    std::vector<std::string> out;
    bool failed_before = false;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const OpResult& r = results[i];
        if (r.ok) continue;
        const bool follows = failed_before && r.error.rfind("not run", 0) == 0;
        failed_before = true;
        const std::size_t step = i < step_of_op.size() ? step_of_op[i] : s.client.steps.size();
        if (follows || expected(s, step, r)) continue;
        std::string what = "step " + std::to_string(step + 1);
        if (step < s.client.steps.size()) {
            const scenario::Step& st = s.client.steps[step];
            what += " (" + (st.name.empty() ? std::string(st.spec->step) : st.name) + ")";
        }
        out.push_back(what + ": " + r.error);
    }
    return out;
}

}  // namespace ftpsim::sim::run
