// The client's operations, once: for each, its scenario step key and `ftpsim client` word, the
// arguments it takes, the command it sends, whether and which way it moves data, and its help
// text. The scenario loader (client_yaml.cpp), the command-line parser (command_line_ops.cpp),
// the engine (client_session.cpp and its parts) and docs/scenario-format.md's step table (a test
// compares them) all read this table: a new operation is one entry here plus its engine code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/engine/client_op.hpp"

namespace ftpsim::sim {

struct ClientConfig;

// What a step's key takes as its value in a scenario (docs/scenario-format.md, "Steps").
enum class OpArgs {
    kNone,      // - pwd
    kOptional,  // - list:   or  - {list: /pub}
    kRequired,  // - {retr: /a.bin}
    kPair,      // - {rename: [FROM, TO]}
    kNames,     // - {ftp1_mget: [a, b]}
    kLogin,     // - login   or  - {login: {user: U, password: P, pipelined: true}}
};

// Whether an operation opens a data connection and which way the data flows (RFC 959 §4.1.3,
// RFC 3659 §7 for MLSD).
enum class OpData { kNone, kListing, kDownload, kUpload };

// Steps that are a classic client's command sequence rather than one op (client_scripts.hpp).
enum class OpScript { kNone, kFtp1Ls, kFtp1Mget };

struct ClientOpSpec {
    const char* step;        // the scenario step key ("retr")
    ClientOp::Kind kind;     // the op it runs; a script: the transfer its ops make
    OpScript script;
    OpArgs args;
    OpData data;
    bool rest;               // takes a REST offset first (RFC 3659 §5): the step's `rest` option
    const char* verb;        // the one command it sends; "" when several (login) or given (raw)
    // `ftpsim client`: the operation's word (nullptr: not offered there), the words that must
    // follow and how many more may (-1: every word up to the next operation), usage and help.
    const char* command;
    int required;
    int optional;
    const char* usage;
    const char* help;
};

// Every operation, in `ftpsim client --help`'s order, the steps it does not offer among them.
// Order matters where a typo is equally near two names: the suggestion is the first.
const std::vector<ClientOpSpec>& client_op_table();
// The entry of a scenario step key, of an `ftpsim client` word; nullptr for none.
const ClientOpSpec* find_step(std::string_view step);
const ClientOpSpec* find_command(std::string_view word);

namespace client {

// LIST NLST MLSD RETR STOR APPE STOU: the operations that need a data connection.
bool is_transfer(ClientOp::Kind kind);
// Transfers whose data flows from the server (RFC 959 §4.1.3 LIST/NLST/RETR, RFC 3659 MLSD).
bool is_download(ClientOp::Kind kind);
// Transfers whose data is a directory listing (kept as text in OpResult::listing).
bool is_listing(ClientOp::Kind kind);
// The verb a single-command or transfer op sends; empty for the ops made of several commands
// or of a raw line (kLogin, kRename, kRaw, kAbort).
std::string_view verb_of(ClientOp::Kind kind);
// The op in words, for error messages: "RETR /pub/a.txt", "login as anonymous".
std::string describe(const ClientOp& op, const ClientConfig& config);
// The arguments a `secret: true` op sends, as the server parses them from its command lines:
// its argument (and a rename's second), or what follows the verb of a raw line. Empty for an op
// that is not secret. The run log masks them (masked_command) and so do the analyses of the
// scenario's captures (AnalyzeOptions::secrets), so both show the same.
std::vector<std::string> secret_arguments(const ClientOp& op);
// A command line `op` sent, as logs show it: "VERB ****" for PASS and ACCT (RFC 959 §4.1.1,
// ftp::mask_secret_argument, the analyzer's rule) and, when the op is secret, for the lines
// carrying its argument; the line as is otherwise. The run log and `ftpsim client` show this.
std::string masked_command(const ClientOp& op, std::string_view line);

// A command as a server tells it apart: its verb and which occurrence of that verb it is in the
// session, counted over every command the client sent (what ServerSession counts and a server
// Fault's `occurrence` names).
struct CommandOccurrence {
    std::string verb;
    std::uint32_t occurrence = 0;
};
// The command that starts transfer op `ops[index]` (its LIST, RETR ... after the data-connection
// setup), as the server will count it: each earlier transfer op sends its verb once, a raw op the
// verb of its line (parsed as the server parses it, ftp::parse_command), and no other op sends a
// transfer verb. The one mapping from an op to its identity on the wire.
CommandOccurrence transfer_command(const std::vector<ClientOp>& ops, std::size_t index);

}  // namespace client
}  // namespace ftpsim::sim
