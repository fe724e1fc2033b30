// Makes captured bytes safe to print without losing any: valid UTF-8 stays as it is, control
// characters, backslashes and bytes that are not UTF-8 become escapes.
#pragma once

#include <string>
#include <string_view>

namespace ftpsim::ftp {

// "\\" for a backslash, "\xNN" for control bytes, DEL and invalid UTF-8.
std::string escape_bytes(std::string_view raw);

}  // namespace ftpsim::ftp
