// A file that appears at its path complete or not at all: the one write-then-rename of the
// project (golden files, capture pins, JUnit reports, run logs, captures rewritten or copied).
// The bytes go to a temporary file in the same directory (rename(2) is atomic only within one
// file system), are flushed to disk with fsync(2) so a crash after the rename cannot leave an
// empty or short file under the final name, and the temporary is renamed over the path.
// Whatever fails, or an AtomicFile destroyed without commit() (an exception, an early return),
// removes the temporary and leaves the path as it was.
#pragma once

#include <string>
#include <string_view>

namespace ftpsim::golden {

class AtomicFile {
public:
    enum class Replace { kYes, kNo };  // kNo: commit() fails if the path exists by then

    // Creates the temporary file beside `path` (mode 0644). Throws std::runtime_error naming it.
    explicit AtomicFile(std::string path, Replace replace = Replace::kYes);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& path() const { return path_; }
    // For a writer that opens the file by name itself (libpcap's dumper, a file copy): it
    // writes here, then commit() publishes what it wrote.
    const std::string& temp_path() const { return temp_; }

    // Appends bytes. Throws std::runtime_error naming the path (the temporary is removed).
    void write(std::string_view bytes);
    // fsync, close, rename over the path. Throws std::runtime_error naming the path (the
    // temporary is removed, the path untouched).
    void commit();

private:
    [[noreturn]] void fail(const std::string& what, int error);
    void discard();

    std::string path_, temp_;
    Replace replace_;
    int fd_ = -1;
};

// Creates the directories `path` would be in, if missing (a first golden file or pin in a new
// folder). Throws std::runtime_error naming the directory that cannot be created.
void create_parent_directories(const std::string& path);

// The whole file at once: AtomicFile, write, commit.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace ftpsim::golden
