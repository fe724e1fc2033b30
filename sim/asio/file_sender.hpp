// Sends a slice of a real file on a TCP socket without copying it through user space:
// sendfile(2) on the socket's native non-blocking descriptor, waiting for writability with
// Boost.Asio's reactor. Falls back to pread + write where sendfile refuses the file (EINVAL).
#pragma once

#include <functional>
#include <string>

#include "sim/asio/socket_util.hpp"

namespace ftpsim::sim::asio_io {

// `done` gets an empty string on success, else why the send failed. `socket` must stay open
// (or be closed, which makes the send fail) until `done` runs; `done` keeps its owner alive.
using SendDone = std::function<void(const std::string& error)>;
void send_file_slice(tcp::socket& socket, const FileSlice& slice, SendDone done);

}  // namespace ftpsim::sim::asio_io
