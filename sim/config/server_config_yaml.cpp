// The top level of a server configuration file and its settings; the fault list and the file
// tree are read in server_faults_yaml.cpp and server_tree_yaml.cpp.
#include "sim/config/server_config_yaml.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/config_values.hpp"
#include "sim/config/yaml_reader.hpp"

namespace ftpsim::sim::config {

// In server_faults_yaml.cpp and server_tree_yaml.cpp.
std::vector<Fault> read_faults(const YamlReader& r, const YAML::Node& list);
void read_files(const YamlReader& r, const YAML::Node& map, FileTree& tree, TreePlaces& places);
void read_dirs(const YamlReader& r, const YAML::Node& list, FileTree& tree, TreePlaces& places);
// In server_replies_yaml.cpp.
std::vector<ReplyOverride> read_replies(const YamlReader& r, const YAML::Node& map);
std::map<std::string, std::string> read_listings(const YamlReader& r, const YAML::Node& map);

namespace {

const std::vector<std::string> kTopKeys = {
    "personality", "users", "anonymous", "max_login_failures", "pasv_ports", "pasv_address",
    "active_source_port", "allow_foreign_port", "allow_privileged_port", "allow_foreign_data_peer",
    "max_command_line", "idle_timeout_ms", "data_connect_timeout_ms", "reply_texts", "default_mtime",
    "files", "dirs", "faults", "think_ms", "failed_login_delay_ms", "replies", "listings"};

constexpr std::uintmax_t kMaxConfigBytes = 16 << 20;  // content belongs in --root, not here
constexpr std::uint64_t kMaxTimeoutMs = 7ULL * 24 * 3600 * 1000;  // a week: anything longer is a typo

// reply_texts keys: GREETING, TIMEOUT, CAPACITY, a verb ("RETR"), or a verb and a reply code
// ("RETR 150"). Lower case is accepted and raised.
bool reply_text_key(std::string& key) {
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::toupper(c); });
    std::string verb = key.substr(0, key.find(' '));
    if (verb.empty() || verb.size() > 8) return false;
    if (!std::all_of(verb.begin(), verb.end(), [](unsigned char c) { return std::isupper(c); })) return false;
    if (verb.size() == key.size()) return true;
    std::string code = key.substr(verb.size() + 1);
    return code.size() == 3 && code[0] >= '1' && code[0] <= '5' &&
           std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); });
}

void read_users(const YamlReader& r, const YAML::Node& map, ServerConfig& c) {
    for (const auto& [k, v] : r.entries(map, "users", {})) {
        const std::string& name = k.Scalar();
        std::string key = key_path("users", name);
        if (name.empty() || name.find_first_of(" \t\r\n") != std::string::npos)
            r.fail(k, key, "a user name cannot be empty or contain spaces or line breaks");
        std::string pass = r.text(v, key);
        if (pass.find_first_of("\r\n") != std::string::npos) r.fail(v, key, "a password cannot contain line breaks");
        c.users[name] = pass;
    }
}

void read_reply_texts(const YamlReader& r, const YAML::Node& map, ServerConfig& c) {
    for (const auto& [k, v] : r.entries(map, "reply_texts", {})) {
        std::string key = k.Scalar();
        std::string where = key_path("reply_texts", key);
        if (!reply_text_key(key))
            r.fail(k, where, "expected a verb (RETR), a verb and a reply code (\"RETR 150\"), "
                             "GREETING, TIMEOUT or CAPACITY");
        std::string text = r.text(v, where);
        while (!text.empty() && text.back() == '\n') text.pop_back();  // YAML block scalars end in '\n'
        if (text.find('\r') != std::string::npos) r.fail(v, where, "use '\\n' between lines, not '\\r'");
        c.reply_texts[key] = text;
    }
}

