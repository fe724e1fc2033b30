// The in-memory file tree (memory_file_system.hpp).
#include "sim/engine/memory_file_system.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace ftpsim::sim {
namespace {

// splitmix64 (Steele, Lea, Flood 2014; the seeder of xoshiro): output n is a pure function of
// seed + n * gamma, which is what makes any slice of a generated file computable on its own.
constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ULL;

std::uint64_t splitmix64_at(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t z = seed + (index + 1) * kGamma;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::string parent_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == 0 || slash == std::string::npos) return "/";
    return path.substr(0, slash);
}

// "/a/b" for "/a/b/c"'s parent; entries of "/" start with "/", of "/a" with "/a/".
std::string child_prefix(const std::string& dir) { return dir == "/" ? "/" : dir + "/"; }

std::string base_name(const std::string& path) {
    if (path == "/") return "/";
    return path.substr(path.rfind('/') + 1);
}

}  // namespace

// Collects an upload in memory and applies it to the tree on commit() only: a sink destroyed
// without commit() (ABOR, reset, timeout, storage full) leaves the tree as it was.
class MemoryFileSystem::Sink : public UploadSink {
public:
    Sink(MemoryFileSystem& fs, std::string path, std::uint64_t offset, bool append, bool exclusive)
        : fs_(fs), path_(std::move(path)), offset_(offset), append_(append), exclusive_(exclusive) {}
    FsError write(std::span<const std::uint8_t> bytes) override {
        if (state_ != FsError::kNone) return state_;
        // APPE's end is known only at the commit (the file may grow meanwhile): checked there
        // too; here its bytes alone.
        if (fs_.too_big(append_ ? 0 : offset_, data_.size() + bytes.size())) {
            state_ = FsError::kQuota;
            return state_;
        }
        if (fs_.capacity_) {
            std::lock_guard lock(fs_.mutex_);
            // Counted as a real directory counts it: the upload's bytes take room of their own
            // until the commit, beside the file they will replace.
            if (fs_.used_bytes() + data_.size() + bytes.size() > *fs_.capacity_) {
                state_ = FsError::kNoSpace;
                return state_;
            }
        }
        data_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        return FsError::kNone;
    }
    FsError commit() override {
        if (state_ != FsError::kNone) return state_;
        state_ = FsError::kIo;  // at most once
        std::lock_guard lock(fs_.mutex_);
        return fs_.commit(path_, offset_, append_, exclusive_, data_);
    }

private:
    MemoryFileSystem& fs_;
    std::string path_;
    std::uint64_t offset_;
    bool append_;
    bool exclusive_;  // create(): never replaces a file
    FsError state_ = FsError::kNone;
    std::string data_;
};

MemoryFileSystem::MemoryFileSystem(std::int64_t mtime) : mtime_(mtime) {
    Node root;
    root.directory = true;
    root.mtime = mtime_;
    nodes_["/"] = root;
}

void MemoryFileSystem::generate(std::uint64_t seed, std::uint64_t offset, std::uint64_t length,
                                std::string& out) {
    out.resize(static_cast<std::size_t>(length));
    // Byte k of the file is byte k % 8 (little-endian) of word k / 8: one word per 8 bytes.
    auto byte_of = [](std::uint64_t word, std::uint64_t b) { return static_cast<char>((word >> (8 * b)) & 0xff); };
    std::uint64_t i = 0;
    while (i < length && (offset + i) % 8 != 0) {  // up to the first whole word
        i += 1;
        out[static_cast<std::size_t>(i - 1)] = byte_of(splitmix64_at(seed, (offset + i - 1) / 8), (offset + i - 1) % 8);
    }
    for (; i + 8 <= length; i += 8) {
        const std::uint64_t word = splitmix64_at(seed, (offset + i) / 8);
        char bytes[8];
        for (std::uint64_t b = 0; b < 8; ++b) bytes[b] = byte_of(word, b);  // compiles to one store
        std::memcpy(&out[static_cast<std::size_t>(i)], bytes, 8);
    }
    for (; i < length; ++i) out[static_cast<std::size_t>(i)] = byte_of(splitmix64_at(seed, (offset + i) / 8), (offset + i) % 8);
}

void MemoryFileSystem::ensure_parents(const std::string& path, std::int64_t mtime) {
    for (std::string dir = parent_of(path); dir != "/"; dir = parent_of(dir)) {
        Node& node = nodes_[dir];
        node.directory = true;
        node.content.reset();
        node.seed.reset();
        if (node.mtime == 0) node.mtime = mtime;
    }
}

