// One operation of the client engine (ClientOp) and the data modes it can use. Which operations
// exist, what each takes and sends, is the table in client_op_table.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "sim/engine/actions.hpp"

namespace ftpsim::sim {

enum class DataMode {
    kPassive,          // PASV (RFC 959)
    kExtendedPassive,  // EPSV (RFC 2428)
    kEpsvThenPasv,     // EPSV, and PASV if the server refuses it (what curl and lftp do)
    kActive,           // PORT
    kExtendedActive,   // EPRT
};

struct ClientOp {
    enum class Kind {
        kLogin, kPwd, kCwd, kCdup, kType, kSyst, kList, kNlst, kMlsd, kRetr, kStor, kAppe,
        kStou, kSize, kMdtm, kDele, kMkd, kRmd, kRename, kFeat, kNoop, kAbort, kQuit, kRaw,
    };
    Kind kind = Kind::kNoop;
    std::string arg;   // path, TYPE argument, raw command line, rename source ...
    std::string arg2;  // rename target
    // kLogin: arg and arg2, when not empty, replace the configured user and password (a failed
    // and a good login in one session). kType: an empty arg sends "TYPE I". kRaw: arg is the
    // whole line; CRLF is added unless it already ends with LF.
    std::shared_ptr<const std::string> upload;  // STOR/APPE/STOU content
    std::uint64_t rest = 0;                     // RETR: REST offset first (RFC 3659 §5)
    std::optional<DataMode> mode;               // overrides the session's mode for this op
    std::uint16_t active_port = 0;              // PORT/EPRT from this local port (0: the session's)
    // Stall: after `stall_after` bytes of the transfer, stop reading for `stall_for`
    // (a receiver that stops reading shows a TCP ZeroWindow).
    std::uint64_t stall_after = 0;
    Nanos stall_for = 0;
    // SO_RCVBUF of this op's data connection (0: the system's). A small buffer fills quickly
    // while the client stalls, so the sender sees a zero window soon (RFC 9293 §3.8.6.1).
    std::uint32_t receive_buffer = 0;
    std::uint64_t abort_after = 0;  // kAbort semantics for a transfer: ABOR after this many bytes
    // kLogin: USER and PASS in one write, without waiting for the 331 (lftp with sync-mode off,
    // RFC 959 §4.1's commands being sent ahead of replies): two commands in one segment.
    bool pipelined = false;
    // The argument is a secret (a scenario's `secret: true`): logs show the op's command lines
    // as "VERB ****", as they show PASS and ACCT (masked_command, client_op_table.hpp).
    bool secret = false;
    // The pause before this op's first command, instead of a draw from the client's think
    // time (a capture's gap reproduced, or a person who took a coffee before LIST).
    std::optional<Nanos> gap;
};

}  // namespace ftpsim::sim
