// FTP command lines (RFC 959 §5.3): "<verb>[<SP><arg>]" once the line end is removed.
#include "ftp/command.hpp"

#include <algorithm>
#include <array>
#include <span>

namespace ftpsim::ftp {
namespace {

bool is_ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool in(std::string_view verb, std::span<const std::string_view> set) {
    return std::find(set.begin(), set.end(), verb) != set.end();
}

// RFC 959 §4.1 and §5.3.1.
constexpr std::array<std::string_view, 33> kRfc959 = {
    "USER", "PASS", "ACCT", "CWD",  "CDUP", "SMNT", "REIN", "QUIT", "PORT", "PASV", "TYPE",
    "STRU", "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR",
    "DELE", "RMD",  "MKD",  "PWD",  "LIST", "NLST", "SITE", "SYST", "STAT", "HELP", "NOOP",
};
// The experimental directory verbs of RFC 775, still sent by old clients (RFC 959 Appendix II).
constexpr std::array<std::string_view, 5> kRfc775 = {"XCUP", "XCWD", "XMKD", "XPWD", "XRMD"};
// RFC 2228 §3 security extensions.
constexpr std::array<std::string_view, 8> kRfc2228 = {"AUTH", "ADAT", "PROT", "PBSZ",
                                                      "CCC",  "MIC",  "CONF", "ENC"};
// RFC 2389 §3-4 (FEAT, OPTS), RFC 2428 §2-3 (EPRT, EPSV), RFC 2640 §4.1 (LANG),
// RFC 3659 §3, §4, §7 (MDTM, SIZE, MLST, MLSD), RFC 7151 §3 (HOST).
constexpr std::array<std::string_view, 10> kExtensions = {
    "FEAT", "OPTS", "EPRT", "EPSV", "LANG", "MDTM", "SIZE", "MLST", "MLSD", "HOST",
};

constexpr std::array<std::string_view, 7> kTransfer = {"LIST", "NLST", "MLSD", "RETR",
                                                       "STOR", "STOU", "APPE"};
constexpr std::array<std::string_view, 4> kDownload = {"LIST", "NLST", "MLSD", "RETR"};
// PASS and ACCT carry credentials (RFC 959 §4.1.1). ADAT also carries security data, but it is
// opaque base64 of a negotiated mechanism, not a password: left visible like AUTH.
constexpr std::array<std::string_view, 2> kSecret = {"PASS", "ACCT"};

}  // namespace

std::string to_upper_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        // Only ASCII letters: bytes >= 0x80 (UTF-8, Latin-1) must not be touched by a locale.
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::optional<Command> parse_command(std::string_view line) {
    // The verb ends at the first space, or at the end of the line for verbs without argument.
    // Leading whitespace makes the first token empty: RFC 959 §5.3.1's syntax has none, and
    // servers (vsftpd, ProFTPD) answer such lines 500, so the line is not a command.
    const std::size_t space = line.find(' ');
    const std::string_view verb = line.substr(0, space);
    if (verb.size() < 3 || verb.size() > 4) return std::nullopt;
    if (!std::all_of(verb.begin(), verb.end(), is_ascii_letter)) return std::nullopt;

    Command cmd;
    cmd.verb = to_upper_ascii(verb);
    // "<verb><SP><arg>": the argument is all after the single separating space, unchanged, so
    // that path names with leading or trailing spaces survive (RFC 959 §5.3.2 <pathname> is
    // any <string>).
    if (space != std::string_view::npos) cmd.arg = std::string(line.substr(space + 1));
    return cmd;
}

bool is_known_verb(std::string_view upper_verb) {
    return in(upper_verb, kRfc959) || in(upper_verb, kRfc775) || in(upper_verb, kRfc2228) ||
           in(upper_verb, kExtensions);
}

bool is_transfer_verb(std::string_view upper_verb) { return in(upper_verb, kTransfer); }

bool is_download_verb(std::string_view upper_verb) { return in(upper_verb, kDownload); }

bool is_secret_verb(std::string_view upper_verb) { return in(upper_verb, kSecret); }

std::string mask_secret_argument(std::string_view line) {
    auto cmd = parse_command(line);
    if (!cmd || !is_secret_verb(cmd->verb) || cmd->arg.empty()) return std::string(line);
    return std::string(line.substr(0, line.size() - cmd->arg.size())) + std::string(kSecretMask);
}

}  // namespace ftpsim::ftp
