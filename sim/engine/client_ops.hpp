// What each client operation is on the wire: its verb, whether it moves data and which way.
// Internal to the client engine (client_session.cpp and its parts).
#pragma once

#include <string>
#include <string_view>

#include "sim/engine/client_session.hpp"

namespace ftpsim::sim::client {

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

}  // namespace ftpsim::sim::client