void MemoryFileSystem::add_file(const std::string& path, std::string content,
                                std::optional<std::int64_t> mtime) {
    const std::string p = resolve_path("/", path);
    std::lock_guard lock(mutex_);
    ensure_parents(p, mtime.value_or(mtime_));
    Node node;
    node.mtime = mtime.value_or(mtime_);
    node.size = content.size();
    node.content = std::make_shared<const std::string>(std::move(content));
    nodes_[p] = std::move(node);
}

void MemoryFileSystem::add_generated(const std::string& path, std::uint64_t size,
                                     std::uint64_t seed, std::optional<std::int64_t> mtime) {
    const std::string p = resolve_path("/", path);
    std::lock_guard lock(mutex_);
    ensure_parents(p, mtime.value_or(mtime_));
    Node node;
    node.mtime = mtime.value_or(mtime_);
    node.size = size;
    node.seed = seed;
    nodes_[p] = std::move(node);
}

void MemoryFileSystem::add_dir(const std::string& path, std::optional<std::int64_t> mtime) {
    const std::string p = resolve_path("/", path);
    std::lock_guard lock(mutex_);
    ensure_parents(p, mtime.value_or(mtime_));
    Node node;
    node.directory = true;
    node.mtime = mtime.value_or(mtime_);
    nodes_[p] = std::move(node);
}

std::shared_ptr<const std::string> MemoryFileSystem::materialise(Node& node) const {
    if (!node.content && node.seed) {
        std::string bytes;
        generate(*node.seed, 0, node.size, bytes);
        node.content = std::make_shared<const std::string>(std::move(bytes));
    }
    if (!node.content) node.content = std::make_shared<const std::string>();
    return node.content;
}

std::optional<std::string> MemoryFileSystem::content(const std::string& path) const {
    std::lock_guard lock(mutex_);
    const auto it = nodes_.find(path);
    if (it == nodes_.end() || it->second.directory) return std::nullopt;
    if (!it->second.content && it->second.seed) {
        std::string bytes;
        generate(*it->second.seed, 0, it->second.size, bytes);
        return bytes;
    }
    return it->second.content ? *it->second.content : std::string();
}

std::optional<FileInfo> MemoryFileSystem::stat(const std::string& path) const {
    std::lock_guard lock(mutex_);
    const auto it = nodes_.find(path);
    if (it == nodes_.end()) return std::nullopt;
    FileInfo info;
    info.name = base_name(path);
    info.directory = it->second.directory;
    // Directories show ext4's block size in listings, as on the servers being imitated.
    info.size = it->second.directory ? 4096 : it->second.size;
    info.mtime = it->second.mtime;
    return info;
}

std::vector<FileInfo> MemoryFileSystem::list(const std::string& dir, FsError& err) const {
    std::lock_guard lock(mutex_);
    std::vector<FileInfo> out;
    const auto self = nodes_.find(dir);
    if (self == nodes_.end()) {
        err = FsError::kNotFound;
        return out;
    }
    if (!self->second.directory) {
        err = FsError::kNotADirectory;
        return out;
    }
    err = FsError::kNone;
    const std::string prefix = child_prefix(dir);
    for (auto it = nodes_.lower_bound(prefix); it != nodes_.end(); ++it) {
        if (it->first.compare(0, prefix.size(), prefix) != 0) break;
        if (it->first.size() == prefix.size()) continue;  // "/" itself
        const std::string rest = it->first.substr(prefix.size());
        if (rest.find('/') != std::string::npos) continue;  // deeper down
        FileInfo info;
        info.name = rest;
        info.directory = it->second.directory;
        info.size = it->second.directory ? 4096 : it->second.size;
        info.mtime = it->second.mtime;
        out.push_back(std::move(info));
    }
    // Map order sorts "/a/b-c" before "/a/b/..." by full path; entries of one directory are
    // compared by name alone, which the contract asks for.
    std::sort(out.begin(), out.end(),
              [](const FileInfo& a, const FileInfo& b) { return a.name < b.name; });
    return out;
}

MemoryFileSystem::Node* MemoryFileSystem::file_node(const std::string& path, FsError& err) const {
    const auto it = nodes_.find(path);
    err = it == nodes_.end() ? FsError::kNotFound : it->second.directory ? FsError::kIsADirectory : FsError::kNone;
    return err == FsError::kNone ? &it->second : nullptr;
}

