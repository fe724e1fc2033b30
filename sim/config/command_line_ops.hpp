// The operations of `ftpsim client URL OP...`, parsed from the command line's words into the
// client engine's ClientOps, by the words, arity and help of the operation table
// (client_op_table.hpp). I/O-free: local files are named here, read and written by the command.
// Optional arguments end where a word spelled like an operation begins.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/client_session.hpp"

namespace ftpsim::sim::config {

struct CliOp {
    ClientOp op;
    std::string local;  // get: the file to write (empty: none); put/append: the file to read
    std::string text;   // the op as typed ("get a.txt out.bin"), for messages
};

// False with `error` set (naming the word and what was expected) on a bad operation list.
bool parse_command_line_ops(const std::vector<std::string>& words, std::vector<CliOp>& out, std::string& error);

// One line per operation, for --help.
std::string command_line_ops_help();

}  // namespace ftpsim::sim::config
