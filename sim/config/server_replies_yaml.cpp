// The `replies:` and `listings:` of a server configuration: what a real server answered and
// listed, given verbatim (server_overrides.cpp applies them).
#include <algorithm>
#include <cctype>

#include "ftp/command.hpp"
#include "sim/config/config_values.hpp"
#include "sim/config/server_config_yaml.hpp"
#include "sim/config/yaml_reader.hpp"

namespace ftpsim::sim::config {

namespace {

const std::vector<std::string> kReplyKeys = {"code", "text", "arg", "occurrence"};

// RFC 959 §5.3.1: a command code is three or four alphabetic characters (the command parser
// takes no other), so a reply can be given for any such verb, an extension's included.
bool is_verb(const std::string& v) {
    return (v.size() == 3 || v.size() == 4) &&
           std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isalpha(c); });
}

bool is_data_setup_verb(const std::string& v) {
    return v == "PORT" || v == "EPRT" || v == "PASV" || v == "EPSV";
}

std::string reply_text(const YamlReader& r, const YAML::Node& v, const std::string& where) {
    std::string text = r.text(v, where);
    while (!text.empty() && text.back() == '\n') text.pop_back();  // block scalars end in '\n'
    if (text.find('\r') != std::string::npos) r.fail(v, where, "use '\\n' between lines, not '\\r'");
    return text;
}

ReplyOverride read_reply(const YamlReader& r, const YAML::Node& node, const std::string& where,
                         const std::string& verb) {
    if (!node.IsMap())
        r.fail(node, where, "expected {code: NNN, text: ...} (optionally arg, occurrence), or a list of them");
    ReplyOverride o;
    o.verb = verb;
    bool has_code = false;
    bool has_text = false;
    for (const auto& [k, v] : r.entries(node, where, kReplyKeys)) {
        const std::string& key = k.Scalar();
        const std::string path = key_path(where, key);
        if (key == "code") {
            o.code = static_cast<int>(r.uint(v, path, 100, 599));
            has_code = true;
        } else if (key == "text") {
            o.text = reply_text(r, v, path);
            has_text = true;
        } else if (key == "arg") {
            const std::string arg = r.text(v, path);
            if (arg.find_first_of("\r\n") != std::string::npos)
                r.fail(v, path, "an argument cannot contain line breaks");
            o.arg = arg;
        } else {
            o.occurrence = static_cast<std::uint32_t>(r.uint(v, path, 1, 1000000));
        }
    }
    if (!has_code) r.fail(node, where, "'code' is required (100 .. 599)");
    if (!has_text) r.fail(node, where, "'text' is required (\"\\n\" between the lines of a multi-line reply)");
    // What the engine cannot make consistent: a positive answer to PORT/PASV needs the data
    // connection the server set up (and a 227 its address), a 1yz to a transfer command the
    // transfer itself.
    if (is_data_setup_verb(verb) && o.code < 400)
        r.fail(node, key_path(where, "code"),
               "only a refusal (4yz, 5yz) can be given to " + verb +
                   ": its positive reply names the data connection the server sets up; word it with "
                   "reply_texts (\"" + verb + " " + std::to_string(o.code) + "\")");
    if (ftp::is_transfer_verb(verb) && o.code < 200)
        r.fail(node, key_path(where, "code"),
               "a 1yz reply to " + verb + " announces a transfer; give its final reply, or word the "
               "150 with reply_texts (\"" + verb + " 150\")");
    return o;
}

}  // namespace

std::vector<ReplyOverride> read_replies(const YamlReader& r, const YAML::Node& map) {
    std::vector<ReplyOverride> out;
    if (map.IsNull()) return out;
    for (const auto& [k, v] : r.entries(map, "replies", {})) {
        std::string verb = k.Scalar();
        const std::string where = key_path("replies", verb);
        if (!is_verb(verb))
            r.fail(k, where, "'" + verb + "' is not a command verb (3 or 4 letters, RFC 959 §5.3.1)");
        std::transform(verb.begin(), verb.end(), verb.begin(), [](unsigned char c) { return std::toupper(c); });
        if (std::any_of(out.begin(), out.end(), [&](const ReplyOverride& o) { return o.verb == verb; }))
            r.fail(k, where, "the verb " + verb + " is given twice (in another case)");
        if (v.IsSequence()) {
            if (v.size() == 0) r.fail(v, where, "expected at least one reply");
            for (std::size_t i = 0; i < v.size(); ++i)
                out.push_back(read_reply(r, v[i], where + "[" + std::to_string(i) + "]", verb));
        } else {
            out.push_back(read_reply(r, v, where, verb));
        }
    }
    return out;
}

std::map<std::string, std::string> read_listings(const YamlReader& r, const YAML::Node& map) {
    std::map<std::string, std::string> out;
    if (map.IsNull()) return out;
    for (const auto& [k, v] : r.entries(map, "listings", {})) {
        const std::string& dir = k.Scalar();
        const std::string where = key_path("listings", dir);
        std::string error;
        if (!check_server_path(dir, error)) r.fail(k, where, error);
        std::string bytes;
        const auto add_line = [&](const std::string& line, const YAML::Node& at, const std::string& key) {
            if (line.find_first_of("\r\n") != std::string::npos)
                r.fail(at, key, "a listing line cannot contain a line break");
            bytes += line + "\r\n";  // RFC 959 §3.1.1.1: ASCII type ends lines with CRLF
        };
        if (v.IsSequence()) {
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string key = where + "[" + std::to_string(i) + "]";
                add_line(r.text(v[i], key), v[i], key);
            }
        } else if (v.IsScalar()) {
            // A block scalar: one listing line per text line (its final '\n' ends the last).
            std::string text = r.text(v, where);
            if (!text.empty() && text.back() == '\n') text.pop_back();
            std::size_t start = 0;
            while (!text.empty()) {
                const std::size_t lf = text.find('\n', start);
                add_line(text.substr(start, lf == std::string::npos ? std::string::npos : lf - start), v, where);
                if (lf == std::string::npos) break;
                start = lf + 1;
            }
        } else if (!v.IsNull()) {
            r.fail(v, where, "expected the listing's lines: a list of strings, or a block of text");
        }
        out[dir] = std::move(bytes);
    }
    return out;
}

}  // namespace ftpsim::sim::config
