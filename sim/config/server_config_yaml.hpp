// `ftpsim serve --config FILE`: a ServerConfig and the content of an in-memory file tree, from
// YAML. Every error names FILE:LINE:COLUMN and the key; an unknown key is rejected with the
// nearest valid one suggested. The format is documented in docs/server-config.md.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/engine/server_config.hpp"

namespace ftpsim::sim::config {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file of the in-memory tree: given content, or `size` bytes generated from `seed`.
struct TreeFile {
    std::string path;  // absolute, normal form
    std::optional<std::string> content;
    std::uint64_t size = 0;  // when content is not given
    std::uint64_t seed = 0;
    std::optional<std::int64_t> mtime;  // seconds since the Unix epoch; unset: the tree's default
};
struct TreeDir {
    std::string path;
    std::optional<std::int64_t> mtime;
};
struct FileTree {
    std::optional<std::int64_t> default_mtime;  // unset: MemoryFileSystem's own default
    std::vector<TreeDir> dirs;    // as listed; parents of files are implied
    std::vector<TreeFile> files;  // as listed
    bool empty() const { return dirs.empty() && files.empty(); }  // default_mtime alone adds nothing
};

struct LoadedServerConfig {
    ServerConfig config;
    FileTree tree;
};

// Throws ConfigError (unreadable file, YAML syntax, unknown key, bad value).
LoadedServerConfig load_server_config_file(const std::string& path);
// The same for text in memory; `name` stands for the file name in messages.
LoadedServerConfig load_server_config_text(const std::string& text, const std::string& name);
// The settings as a mapping inside a larger document (a scenario's `server:` section): errors
// name `file` and the places in that document, with keys under `prefix`; `extra_keys` belong to
// the enclosing format (host, port) and are accepted and left to it.
LoadedServerConfig load_server_config_node(const YAML::Node& map, const std::string& file,
                                           const std::string& prefix,
                                           const std::vector<std::string>& extra_keys);

}  // namespace ftpsim::sim::config
