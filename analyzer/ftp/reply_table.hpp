// Which replies a command may get: RFC 959 §5.4 "Command-Reply Sequences", with the additions of
// RFC 2389 (FEAT, OPTS), RFC 2428 (EPRT, EPSV) and RFC 3659 (SIZE, MDTM, MLST, MLSD, REST STREAM).
#pragma once

#include <span>
#include <string_view>

namespace ftpsim::ftp {

// Every code the command may be answered with, preliminary (1yz) ones included, plus the codes
// any command may get (421 service closing, 500/501/502/530 ... as RFC 959 §5.4 lists for it).
// Empty for a verb the table does not know.
std::span<const int> allowed_replies(std::string_view upper_verb);
bool reply_allowed(std::string_view upper_verb, int code);

}  // namespace ftpsim::ftp