std::optional<ByteSource> MemoryFileSystem::read(const std::string& path, std::uint64_t offset,
                                                 FsError& err) const {
    std::lock_guard lock(mutex_);
    Node* node = file_node(path, err);
    if (node == nullptr) return std::nullopt;
    auto buffer = materialise(*node);
    const std::uint64_t size = buffer->size();
    const std::uint64_t from = std::min(offset, size);
    return ByteSource{MemorySlice{std::move(buffer), from, size - from}};
}

std::optional<ByteSource> MemoryFileSystem::read_chunk(const std::string& path,
                                                       std::uint64_t offset,
                                                       std::uint64_t max_length,
                                                       FsError& err) const {
    std::lock_guard lock(mutex_);
    const Node* found = file_node(path, err);
    if (found == nullptr) return std::nullopt;
    const Node& node = *found;
    if (node.seed && !node.content) {
        // A generated file is produced a slice at a time: a 10 GiB file costs one slice.
        const std::uint64_t from = std::min(offset, node.size);
        const std::uint64_t n = std::min(max_length, node.size - from);
        // The last slice is kept: many sessions downloading one file (a load run, a benchmark)
        // read the same slices, as a real server reads them from its page cache.
        // (RETR first reads one byte to see that the file can be read: a part of the kept slice.)
        if (last_slice_.bytes && last_slice_.seed == *node.seed && from >= last_slice_.offset &&
            from + n <= last_slice_.offset + last_slice_.length)
            return ByteSource{MemorySlice{last_slice_.bytes, from - last_slice_.offset, n}};
        std::string bytes;
        generate(*node.seed, from, n, bytes);
        last_slice_ = {*node.seed, from, n, std::make_shared<const std::string>(std::move(bytes))};
        return ByteSource{MemorySlice{last_slice_.bytes, 0, n}};
    }
    const auto buffer = node.content ? node.content : std::make_shared<const std::string>();
    const std::uint64_t size = buffer->size();
    const std::uint64_t from = std::min(offset, size);
    return ByteSource{MemorySlice{buffer, from, std::min(max_length, size - from)}};
}

FsError MemoryFileSystem::check_parent(const std::string& path) const {
    if (path == "/") return FsError::kPermission;
    const auto parent = nodes_.find(parent_of(path));
    if (parent == nodes_.end()) return FsError::kNotFound;
    if (!parent->second.directory) return FsError::kNotADirectory;
    return FsError::kNone;
}

