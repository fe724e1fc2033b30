// How the server writes directory listings and times: LIST lines in the `ls -l` style each
// personality prints, NLST names, MLSD/MLST fact lines (RFC 3659 §7), MDTM times (§3).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/file_system.hpp"
#include "sim/engine/server_config.hpp"

namespace ftpsim::sim {

// RFC 3659 §7.5 facts this server can give, in the order it gives them.
enum class MlstFact : unsigned { kType = 1, kSize = 2, kModify = 4, kPerm = 8 };
constexpr unsigned kAllMlstFacts = 1 | 2 | 4 | 8;

// One LIST line without its CRLF, e.g. vsftpd's
//   "-rw-r--r--    1 0        0            3405 Dec 02  2019 dump.sql".
// Dates always take the "Mmm dd  yyyy" form: the engine has no wall clock to decide what is
// "recent" (ls shows "Mmm dd hh:mm" for the last six months), and listings stay reproducible.
std::string format_list_line(const FileInfo& info, Personality personality);
// "Dec 02  2019" (UTC).
std::string format_ls_date(std::int64_t mtime);
// "20191202120000": RFC 3659 §2.3 time-val, UTC, as MDTM and the modify fact carry it.
std::string format_time_val(std::int64_t mtime);
// "type=file;size=3405;modify=20191202120000;perm=adfrw; dump.sql" (§7.2: facts, each ended by
// ';', one space, the name). `name` is what follows the space: MLSD gives the entry's name,
// MLST the full pathname (§7.3).
std::string format_mlsx_line(const FileInfo& info, const std::string& name, unsigned facts);
// The fact list of FEAT's MLST line and of OPTS MLST replies: "type*;size*;modify*;perm*;"
// (with_stars) marks the selected ones (§7.8), or only the selected ones "type;size;" (§7.9).
std::string format_fact_list(unsigned supported, unsigned selected, bool with_stars);
// Parses OPTS MLST's argument ("type;size;", case-insensitive); unknown facts are ignored.
unsigned parse_fact_list(const std::string& arg, unsigned supported);

// A whole listing: lines joined with CRLF (RFC 959 §3.1.1.1: listings are ASCII, NVT line ends,
// whatever the TYPE), a CRLF after the last one too.
std::string join_crlf(const std::vector<std::string>& lines);

}  // namespace ftpsim::sim
