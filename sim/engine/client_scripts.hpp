// Command sequences of classic clients, as ClientOp lists to feed a ClientSession.
//
// Debian's ftp(1) (netkit-ftp), as captured against vsftpd (USER, PASS, then SYST on login;
// "ls" = PORT + LIST; "mget f" = PORT + NLST f, TYPE I, PORT + RETR f): every transfer in
// active mode (PORT) from a port the kernel picks, a new listener each time.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/client_session.hpp"

namespace ftpsim::sim {

// What ftp(1) sends on connecting: USER, PASS (one kLogin op), then SYST to learn the system
// type ("215 UNIX Type: L8" makes it announce binary mode).
std::vector<ClientOp> ftp1_login();
// "ls [dir]": LIST over PORT.
std::vector<ClientOp> ftp1_ls(const std::string& dir = {});
// "mget names...": NLST per name (ftp(1) globs each argument on the server first, before any
// transfer), TYPE I, then RETR per name, each over PORT. The engine runs fixed op lists, so the
// files fetched are the names given, not what the NLST answers listed.
std::vector<ClientOp> ftp1_mget(const std::vector<std::string>& names);

}  // namespace ftpsim::sim
