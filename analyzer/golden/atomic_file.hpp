// A file that appears at its path complete or not at all: the one write-then-rename of the
// project (golden files, capture pins, JUnit reports, run logs, captures rewritten or copied).
// The bytes go to a temporary file in the same directory (rename(2) is atomic only within one
// file system), are flushed to disk with fsync(2) so a crash after the rename cannot leave an
// empty or short file under the final name, and the temporary is renamed over the path.
// Whatever fails, or an AtomicFile destroyed without commit() (an exception, an early return),
// removes the temporary and leaves the path as it was.
//
// A process killed outright (SIGKILL, the OOM killer, a power cut) runs no destructor: it leaves
// the path as it was and, at most, its temporary ".NAME.partial.PID.N" (partial_path_beside):
// hidden, named after the file it was to become, saying it is partial and whose it was. The next
// run into that directory removes those of dead processes (remove_abandoned_partials).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ftpsim::golden {

class AtomicFile {
public:
    enum class Replace { kYes, kNo };  // kNo: commit() fails if the path exists by then
    // kNo: no fsync(2) before the rename, for a file the run can write again byte for byte (a
    // virtual network's capture, once per session in the benchmark). A killed process still
    // leaves the old file or the whole new one (its written pages outlive it); only a machine
    // that loses power right after the rename may show an empty or short file there.
    enum class Sync { kYes, kNo };

    // Creates the temporary file beside `path` (mode 0644). Throws std::runtime_error naming it.
    explicit AtomicFile(std::string path, Replace replace = Replace::kYes, Sync sync = Sync::kYes);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& path() const { return path_; }
    // For a writer that opens the file by name itself (libpcap's dumper, a file copy): it
    // writes here, then commit() publishes what it wrote.
    const std::string& temp_path() const { return temp_; }

    // Appends bytes. Throws std::runtime_error naming the path (the temporary is removed).
    void write(std::string_view bytes);
    // fsync (unless Sync::kNo), close, rename over the path. Throws std::runtime_error naming the
    // path (the temporary is removed, the path untouched).
    void commit();

private:
    [[noreturn]] void fail(const std::string& what, int error);
    void discard();

    std::string path_, temp_;
    Replace replace_;
    Sync sync_;
    int fd_ = -1;
};

// A fresh temporary name beside `path`: "DIR/.NAME.partial.PID.N", PID this process, N a counter
// (unique per process, so threads writing beside one another never share one). Every writer of
// an output file names its temporary so: AtomicFile, and the capture writers that open theirs
// themselves (sim/capture's live capture).
std::string partial_path_beside(const std::string& path);

// Removes from `dir` (not its subdirectories) every ".NAME.partial.PID.N" whose process PID no
// longer exists: what killed runs left. A live PID's is kept (a run writing there now, or one
// that kept its partial capture to be looked at). Returns the names removed; never throws (a
// missing or unreadable directory has nothing to remove).
std::vector<std::string> remove_abandoned_partials(const std::string& dir) noexcept;

// Whether process `pid` still runs, as the owner of something it left: EPERM counts as running
// (it exists, under another user); a zombie (killed, not yet reaped by its parent) has ended,
// so what it left is abandoned. sim/netns/registry.cpp judges namespace owners by it too.
bool owner_running(long pid) noexcept;

// Creates the directories `path` would be in, if missing (a first golden file or pin in a new
// folder). Throws std::runtime_error naming the directory that cannot be created.
void create_parent_directories(const std::string& path);

// The whole file at once: AtomicFile, write, commit.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace ftpsim::golden
