// The `files:` and `dirs:` of a server configuration: the in-memory tree the server serves.
#include "sim/config/config_values.hpp"
#include "sim/config/server_config_yaml.hpp"
#include "sim/config/yaml_reader.hpp"

namespace ftpsim::sim::config {

namespace {

constexpr std::uint64_t kMaxGeneratedSize = 1ULL << 40;  // 1 TiB: generated, never held whole
constexpr std::int64_t kMaxMtime = 253402300799;        // 9999-12-31T23:59:59Z (MDTM's 4 digits)

std::string checked_path(const YamlReader& r, const YAML::Node& n, const std::string& where, const std::string& p) {
    std::string error;
    if (!check_server_path(p, error)) r.fail(n, where, error);
    return p;
}

std::int64_t mtime(const YamlReader& r, const YAML::Node& v, const std::string& where) {
    return static_cast<std::int64_t>(r.uint(v, where, 0, kMaxMtime));
}

}  // namespace

void read_files(const YamlReader& r, const YAML::Node& map, FileTree& tree, TreePlaces& places) {
    for (const auto& [k, v] : r.entries(map, "files", {})) {
        TreeFile f;
        std::string where = key_path("files", k.Scalar());
        f.path = checked_path(r, k, where, k.Scalar());
        if (f.path == "/") r.fail(k, where, "'/' is the root directory, not a file");
        claim_path(r, places, f.path, false, k, where);
        if (v.IsScalar()) {  // "/a.txt": "its content"
            f.content = v.Scalar();
            tree.files.push_back(std::move(f));
            continue;
        }
        bool has_size = false, has_seed = false;
        for (const auto& [fk, fv] : r.entries(v, where, {"content", "size", "seed", "mtime"})) {
            const std::string& key = fk.Scalar();
            std::string path = key_path(where, key);
            if (key == "content") f.content = r.text(fv, path);
            if (key == "size") {
                f.size = r.uint(fv, path, 0, kMaxGeneratedSize);
                has_size = true;
            }
            if (key == "seed") {
                f.seed = r.uint(fv, path, 0, UINT64_MAX);
                has_seed = true;
            }
            if (key == "mtime") f.mtime = mtime(r, fv, path);
        }
        if (f.content && (has_size || has_seed))
            r.fail(k, where, "give either 'content' or 'size' (and 'seed'), not both");
        if (!f.content && !has_size) r.fail(k, where, "needs 'content' or 'size'");
        tree.files.push_back(std::move(f));
    }
}

void read_dirs(const YamlReader& r, const YAML::Node& list, FileTree& tree, TreePlaces& places) {
    if (list.IsNull()) return;
    r.expect(list, YAML::NodeType::Sequence, "dirs");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node n = list[i];
        std::string where = "dirs[" + std::to_string(i) + "]";
        TreeDir d;
        if (n.IsScalar()) {  // - /incoming
            d.path = checked_path(r, n, where, n.Scalar());
        } else {  // - {path: /incoming, mtime: 1700000000}
            const YAML::Node* path_node = nullptr;
            auto entries = r.entries(n, where, {"path", "mtime"});
            for (const auto& [k, v] : entries) {
                if (k.Scalar() == "path") {
                    d.path = checked_path(r, v, key_path(where, "path"), r.text(v, key_path(where, "path")));
                    path_node = &v;
                }
                if (k.Scalar() == "mtime") d.mtime = mtime(r, v, key_path(where, "mtime"));
            }
            if (!path_node) r.fail(n, where, "'path' is required");
        }
        if (d.path != "/") claim_path(r, places, d.path, true, n, where);
        tree.dirs.push_back(std::move(d));
    }
}

}  // namespace ftpsim::sim::config
