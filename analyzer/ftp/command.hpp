// FTP commands (RFC 959 §5.3): a verb, optionally a space and an argument, CRLF.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ftpsim::ftp {

struct Command {
    std::string verb;  // upper-cased (verbs are case-insensitive, RFC 959 §5.3)
    std::string arg;   // raw, as sent: may be empty, may hold any bytes
};

// Parses one control-connection line from the client. Returns nullopt when the line cannot be a
// command: empty, or a first token that is not 3-4 ASCII letters (RFC 959 §5.3.1); unknown but
// well-formed verbs are still commands (the server answers them 500/502).
std::optional<Command> parse_command(std::string_view line);

// Verbs of RFC 959, 2228, 2389, 2428, 2640, 3659 and 7151, and the X* variants of RFC 775.
bool is_known_verb(std::string_view upper_verb);
// Commands that move data over a data connection: LIST NLST MLSD RETR STOR STOU APPE.
bool is_transfer_verb(std::string_view upper_verb);
// For transfer verbs: true when the data flows from server to client (LIST, NLST, MLSD, RETR).
bool is_download_verb(std::string_view upper_verb);
// Commands whose argument is a secret and is masked unless asked otherwise (PASS, ACCT): the one
// default rule for the analyzer's outputs, the run log and the client's log.
bool is_secret_verb(std::string_view upper_verb);

// What every output shows instead of a secret argument.
inline constexpr std::string_view kSecretMask = "****";
// A command line as logs show it: the argument of a secret verb (is_secret_verb, any case)
// replaced by kSecretMask, the verb as sent; any other line unchanged.
std::string mask_secret_argument(std::string_view line);

std::string to_upper_ascii(std::string_view s);

}  // namespace ftpsim::ftp
