// Path resolution for the server's view of the file tree, and the FileSystem defaults.
#include "sim/engine/file_system.hpp"

#include <vector>

namespace ftpsim::sim {

std::string resolve_path(const std::string& cwd, const std::string& arg) {
    // RFC 959 §3.2 leaves pathname syntax to the server; this one is Unix-like, as vsftpd's:
    // '/' separates components, an argument starting with '/' is absolute, anything else is
    // relative to the working directory. "." is dropped, ".." removes the previous component
    // and stops at the root (a chroot'ed vsftpd behaves the same), repeated slashes collapse.
    std::vector<std::string> parts;
    const auto walk = [&parts](const std::string& path) {
        std::size_t i = 0;
        while (i <= path.size()) {
            std::size_t slash = path.find('/', i);
            if (slash == std::string::npos) slash = path.size();
            const std::string part = path.substr(i, slash - i);
            if (part.empty() || part == ".") {
                // repeated slash, trailing slash or "."
            } else if (part == "..") {
                if (!parts.empty()) parts.pop_back();
            } else {
                parts.push_back(part);
            }
            i = slash + 1;
        }
    };
    if (arg.empty() || arg.front() != '/') walk(cwd);
    walk(arg);
    if (parts.empty()) return "/";
    std::string out;
    for (const std::string& part : parts) {
        out.push_back('/');
        out += part;
    }
    return out;
}

std::optional<ByteSource> FileSystem::read_chunk(const std::string& path, std::uint64_t offset,
                                                 std::uint64_t max_length, FsError& err) const {
    std::optional<ByteSource> source = read(path, offset, err);
    if (!source) return std::nullopt;
    return trim_source(std::move(*source), max_length);
}

std::optional<std::string> FileSystem::read_chunk_bytes(const std::string& path,
                                                        std::uint64_t offset,
                                                        std::uint64_t max_length,
                                                        FsError& err) const {
    std::optional<ByteSource> chunk = read_chunk(path, offset, max_length, err);
    if (!chunk) return std::nullopt;
    const auto* mem = std::get_if<MemorySlice>(&*chunk);
    if (mem == nullptr) {  // a FileSlice: its file system must override this
        err = FsError::kIo;
        return std::nullopt;
    }
    if (!mem->buffer) {
        if (mem->length == 0) return std::string();
        err = FsError::kIo;
        return std::nullopt;
    }
    if (mem->offset > mem->buffer->size() || mem->length > mem->buffer->size() - mem->offset) {
        err = FsError::kIo;
        return std::nullopt;
    }
    return mem->buffer->substr(static_cast<std::size_t>(mem->offset),
                               static_cast<std::size_t>(mem->length));
}

std::unique_ptr<UploadSink> FileSystem::write_at(const std::string& path, std::uint64_t offset,
                                                 FsError& err) {
    if (offset == 0) return write(path, /*append=*/false, err);
    const std::optional<FileInfo> info = stat(path);
    if (info && !info->directory && info->size == offset) return write(path, /*append=*/true, err);
    err = FsError::kPermission;
    return nullptr;
}

std::unique_ptr<UploadSink> FileSystem::create(const std::string& path, FsError& err) {
    if (stat(path)) {
        err = FsError::kExists;
        return nullptr;
    }
    return write(path, /*append=*/false, err);
}

ByteSource trim_source(ByteSource source, std::uint64_t length) {
    std::visit([length](auto& slice) {
        if (slice.length > length) slice.length = length;
    }, source);
    return source;
}

}  // namespace ftpsim::sim
