// FTP over raw sockets for the security tests: one data command in passive or active mode, with
// its replies and the bytes that crossed the data connection.
#pragma once

#include <chrono>
#include <string>

#include "interop/support/net.hpp"

namespace ftpsim::interop {

struct DataCommandResult {
    FtpReply setup;      // the PASV/EPSV/PORT reply
    FtpReply first;      // the first reply to the command (1xx when a transfer started)
    FtpReply final;      // the last reply (== first when the command was refused at once)
    std::string data;    // received on the data connection
    bool data_connected = false;
    std::string error;   // a harness problem (no PASV port ...)
};

inline std::string to_string(const DataCommandResult& r) {
    return "setup: " + to_string(r.setup) + "\nfirst: " + to_string(r.first) + "\nfinal: " + to_string(r.final) +
           "\ndata bytes: " + std::to_string(r.data.size()) + (r.error.empty() ? "" : "\nerror: " + r.error);
}

// PASV (or EPSV), connect from `source`, send `command` (RETR/LIST/STOR ...), then `upload` on the
// data connection for a STOR. Bounded: every wait has a timeout.
inline DataCommandResult passive_command(FtpControl& ctl, const std::string& host, const std::string& command,
                                         bool epsv = false, const std::string& upload = {},
                                         const std::string& source = "") {
    DataCommandResult r;
    r.setup = ctl.command(epsv ? "EPSV" : "PASV");
    std::uint16_t port = 0;
    if (epsv) {
        auto p = parse_epsv(r.setup.text);
        if (r.setup.code == 229 && p) port = *p;
    } else {
        auto p = parse_pasv(r.setup.text);
        if (r.setup.code == 227 && p) port = p->second;
    }
    if (port == 0) {
        r.error = "no passive port";
        return r;
    }
    TcpSocket data;
    try {
        data = TcpSocket::connect(host, port, source);
        r.data_connected = true;
    } catch (const std::exception& e) {
        r.error = e.what();
    }
    r.first = ctl.command(command, 10000ms);
    r.final = r.first;
    if (r.first.code >= 100 && r.first.code < 200) {
        if (data.valid()) {
            if (!upload.empty()) data.send_all(upload, 20000ms);
            if (command.rfind("STOR", 0) == 0 || command.rfind("APPE", 0) == 0) {
                data.shutdown_write();
                data.read_to_eof(10000ms);
                data.close();
            } else {
                r.data = data.read_to_eof(20000ms);
            }
        }
        r.final = ctl.read_reply(20000ms);
    } else if (data.valid()) {
        // Refused: whatever the server might still push must not come.
        r.data = data.read_to_eof(300ms);
    }
    return r;
}

}  // namespace ftpsim::interop
