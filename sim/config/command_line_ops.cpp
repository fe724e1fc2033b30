#include "sim/config/command_line_ops.hpp"

#include <algorithm>
#include <cctype>

#include "sim/config/suggest.hpp"
#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim::config {

namespace {

using Kind = ClientOp::Kind;

std::vector<std::string> names() {
    std::vector<std::string> n;
    for (const auto& s : client_op_table())
        if (s.command != nullptr) n.emplace_back(s.command);
    return n;
}

std::string base_name(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool build(const ClientOpSpec& spec, const std::vector<std::string>& args, CliOp& out, std::string& error) {
    for (const auto& a : args)
        if (a.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
            error = std::string(spec.command) + ": an argument contains a line break or NUL";
            return false;
        }
    out.op.kind = spec.kind;
    switch (spec.kind) {
        case Kind::kRetr:
            out.op.arg = args[0];
            if (args.size() > 1) out.local = args[1];
            break;
        case Kind::kStor:
        case Kind::kAppe:
            out.local = args[0];
            out.op.arg = args.size() > 1 ? args[1] : base_name(args[0]);
            if (out.op.arg.empty()) {
                error = std::string(spec.command) + " " + args[0] + ": no file name to store it under; give REMOTE";
                return false;
            }
            break;
        case Kind::kRename:
            out.op.arg = args[0];
            out.op.arg2 = args[1];
            break;
        case Kind::kType: {
            std::string t = args[0];
            std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::toupper(c); });
            if (t != "A" && t != "I") {
                error = "type " + args[0] + ": expected A (ASCII) or I (binary)";
                return false;
            }
            out.op.arg = t;
            break;
        }
        case Kind::kRaw: {
            std::string line;
            for (const auto& a : args) line += (line.empty() ? "" : " ") + a;
            out.op.arg = line;
            break;
        }
        default:
            if (!args.empty()) out.op.arg = args[0];
            break;
    }
    return true;
}

}  // namespace

bool parse_command_line_ops(const std::vector<std::string>& words, std::vector<CliOp>& out, std::string& error) {
    out.clear();
    std::size_t i = 0;
    while (i < words.size()) {
        const std::string& word = words[i];
        if (word == ";") {  // an optional separator between operations
            ++i;
            continue;
        }
        const ClientOpSpec* spec = find_command(word);
        if (!spec) {
            std::string hint = did_you_mean(word, names());
            error = "unknown operation '" + word + "'" + (hint.empty() ? " (see --help for the list)" : hint);
            return false;
        }
        ++i;
        std::vector<std::string> args;
        // Bounded by the words there are.
        while (i < words.size() && static_cast<int>(args.size()) < spec->required) args.push_back(words[i++]);
        if (static_cast<int>(args.size()) < spec->required) {
            error = std::string(spec->command) + ": missing argument (" + spec->usage + ")";
            return false;
        }
        for (std::size_t k = static_cast<std::size_t>(spec->required); i < words.size(); ++k) {
            if (spec->optional >= 0 && static_cast<int>(k) >= spec->required + spec->optional) break;
            if (words[i] == ";" || find_command(words[i])) break;  // the next operation begins
            args.push_back(words[i++]);
        }
        for (const auto& a : args)
            if (spec->required > 0 && a.empty()) {
                error = std::string(spec->command) + ": empty argument (" + spec->usage + ")";
                return false;
            }
        CliOp op;
        op.text = word;
        for (const auto& a : args) op.text += " " + a;
        if (!build(*spec, args, op, error)) return false;
        out.push_back(std::move(op));
    }
    if (out.empty()) {
        error = "no operation given (e.g. ls, get FILE, put FILE)";
        return false;
    }
    return true;
}

std::string command_line_ops_help() {
    std::string h;
    for (const auto& s : client_op_table()) {
        if (s.command == nullptr) continue;
        std::string u = s.usage;
        h += "  " + u + std::string(u.size() < 24 ? 24 - u.size() : 1, ' ') + s.help + "\n";
    }
    h += "An optional argument spelled like an operation starts the next one: write ./ls for a file named ls.\n"
         "';' may separate operations (quote it from the shell).\n"
         "Put -- before the operations when an argument starts with '-' (quote LIST -la).\n";
    return h;
}

}  // namespace ftpsim::sim::config
