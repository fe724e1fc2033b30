// Scripted FTP sessions: the openings most analyzer tests share, a logged-in control connection
// and a passive RETR whose data connection is open and waiting for the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "support/ftp_script.hpp"
#include "support/pcap_builder.hpp"

namespace ftpsim::testsupport {

// Where a control connection runs and how it opens.
struct ControlOptions {
    Ep client = kClientCtrl;
    Ep server = kServerCtrl;
    std::uint32_t client_isn = 1'000'000;  // Capture::connect's defaults
    std::uint32_t server_isn = 3'000'000;
    HandshakeOptions handshake = {};
    std::string password = "s3cret";
};

// A control connection after its handshake and login(): greeting, USER, PASS.
inline Connection& logged_in_control(Capture& cap, const ControlOptions& options = {}) {
    Connection& ctrl = cap.connect(options.client, options.server, options.client_isn,
                                   options.server_isn);
    ctrl.handshake(options.handshake);
    login(ctrl, options.password);
    return ctrl;
}

// How begin_passive_retr() sets the transfer up.
struct PassiveRetrOptions {
    std::string pasv_reply = std::string(kPasvReply);
    std::string opening = "150 Opening data channel";
    Ep data_client = kClientData;  // who connects to kServerPasv
    HandshakeOptions data_handshake = {};
    std::uint16_t data_client_window = 65535;  // advertised by the data client from its SYN on
};

// The two connections of a transfer under way.
struct OpenTransfer {
    Connection& ctrl;
    Connection& data;
};

// A passive download up to its first data byte: logged_in_control(), PASV, the data
// connection's handshake, "RETR file.bin" and its preliminary reply.
inline OpenTransfer begin_passive_retr(Capture& cap, const PassiveRetrOptions& options = {}) {
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PASV", options.pasv_reply);
    Connection& data = cap.connect(options.data_client, kServerPasv);
    data.set_window(kFromClient, options.data_client_window);
    data.handshake(options.data_handshake);
    start_transfer(ctrl, "RETR file.bin", options.opening);
    return {ctrl, data};
}

// A transfer's completion reply and the client's ACK of it, then QUIT and the close.
inline void complete_and_quit(Connection& ctrl,
                              std::string_view completion = "226 Transfer complete",
                              std::string_view goodbye = "221 Goodbye") {
    reply_acked(ctrl, completion);
    quit(ctrl, goodbye);
}

}  // namespace ftpsim::testsupport
