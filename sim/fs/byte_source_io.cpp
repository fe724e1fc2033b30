// Reading a ByteSource into memory (byte_source_io.hpp).
#include "sim/fs/byte_source_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace ftpsim::sim {

bool load_bytes(const ByteSource& source, std::string& out) {
    if (const auto* mem = std::get_if<MemorySlice>(&source)) {
        out.clear();
        if (!mem->buffer) return mem->length == 0;
        if (mem->offset > mem->buffer->size() ||
            mem->length > mem->buffer->size() - mem->offset) {
            return false;
        }
        out.assign(*mem->buffer, static_cast<std::size_t>(mem->offset),
                   static_cast<std::size_t>(mem->length));
        return true;
    }
    const auto& file = std::get<FileSlice>(source);
    // The path was confined by the file system that produced it; O_NOFOLLOW keeps a symlink
    // swapped in since from being followed.
    const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    out.assign(static_cast<std::size_t>(file.length), '\0');
    std::size_t done = 0;
    bool ok = true;
    while (done < out.size()) {
        const ssize_t n = ::pread(fd, out.data() + done, out.size() - done,
                                  static_cast<off_t>(file.offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return ok;
}

}  // namespace ftpsim::sim
