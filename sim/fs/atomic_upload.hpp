// Uploads into a real directory that never destroy the file they replace: the bytes go to a
// temporary file beside the target (same directory, so same file system and rename(2) is
// atomic), which is fsync'ed and renamed over the target on commit() and unlinked otherwise.
//
// The temporary is named ".NAME.ftpsim-upload-XXXXXX", created with O_CREAT|O_EXCL. A named
// temporary rather than O_TMPFILE: linkat(2) of an O_TMPFILE needs /proc or
// CAP_DAC_READ_SEARCH and cannot replace an existing name anyway, so a name was needed at the
// end in any case; the listing filter (is_upload_temporary) keeps these names out of LIST, NLST
// and MLSD, and one left behind by a crash stays hidden too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sim/engine/file_system.hpp"

namespace ftpsim::sim {

// How the upload relates to the target's current bytes.
struct UploadPlacement {
    bool append = false;        // APPE: after the current end
    std::uint64_t offset = 0;   // REST+STOR: from here on; the bytes before and after are kept
    bool exclusive = false;     // STOU: never replaces a file (renameat2 RENAME_NOREPLACE)
};

// `dir_fd`: the target's directory, opened O_RDONLY|O_DIRECTORY and confined by the caller;
// the sink takes it over (closed on failure too). `name`: the last component, never followed
// if it is a symlink. For APPE and REST the current file is copied into the temporary first
// (copy_file_range, which reflinks where the file system can), so the original stays intact
// until the rename.
std::unique_ptr<UploadSink> open_atomic_upload(int dir_fd, const std::string& name,
                                               UploadPlacement placement, FsError& err);

// Whether a directory entry is an upload's temporary (in progress, or left by a crash).
bool is_upload_temporary(std::string_view name);

// The errno of a failed write, fsync or rename as the server has to tell it (RFC 959 §4.2:
// ENOSPC 452, EDQUOT 552, anything else 451).
FsError upload_error_from_errno(int e);

}  // namespace ftpsim::sim
