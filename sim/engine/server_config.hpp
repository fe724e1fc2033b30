// How an FTP server session behaves: accounts, personality, limits, the safety checks vsftpd
// makes by default (each can be turned off to show an attack), and injected faults.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/engine/actions.hpp"
#include "sim/engine/think_time.hpp"

namespace ftpsim::sim {

enum class Personality { kNeutral, kVsftpd, kFileZilla };

// A reply-level fault, as curl's test server offers them: for a command (verb), on its Nth
// occurrence (0 = every time), do something other than the normal thing.
struct Fault {
    enum class Kind {
        kReply,           // answer `code text` instead of the normal reply
        kDelay,           // delay the normal reply by `delay`
        kClose,           // close the control connection instead of answering
        kShortTransfer,   // announce the full size, send only `bytes` bytes, then 226
        kRefuseData,      // answer 425 without opening the data connection
        kNoDataConnection,  // say 150 but never open / accept the data connection
        kResetData,       // reset the data connection (RST) after `bytes` bytes
    };
    std::string verb;          // upper-case verb, or "CONNECT" for the greeting
    std::uint32_t occurrence = 0;
    Kind kind = Kind::kReply;
    int code = 0;
    std::string text;          // for kReply; multi-line texts are split on '\n'
    Nanos delay = 0;
    std::uint64_t bytes = 0;
};

// A reply given verbatim, as a real server answered (`replies:`): for a verb, optionally only
// for one argument and/or its Nth occurrence, the server answers `code text` instead of running
// the command, and its session state follows the code (server_overrides.cpp).
struct ReplyOverride {
    std::string verb;                // upper case, 3 or 4 letters (RFC 959 §5.3.1)
    std::optional<std::string> arg;  // the exact argument; unset: any
    std::uint32_t occurrence = 0;    // the Nth time the verb is used; 0: every time
    int code = 0;                    // 100 .. 599
    std::string text;                // multi-line texts are split on '\n'
};

struct ServerConfig {
    Personality personality = Personality::kNeutral;
    std::map<std::string, std::string> users;  // name -> password
    bool anonymous = false;                    // "anonymous"/"ftp" with any password
    std::uint32_t max_login_failures = 3;      // then 421 and disconnect
    // Before each reply (the greeting and every command's answer) the server takes a time
    // drawn from `think` with `think_seed`; a failed login waits `failed_login_delay` more
    // before its 530, as vsftpd's delay_failed_login (1 s by default there) does to slow down
    // password guessing. Zero (the default) answers at once.
    ThinkTime think;
    std::uint64_t think_seed = 0;
    Nanos failed_login_delay = 0;

    // Passive mode: the port range to listen on and the address to announce (NAT).
    std::uint16_t pasv_port_min = 0;  // 0: any free port
    std::uint16_t pasv_port_max = 0;
    std::optional<net::IpAddress> pasv_address;
    // Active mode: connect from this port (RFC 959 §3.2: L-1, i.e. 20). The driver reports when
    // it cannot bind it; 0 means any port.
    std::uint16_t active_source_port = 20;

    // Safe defaults, as vsftpd's (port_promiscuous=NO, pasv_promiscuous=NO ...).
    bool allow_foreign_port = false;       // PORT/EPRT to a host other than the control peer
    bool allow_privileged_port = false;    // PORT/EPRT to a port below 1024
    bool allow_foreign_data_peer = false;  // passive connection from another IP than the peer
    std::size_t max_command_line = 500;    // longer lines: 500 and the rest discarded
    Nanos idle_timeout = 300 * kSecond;    // then 421 and close
    Nanos data_connect_timeout = 60 * kSecond;  // passive: no connection by then -> 425

    // Reply text overrides: verb -> text (code unchanged), multi-line texts split on '\n'.
    // "GREETING" overrides the banner.
    // Keys (see server_replies.cpp): "VERB" replaces the text of the verb's positive final
    // reply (2yz/3yz); "VERB NNN" the text of that verb's reply with code NNN, whatever it is
    // ("RETR 150", "PASS 530"); "TIMEOUT" the idle-timeout 421, "CAPACITY" the refusal 421.
    std::map<std::string, std::string> reply_texts;
    std::vector<Fault> faults;
    // Replies given verbatim, checked in order after the faults; the first that matches wins.
    std::vector<ReplyOverride> replies;
    // LIST of these directories (absolute, normal form) sends these bytes instead of the
    // generated listing: the lines a real server printed, each ended by CRLF (RFC 959 §3.1.1.1,
    // ASCII type). NLST and MLSD keep the generated names and facts.
    std::map<std::string, std::string> listings;
};

}  // namespace ftpsim::sim