void read_setting(const YamlReader& r, const std::string& key, const YAML::Node& v, LoadedServerConfig& out,
                  TreePlaces& places) {
    ServerConfig& c = out.config;
    std::string error;
    if (key == "personality") {
        if (!parse_personality(r.text(v, key), c.personality, error)) r.fail(v, key, error);
    } else if (key == "users") {
        read_users(r, v, c);
    } else if (key == "anonymous") {
        c.anonymous = r.boolean(v, key);
    } else if (key == "max_login_failures") {
        c.max_login_failures = static_cast<std::uint32_t>(r.uint(v, key, 1, 1000));
    } else if (key == "pasv_ports") {
        if (!parse_port_range(r.text(v, key), c.pasv_port_min, c.pasv_port_max, error)) r.fail(v, key, error);
    } else if (key == "pasv_address") {
        net::IpAddress a;
        if (!net::IpAddress::parse(r.text(v, key), a)) r.fail(v, key, "'" + v.Scalar() + "' is not an IP address");
        c.pasv_address = a;
    } else if (key == "active_source_port") {
        c.active_source_port = static_cast<std::uint16_t>(r.uint(v, key, 0, 65535));
    } else if (key == "allow_foreign_port") {
        c.allow_foreign_port = r.boolean(v, key);
    } else if (key == "allow_privileged_port") {
        c.allow_privileged_port = r.boolean(v, key);
    } else if (key == "allow_foreign_data_peer") {
        c.allow_foreign_data_peer = r.boolean(v, key);
    } else if (key == "max_command_line") {
        c.max_command_line = r.uint(v, key, 16, 1 << 20);
    } else if (key == "idle_timeout_ms") {
        c.idle_timeout = static_cast<Nanos>(r.uint(v, key, 1, kMaxTimeoutMs)) * kMillisecond;
    } else if (key == "data_connect_timeout_ms") {
        c.data_connect_timeout = static_cast<Nanos>(r.uint(v, key, 1, kMaxTimeoutMs)) * kMillisecond;
    } else if (key == "reply_texts") {
        read_reply_texts(r, v, c);
    } else if (key == "default_mtime") {
        out.tree.default_mtime = static_cast<std::int64_t>(r.uint(v, key, 0, 253402300799));
    } else if (key == "files") {
        read_files(r, v, out.tree, places);
    } else if (key == "dirs") {
        read_dirs(r, v, out.tree, places);
    } else if (key == "faults") {
        c.faults = read_faults(r, v);
    } else if (key == "replies") {
        c.replies = read_replies(r, v);
    } else if (key == "listings") {
        c.listings = read_listings(r, v);
    } else if (key == "think_ms") {
        c.think = read_think_time_ms(r, v, key);
    } else if (key == "failed_login_delay_ms") {
        c.failed_login_delay = static_cast<Nanos>(r.uint(v, key, 0, kMaxTimeoutMs)) * kMillisecond;
    }
}

LoadedServerConfig read_settings(const YamlReader& r, const YAML::Node& map,
                                 const std::vector<std::string>& extra_keys) {
    if (!map.IsMap()) r.fail(map, "", "expected a mapping of settings (key: value)");
    std::vector<std::string> allowed = kTopKeys;
    allowed.insert(allowed.end(), extra_keys.begin(), extra_keys.end());
    LoadedServerConfig out;
    try {
        TreePlaces places;
        for (const auto& [k, v] : r.entries(map, "", allowed)) {
            if (std::find(extra_keys.begin(), extra_keys.end(), k.Scalar()) == extra_keys.end())
                read_setting(r, k.Scalar(), v, out, places);
        }
    } catch (const YAML::Exception& e) {  // yaml-cpp's own (should not happen: every access is checked)
        r.fail_at(e.mark, "", e.msg);
    }
    return out;
}

}  // namespace

LoadedServerConfig load_server_config_text(const std::string& text, const std::string& name) {
    YamlReader r(name);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        r.fail_at(e.mark, "", "YAML syntax: " + e.msg);
    }
    if (!root.IsDefined() || root.IsNull()) return {};  // an empty file: every default
    if (!root.IsMap()) r.fail(root, "", "expected a mapping of settings (key: value) at the top level");
    return read_settings(r, root, {});
}

LoadedServerConfig load_server_config_node(const YAML::Node& map, const std::string& file,
                                           const std::string& prefix,
                                           const std::vector<std::string>& extra_keys) {
    YamlReader r(file, prefix);
    if (!map.IsDefined() || map.IsNull()) return {};
    return read_settings(r, map, extra_keys);
}

LoadedServerConfig load_server_config_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw ConfigError(path + ": is a directory, not a file");
    auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxConfigBytes) throw ConfigError(path + ": too large for a configuration file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw ConfigError(path + ": cannot read the file");
    return load_server_config_text(text.str(), path);
}

}  // namespace ftpsim::sim::config
