// The `client` section: who logs in, the data mode, and the steps. A step is one mapping with
// one step key ({retr: /pub/a.bin}) and that step's options, or a bare word for a step without
// argument ("pwd"). Options a step cannot use are rejected as unknown keys, so a `rest:` on a
// STOR fails here instead of being ignored.
#include <algorithm>
#include <optional>

#include "sim/config/suggest.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace ftpsim::sim::scenario {

namespace {

using Kind = Step::Kind;

enum class Arg { kNone, kOptional, kRequired, kPair, kList, kLogin };
enum class Options { kPlain, kDownload, kRetr, kUpload };

struct StepSpec {
    const char* name;
    Kind kind;
    Arg arg;
    Options options;
};

const std::vector<StepSpec>& specs() {
    static const std::vector<StepSpec> s = {
        {"login", Kind::kLogin, Arg::kLogin, Options::kPlain},
        {"pwd", Kind::kPwd, Arg::kNone, Options::kPlain},
        {"cwd", Kind::kCwd, Arg::kRequired, Options::kPlain},
        {"cdup", Kind::kCdup, Arg::kNone, Options::kPlain},
        {"type", Kind::kType, Arg::kRequired, Options::kPlain},
        {"syst", Kind::kSyst, Arg::kNone, Options::kPlain},
        {"list", Kind::kList, Arg::kOptional, Options::kDownload},
        {"nlst", Kind::kNlst, Arg::kOptional, Options::kDownload},
        {"mlsd", Kind::kMlsd, Arg::kOptional, Options::kDownload},
        {"retr", Kind::kRetr, Arg::kRequired, Options::kRetr},
        {"stor", Kind::kStor, Arg::kRequired, Options::kUpload},
        {"appe", Kind::kAppe, Arg::kRequired, Options::kUpload},
        {"stou", Kind::kStou, Arg::kOptional, Options::kUpload},
        {"size", Kind::kSize, Arg::kRequired, Options::kPlain},
        {"mdtm", Kind::kMdtm, Arg::kRequired, Options::kPlain},
        {"dele", Kind::kDele, Arg::kRequired, Options::kPlain},
        {"mkd", Kind::kMkd, Arg::kRequired, Options::kPlain},
        {"rmd", Kind::kRmd, Arg::kRequired, Options::kPlain},
        {"rename", Kind::kRename, Arg::kPair, Options::kPlain},
        {"feat", Kind::kFeat, Arg::kNone, Options::kPlain},
        {"noop", Kind::kNoop, Arg::kNone, Options::kPlain},
        {"abort", Kind::kAbort, Arg::kNone, Options::kPlain},
        {"quit", Kind::kQuit, Arg::kNone, Options::kPlain},
        {"raw", Kind::kRaw, Arg::kRequired, Options::kPlain},
        {"ftp1_ls", Kind::kFtp1Ls, Arg::kOptional, Options::kPlain},
        {"ftp1_mget", Kind::kFtp1Mget, Arg::kList, Options::kPlain},
    };
    return s;
}

const StepSpec* find_spec(const std::string& name) {
    for (const auto& s : specs())
        if (name == s.name) return &s;
    return nullptr;
}

std::vector<std::string> step_names() {
    std::vector<std::string> n;
    for (const auto& s : specs()) n.emplace_back(s.name);
    return n;
}

std::vector<std::string> option_keys(Options o) {
    std::vector<std::string> k = {"name", "mode", "local_port"};
    if (o == Options::kDownload || o == Options::kRetr) k.insert(k.end(), {"stall", "abort_after"});
    if (o == Options::kRetr) k.push_back("rest");
    if (o == Options::kUpload) k.insert(k.end(), {"content", "size", "seed", "abort_after"});
    return k;
}

constexpr std::uint64_t kMaxUpload = 256ULL << 20;  // generated in memory by client_ops()
constexpr std::uint64_t kWeekMs = 7ULL * 24 * 3600 * 1000;

// An argument that goes on a command line: no line breaks, which would smuggle in a command.
std::string line_arg(const YamlReader& r, const YAML::Node& v, const std::string& key) {
    std::string t = r.text(v, key);
    if (t.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
        r.fail(v, key, "a line break or NUL cannot be part of a command (use one step per command)");
    return t;
}

void read_arg(const YamlReader& r, const StepSpec& spec, const YAML::Node& v, const std::string& key, Step& s) {
    switch (spec.arg) {
        case Arg::kNone:
            if (!v.IsNull()) r.fail(v, key, "takes no argument");
            break;
        case Arg::kOptional:
            if (!v.IsNull()) s.arg = line_arg(r, v, key);
            break;
        case Arg::kRequired:
            if (v.IsNull()) r.fail(v, key, "needs an argument");
            s.arg = line_arg(r, v, key);
            if (spec.kind == Kind::kType && s.arg != "A" && s.arg != "I")
                r.fail(v, key, "expected A (ASCII) or I (binary), found '" + s.arg + "'");
            break;
        case Arg::kPair: {
            const auto& l = read_list(r, v, key);
            if (l.size() != 2) r.fail(v, key, "expected [FROM, TO]");
            s.arg = line_arg(r, l[0], item_key(key, 0));
            s.arg2 = line_arg(r, l[1], item_key(key, 1));
            break;
        }
        case Arg::kList: {
            const auto& l = read_list(r, v, key);
            if (l.size() == 0) r.fail(v, key, "expected at least one name");
            for (std::size_t i = 0; i < l.size(); ++i) s.names.push_back(line_arg(r, l[i], item_key(key, i)));
            break;
        }
        case Arg::kLogin:  // {} or null: the client's user and password; or other ones, pipelined
            for (const auto& [k, lv] : r.entries(v, key, {"user", "password", "pipelined"})) {
                const std::string where = config::key_path(key, k.Scalar());
                if (k.Scalar() == "pipelined") s.pipelined = r.boolean(lv, where);
                else (k.Scalar() == "user" ? s.arg : s.arg2) = line_arg(r, lv, where);
            }
            break;
    }
}

void read_stall(const YamlReader& r, const YAML::Node& v, const std::string& key, Step& s) {
    bool after = false, duration = false;
    for (const auto& [k, sv] : r.entries(v, key, {"after_bytes", "for_ms", "receive_buffer"})) {
        const std::string where = config::key_path(key, k.Scalar());
        if (k.Scalar() == "after_bytes") {
            s.stall_after = r.uint(sv, where, 0, UINT64_MAX);
            after = true;
        } else if (k.Scalar() == "for_ms") {
            s.stall_for_ms = r.uint(sv, where, 1, kWeekMs);
            duration = true;
        } else {
            s.receive_buffer = static_cast<std::uint32_t>(r.uint(sv, where, 0, 1U << 30));
        }
    }
    if (!after || !duration) r.fail(v, key, "expected after_bytes and for_ms");
}

void read_option(const YamlReader& r, const std::string& name, const YAML::Node& v, const std::string& key, Step& s) {
    if (name == "name") s.name = read_name(r, v, key);
    else if (name == "mode") s.mode = read_mode(r, v, key);
    else if (name == "local_port") s.local_port = static_cast<std::uint16_t>(r.uint(v, key, 1, 65535));
    else if (name == "rest") s.rest = r.uint(v, key, 0, UINT64_MAX);
    else if (name == "stall") read_stall(r, v, key, s);
    else if (name == "abort_after") s.abort_after = r.uint(v, key, 1, UINT64_MAX);
    else if (name == "content") s.content = r.text(v, key);
    else if (name == "size") s.size = r.uint(v, key, 0, kMaxUpload);
    else if (name == "seed") s.seed = r.uint(v, key, 0, UINT64_MAX);
}

Step read_step(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    Step s;
    if (node.IsScalar()) {  // "pwd": a step without argument
        const StepSpec* spec = find_spec(node.Scalar());
        if (!spec)
            r.fail(node, key, "unknown step '" + node.Scalar() + "'" + config::did_you_mean(node.Scalar(), step_names()));
        if (spec->arg == Arg::kRequired || spec->arg == Arg::kPair || spec->arg == Arg::kList)
            r.fail(node, key, "'" + node.Scalar() + "' needs an argument: {" + node.Scalar() + ": ...}");
        s.kind = spec->kind;
        s.verb = spec->name;
        return s;
    }
    if (!node.IsMap()) r.fail(node, key, "expected a step: a word (pwd) or a mapping ({retr: FILE})");
    // Find the one step key first: it decides which option keys are valid. "size" is both a step
    // (SIZE) and an upload option, so a step key that is an option of another one is that option.
    const auto all = r.entries(node, key, {});
    std::vector<std::pair<const StepSpec*, YAML::Mark>> found;
    for (const auto& [k, v] : all)
        if (const StepSpec* f = find_spec(k.Scalar())) found.emplace_back(f, k.Mark());
    const StepSpec* spec = nullptr;
    YAML::Mark step_mark;
    for (const auto& [candidate, mark] : found) {
        const auto options = option_keys(candidate->options);
        const bool others_are_options = std::all_of(found.begin(), found.end(), [&](const auto& other) {
            return other.first == candidate || std::find(options.begin(), options.end(), other.first->name) != options.end();
        });
        if (others_are_options) {
            spec = candidate;
            step_mark = mark;
        }
    }
    if (!spec && found.size() > 1)
        r.fail_at(found[1].second, key, "two steps in one item ('" + std::string(found[0].first->name) + "' and '" +
                                            found[1].first->name + "'): write one item per step");
    if (all.empty()) r.fail(node, key, "an empty step: expected {retr: FILE}, {pwd: }, ...");
    if (!spec) {
        const YAML::Node& first = all.front().first;
        r.fail(first, key, "unknown step '" + first.Scalar() + "'" + config::did_you_mean(first.Scalar(), step_names()));
    }
    s.kind = spec->kind;
    s.verb = spec->name;
    std::vector<std::string> allowed = option_keys(spec->options);
    allowed.push_back(spec->name);
    for (const auto& [k, v] : r.entries(node, key, allowed)) {
        const std::string where = config::key_path(key, k.Scalar());
        if (k.Scalar() == spec->name) read_arg(r, *spec, v, where, s);
        else read_option(r, k.Scalar(), v, where, s);
    }
    if (spec->options == Options::kUpload) {
        const bool has_size = node["size"].IsDefined();
        if (s.content && has_size) r.fail(node["size"], key, "give 'content' or 'size' (and 'seed'), not both");
        if (!s.content && !has_size) r.fail_at(step_mark, key, "an upload needs 'content' or 'size' (and 'seed')");
    }
    if (node["seed"].IsDefined() && !node["size"].IsDefined())
        r.fail(node["seed"], config::key_path(key, "seed"), "'seed' goes with 'size'");
    return s;
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
                                                  "active_first_port", "reply_timeout_ms", "steps"};
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
        } else if (name == "reply_timeout_ms") {
            c.config.reply_timeout = static_cast<Nanos>(r.uint(v, where, 1, kWeekMs)) * kMillisecond;
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