bool MemoryFileSystem::has_children(const std::string& dir) const {
    const std::string prefix = child_prefix(dir);
    const auto it = nodes_.upper_bound(prefix);
    return it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::unique_ptr<UploadSink> MemoryFileSystem::write(const std::string& path, bool append,
                                                    FsError& err) {
    return open_upload(path, 0, append, false, err);
}

std::unique_ptr<UploadSink> MemoryFileSystem::write_at(const std::string& path,
                                                       std::uint64_t offset, FsError& err) {
    return open_upload(path, offset, false, false, err);
}

std::unique_ptr<UploadSink> MemoryFileSystem::create(const std::string& path, FsError& err) {
    return open_upload(path, 0, false, true, err);
}

std::unique_ptr<UploadSink> MemoryFileSystem::open_upload(const std::string& path,
                                                          std::uint64_t offset, bool append,
                                                          bool exclusive, FsError& err) {
    // Checked now so that the client hears 553 before it sends anything; the tree itself is
    // not touched before commit().
    std::lock_guard lock(mutex_);
    err = check_parent(path);
    if (err != FsError::kNone) return nullptr;
    const auto it = nodes_.find(path);
    if (it != nodes_.end() && (it->second.directory || exclusive)) {
        err = it->second.directory ? FsError::kIsADirectory : FsError::kExists;
        return nullptr;
    }
    if (!append && too_big(offset, 0)) {  // before the client sends a byte
        err = FsError::kQuota;
        return nullptr;
    }
    return std::make_unique<Sink>(*this, path, offset, append, exclusive);
}

std::uint64_t MemoryFileSystem::used_bytes() const {
    std::uint64_t used = 0;
    for (const auto& [path, node] : nodes_) {
        if (!node.directory) used += node.size;
    }
    return used;
}

void MemoryFileSystem::set_capacity(std::optional<std::uint64_t> bytes) {
    std::lock_guard lock(mutex_);
    capacity_ = bytes;
}

void MemoryFileSystem::set_max_file_bytes(std::uint64_t bytes) {
    std::lock_guard lock(mutex_);
    max_file_bytes_ = bytes;
}

FsError MemoryFileSystem::commit(const std::string& path, std::uint64_t offset, bool append,
                                 bool exclusive, const std::string& data) {
    // The tree may have changed since the upload began (another session): the parent must
    // still be there, and a directory is never replaced by a file (rename(2) says EISDIR).
    if (const FsError e = check_parent(path); e != FsError::kNone) return e;
    const auto existing = nodes_.find(path);
    if (exclusive && existing != nodes_.end()) return FsError::kExists;
    if (existing != nodes_.end() && existing->second.directory) return FsError::kIsADirectory;
    // The size it would have, checked before the file is touched (or created).
    const std::uint64_t old_size = existing == nodes_.end() ? 0 : existing->second.size;
    if (append ? too_big(old_size, data.size()) : too_big(offset, data.size())) return FsError::kQuota;
    Node& node = nodes_[path];
    if (node.mtime == 0) node.mtime = mtime_;
    // APPE and REST+STOR apply to the file as it is at the commit; a plain STOR replaces it.
    std::string bytes = append || offset != 0 ? *materialise(node) : std::string();
    if (append) offset = bytes.size();
    // pwrite semantics: a hole before the offset reads as zeros, bytes after the write stay.
    if (bytes.size() < offset + data.size()) bytes.resize(static_cast<std::size_t>(offset + data.size()), '\0');
    bytes.replace(static_cast<std::size_t>(offset), data.size(), data);
    node.seed.reset();
    node.size = bytes.size();
    node.content = std::make_shared<const std::string>(std::move(bytes));
    return FsError::kNone;
}

FsError MemoryFileSystem::make_dir(const std::string& path) {
    std::lock_guard lock(mutex_);
    if (const FsError e = check_parent(path); e != FsError::kNone) {
        return path == "/" ? FsError::kExists : e;
    }
    if (nodes_.count(path) != 0) return FsError::kExists;
    Node node;
    node.directory = true;
    node.mtime = mtime_;
    nodes_[path] = node;
    return FsError::kNone;
}

FsError MemoryFileSystem::remove_dir(const std::string& path) {
    std::lock_guard lock(mutex_);
    if (path == "/") return FsError::kPermission;
    const auto it = nodes_.find(path);
    if (it == nodes_.end()) return FsError::kNotFound;
    if (!it->second.directory) return FsError::kNotADirectory;
    if (has_children(path)) return FsError::kNotEmpty;
    nodes_.erase(it);
    return FsError::kNone;
}

FsError MemoryFileSystem::remove_file(const std::string& path) {
    std::lock_guard lock(mutex_);
    FsError err;
    if (file_node(path, err) != nullptr) nodes_.erase(path);
    return err;
}

FsError MemoryFileSystem::rename(const std::string& from, const std::string& to) {
    std::lock_guard lock(mutex_);
    if (from == "/" || to == "/") return FsError::kPermission;
    const auto it = nodes_.find(from);
    if (it == nodes_.end()) return FsError::kNotFound;
    if (const FsError e = check_parent(to); e != FsError::kNone) return e;
    if (from == to) return FsError::kNone;
    // rename(2) refuses to move a directory inside itself.
    if (it->second.directory && to.compare(0, from.size() + 1, from + "/") == 0) {
        return FsError::kPermission;
    }
    const auto target = nodes_.find(to);
    if (target != nodes_.end()) {
        // rename(2): a file replaces a file, a directory only an empty directory.
        if (target->second.directory != it->second.directory) {
            return target->second.directory ? FsError::kIsADirectory : FsError::kNotADirectory;
        }
        if (target->second.directory && has_children(to)) return FsError::kNotEmpty;
        nodes_.erase(target);
    }
    // Move the entry and, for a directory, everything under it.
    std::vector<std::pair<std::string, Node>> moved;
    moved.emplace_back(to, nodes_.at(from));
    if (nodes_.at(from).directory) {
        const std::string prefix = from + "/";
        for (auto sub = nodes_.lower_bound(prefix);
             sub != nodes_.end() && sub->first.compare(0, prefix.size(), prefix) == 0; ++sub) {
            moved.emplace_back(to + sub->first.substr(from.size()), sub->second);
        }
        nodes_.erase(nodes_.lower_bound(prefix), nodes_.lower_bound(from + "0"));  // '0' follows '/'
    }
    nodes_.erase(from);
    for (auto& [path, node] : moved) nodes_[path] = std::move(node);
    return FsError::kNone;
}

}  // namespace ftpsim::sim
