// The `client` section: who logs in, the data mode, and the steps. A step is one mapping with
// one step key ({retr: /pub/a.bin}) and that step's options, or a bare word for a step without
// argument ("pwd"). Options a step cannot use are rejected as unknown keys, so a `rest:` on a
// STOR fails here instead of being ignored. Which keys are steps and what each takes come from
// the client operation table (client_op_table.hpp).
#include <algorithm>
#include <memory>
#include <optional>

#include "sim/config/suggest.hpp"
#include "sim/engine/client_op_table.hpp"
#include "sim/engine/client_scripts.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace ftpsim::sim::scenario {

namespace {

using Kind = ClientOp::Kind;

std::vector<std::string> step_names() {
    std::vector<std::string> n;
    for (const auto& s : client_op_table()) n.emplace_back(s.step);
    return n;
}

bool takes_no_argument(const ClientOpSpec& spec) { return spec.args == OpArgs::kNone; }

// The option keys a step takes besides its own key: every step `name`, `mode`, `local_port`;
// a download its receiver's `stall` and `abort_after`, RETR `rest`; an upload its bytes. Scripts
// (ftp1_ls, ftp1_mget) make several ops and take the common ones, and `local_ports` (one port per
// transfer, in order). `secret` comes last, so
// that a typo's suggestion stays what it was before it existed.
std::vector<std::string> option_keys(const ClientOpSpec& spec) {
    std::vector<std::string> k = {"name", "mode", "local_port"};
    if (spec.script != OpScript::kNone) {
        k.push_back("local_ports");
        return k;
    }
    if (spec.data == OpData::kListing || spec.data == OpData::kDownload) k.insert(k.end(), {"stall", "abort_after"});
    if (spec.rest) k.push_back("rest");
    if (spec.data == OpData::kUpload) k.insert(k.end(), {"content", "size", "seed", "abort_after"});
    return k;
}

// A step while it is read: the upload's bytes are made once every option is known.
struct StepDraft {
    Step step;
    std::optional<std::string> content;
    std::optional<std::uint64_t> size;
    std::uint64_t seed = 0;
};

constexpr std::uint64_t kMaxUpload = 256ULL << 20;  // generated in memory
constexpr std::uint64_t kWeekMs = 7ULL * 24 * 3600 * 1000;

// An argument that goes on a command line: no line breaks, which would smuggle in a command.
std::string line_arg(const YamlReader& r, const YAML::Node& v, const std::string& key) {
    std::string t = r.text(v, key);
    if (t.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
        r.fail(v, key, "a line break or NUL cannot be part of a command (use one step per command)");
    return t;
}

void read_arg(const YamlReader& r, const ClientOpSpec& spec, const YAML::Node& v, const std::string& key, Step& s) {
    switch (spec.args) {
        case OpArgs::kNone:
            if (!v.IsNull()) r.fail(v, key, "takes no argument");
            break;
        case OpArgs::kOptional:
            if (!v.IsNull()) s.op.arg = line_arg(r, v, key);
            break;
        case OpArgs::kRequired:
            if (v.IsNull()) r.fail(v, key, "needs an argument");
            s.op.arg = line_arg(r, v, key);
            if (spec.kind == Kind::kType && s.op.arg != "A" && s.op.arg != "I")
                r.fail(v, key, "expected A (ASCII) or I (binary), found '" + s.op.arg + "'");
            break;
        case OpArgs::kPair: {
            const auto& l = read_list(r, v, key);
            if (l.size() != 2) r.fail(v, key, "expected [FROM, TO]");
            s.op.arg = line_arg(r, l[0], item_key(key, 0));
            s.op.arg2 = line_arg(r, l[1], item_key(key, 1));
            break;
        }
        case OpArgs::kNames: {
            const auto& l = read_list(r, v, key);
            if (l.size() == 0) r.fail(v, key, "expected at least one name");
            for (std::size_t i = 0; i < l.size(); ++i) s.names.push_back(line_arg(r, l[i], item_key(key, i)));
            break;
        }
        case OpArgs::kLogin:  // {} or null: the client's user and password; or other ones, pipelined
            for (const auto& [k, lv] : r.entries(v, key, {"user", "password", "pipelined"})) {
                const std::string where = config::key_path(key, k.Scalar());
                if (k.Scalar() == "pipelined") s.op.pipelined = r.boolean(lv, where);
                else (k.Scalar() == "user" ? s.op.arg : s.op.arg2) = line_arg(r, lv, where);
            }
            break;
    }
}

void read_stall(const YamlReader& r, const YAML::Node& v, const std::string& key, ClientOp& op) {
    bool after = false, duration = false;
    for (const auto& [k, sv] : r.entries(v, key, {"after_bytes", "for_ms", "receive_buffer"})) {
        const std::string where = config::key_path(key, k.Scalar());
        if (k.Scalar() == "after_bytes") {
            op.stall_after = r.uint(sv, where, 0, UINT64_MAX);
            after = true;
        } else if (k.Scalar() == "for_ms") {
            op.stall_for = static_cast<Nanos>(r.uint(sv, where, 1, kWeekMs)) * kMillisecond;
            duration = true;
        } else {
            op.receive_buffer = static_cast<std::uint32_t>(r.uint(sv, where, 0, 1U << 30));
        }
    }
    if (!after || !duration) r.fail(v, key, "expected after_bytes and for_ms");
}

void read_local_ports(const YamlReader& r, const YAML::Node& v, const std::string& key, Step& s) {
    const auto& l = read_list(r, v, key);
    if (l.size() == 0) r.fail(v, key, "expected at least one port");
    for (std::size_t i = 0; i < l.size(); ++i)
        s.local_ports.push_back(static_cast<std::uint16_t>(r.uint(l[i], item_key(key, i), 1, 65535)));
}

// A script step's transfers, which its `local_ports` number one by one.
std::size_t script_transfers(const Step& s) {
    const auto ops = s.spec->script == OpScript::kFtp1Ls ? ftp1_ls(s.op.arg) : ftp1_mget(s.names);
    return static_cast<std::size_t>(
        std::count_if(ops.begin(), ops.end(), [](const ClientOp& op) { return client::is_transfer(op.kind); }));
}

void read_option(const YamlReader& r, const std::string& name, const YAML::Node& v, const std::string& key,
                 StepDraft& d) {
    ClientOp& op = d.step.op;
    if (name == "name") d.step.name = read_name(r, v, key);
    else if (name == "mode") op.mode = read_mode(r, v, key);
    else if (name == "local_port") op.active_port = static_cast<std::uint16_t>(r.uint(v, key, 1, 65535));
    else if (name == "local_ports") read_local_ports(r, v, key, d.step);
    else if (name == "rest") op.rest = r.uint(v, key, 0, UINT64_MAX);
    else if (name == "stall") read_stall(r, v, key, op);
    else if (name == "abort_after") op.abort_after = r.uint(v, key, 1, UINT64_MAX);
    else if (name == "content") d.content = r.text(v, key);
    else if (name == "size") d.size = r.uint(v, key, 0, kMaxUpload);
    else if (name == "seed") d.seed = r.uint(v, key, 0, UINT64_MAX);
    else if (name == "secret") op.secret = r.boolean(v, key);
    else if (name == "gap_ms") op.gap = static_cast<Nanos>(r.uint(v, key, 0, 3600 * 1000)) * kMillisecond;
}

// An upload's bytes: the content given, or `size` bytes of the server's generator for generated
// files, so that the two can be compared.
std::shared_ptr<const std::string> upload_bytes(const StepDraft& d) {
    if (d.content) return std::make_shared<const std::string>(*d.content);
    std::string bytes;
    MemoryFileSystem::generate(d.seed, 0, *d.size, bytes);
    return std::make_shared<const std::string>(std::move(bytes));
}

Step read_step(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    StepDraft d;
    if (node.IsScalar()) {  // "pwd": a step without argument
        const ClientOpSpec* spec = find_step(node.Scalar());
        if (!spec)
            r.fail(node, key, "unknown step '" + node.Scalar() + "'" + config::did_you_mean(node.Scalar(), step_names()));
        if (spec->args == OpArgs::kRequired || spec->args == OpArgs::kPair || spec->args == OpArgs::kNames)
            r.fail(node, key, "'" + node.Scalar() + "' needs an argument: {" + node.Scalar() + ": ...}");
        d.step.spec = spec;
        d.step.op.kind = spec->kind;
        return d.step;
    }
    if (!node.IsMap()) r.fail(node, key, "expected a step: a word (pwd) or a mapping ({retr: FILE})");
    // Find the one step key first: it decides which option keys are valid. "size" is both a step
    // (SIZE) and an upload option, so a step key that is an option of another one is that option.
    const auto all = r.entries(node, key, {});
    std::vector<std::pair<const ClientOpSpec*, YAML::Mark>> found;
    for (const auto& [k, v] : all)
        if (const ClientOpSpec* f = find_step(k.Scalar())) found.emplace_back(f, k.Mark());
    const ClientOpSpec* spec = nullptr;
    YAML::Mark step_mark;
    for (const auto& entry : found) {
        // Not a structured binding: clang before 16 cannot capture one in the lambda below.
        const ClientOpSpec* candidate = entry.first;
        const YAML::Mark& mark = entry.second;
        const auto options = option_keys(*candidate);
        const bool others_are_options = std::all_of(found.begin(), found.end(), [&](const auto& other) {
            return other.first == candidate || std::find(options.begin(), options.end(), other.first->step) != options.end();
        });
        if (others_are_options) {
            spec = candidate;
            step_mark = mark;
        }
    }
    if (!spec && found.size() > 1)
        r.fail_at(found[1].second, key, "two steps in one item ('" + std::string(found[0].first->step) + "' and '" +
                                            found[1].first->step + "'): write one item per step");
    if (all.empty()) r.fail(node, key, "an empty step: expected {retr: FILE}, {pwd: }, ...");
    if (!spec) {
        const YAML::Node& first = all.front().first;
        r.fail(first, key, "unknown step '" + first.Scalar() + "'" + config::did_you_mean(first.Scalar(), step_names()));
    }
    d.step.spec = spec;
    d.step.op.kind = spec->kind;
    std::vector<std::string> allowed = option_keys(*spec);
    allowed.push_back(spec->step);
    if (!takes_no_argument(*spec)) allowed.push_back("secret");
    allowed.push_back("gap_ms");
    for (const auto& [k, v] : r.entries(node, key, allowed)) {
        const std::string where = config::key_path(key, k.Scalar());
        if (k.Scalar() == spec->step) read_arg(r, *spec, v, where, d.step);
        else read_option(r, k.Scalar(), v, where, d);
    }
    if (spec->data == OpData::kUpload && spec->script == OpScript::kNone) {
        if (d.content && d.size) r.fail(node["size"], key, "give 'content' or 'size' (and 'seed'), not both");
        if (!d.content && !d.size) r.fail_at(step_mark, key, "an upload needs 'content' or 'size' (and 'seed')");
    }
    if (node["seed"].IsDefined() && !node["size"].IsDefined())
        r.fail(node["seed"], config::key_path(key, "seed"), "'seed' goes with 'size'");
    if (spec->data == OpData::kUpload) d.step.op.upload = upload_bytes(d);
    if (const YAML::Node ports = node["local_ports"]; ports.IsDefined()) {
        const std::string where = config::key_path(key, "local_ports");
        if (node["local_port"].IsDefined()) r.fail(ports, where, "give 'local_port' or 'local_ports', not both");
        if (const std::size_t n = script_transfers(d.step); d.step.local_ports.size() != n)
            r.fail(ports, where, "expected " + std::to_string(n) + " ports, one per transfer of the step (" +
                                     std::to_string(d.step.local_ports.size()) + " given)");
    }
    return d.step;
}

}  // namespace

DataMode read_mode(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    static const std::vector<std::pair<std::string, DataMode>> modes = {
        {"passive", DataMode::kPassive}, {"epsv", DataMode::kExtendedPassive},
        {"epsv_then_pasv", DataMode::kEpsvThenPasv}, {"active", DataMode::kActive}, {"eprt", DataMode::kExtendedActive}};
    const std::string t = r.text(node, key);
    std::vector<std::string> names;
    for (const auto& [n, m] : modes) {
        if (n == t) return m;
        names.push_back(n);
    }
    r.fail(node, key, "unknown mode '" + t + "' (passive, epsv, epsv_then_pasv, active or eprt)" +
                          config::did_you_mean(t, names));
}

ClientSection read_client(const YamlReader& r, const YAML::Node& node, const Topology& topo) {
    static const std::vector<std::string> keys = {"host", "user", "password", "account", "mode",
                                                  "active_first_port", "control_port", "reply_timeout_ms", "steps",
                                                  "think_ms"};
    if (node.IsNull()) r.fail(node, "client", "expected the client's settings, at least 'host' and 'steps'");
    ClientSection c;
    bool hosted = false;
    std::optional<YAML::Node> steps_node;  // unset: absent
    for (const auto& [k, v] : r.entries(node, "client", keys)) {
        const std::string& name = k.Scalar();
        const std::string where = "client." + name;
        if (name == "host") {
            check_host_ref(r, topo, v, where);
            c.host = v.Scalar();
            hosted = true;
        } else if (name == "user") {
            c.config.user = line_arg(r, v, where);
        } else if (name == "password") {
            c.config.password = line_arg(r, v, where);
        } else if (name == "account") {
            c.config.account = line_arg(r, v, where);
        } else if (name == "mode") {
            c.config.mode = read_mode(r, v, where);
        } else if (name == "active_first_port") {
            c.config.active_first_port = static_cast<std::uint16_t>(r.uint(v, where, 0, 65535));
        } else if (name == "control_port") {
            c.config.control_port = static_cast<std::uint16_t>(r.uint(v, where, 0, 65535));
        } else if (name == "reply_timeout_ms") {
            c.config.reply_timeout = static_cast<Nanos>(r.uint(v, where, 1, kWeekMs)) * kMillisecond;
        } else if (name == "think_ms") {
            c.config.think = config::read_think_time_ms(r, v, where);
        } else {
            steps_node = v;
        }
    }
    if (!hosted) r.fail(node, "client", "'host' is missing (the topology host the client runs on)");
    if (!steps_node) r.fail(node, "client", "'steps' is missing");
    const YAML::Node& steps = *steps_node;
    read_list(r, steps, "client.steps");
    if (steps.size() == 0) r.fail(steps, "client.steps", "at least one step is needed");
    for (std::size_t i = 0; i < steps.size(); ++i) {
        c.steps.push_back(read_step(r, steps[i], item_key("client.steps", i)));
        const std::string& label = c.steps.back().name;
        for (std::size_t j = 0; !label.empty() && j < i; ++j)
            if (c.steps[j].name == label)
                r.fail(steps[i]["name"], item_key("client.steps", i) + ".name", "step name '" + label + "' is used twice");
    }
    return c;
}

}  // namespace ftpsim::sim::scenario
