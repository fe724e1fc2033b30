// The client engine's state, shared by the files that implement it:
//   client_session.cpp   inputs, op sequencing, the greeting, timeouts, ending the session
//   client_commands.cpp  ops made of commands only: login, simple commands, rename, raw, ABOR
//   client_data.cpp      transfers: PASV/EPSV/PORT/EPRT, REST, the transfer command
//   client_data_flow.cpp the data connection of a transfer: events, stall, ABOR, upload chunks
// One op runs at a time and one command is outstanding at a time (no pipelining), as
// ftp(1) and curl do it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/client_control.hpp"
#include "sim/engine/prng.hpp"
#include "sim/engine/client_session.hpp"
#include "sim/engine/client_transfer.hpp"

namespace ftpsim::sim {

struct ClientSession::Impl {
    // What the next reply answers.
    enum class Await {
        kNothing,   // no command outstanding
        kGreeting,  // the connection's opening reply (RFC 959 §5.4: 120, 220, 421)
        kUser, kPass, kAcct,
        kSimple,    // a one-command op: a 2xx ends it well
        kRnfr, kRnto,
        kRaw,
        kAbor,      // ABOR, alone or in the middle of a transfer
        kEpsv, kPasv, kPort, kRest,
        kTransfer,  // LIST/NLST/MLSD/RETR/STOR/APPE/STOU
    };
    // The data connection of the current transfer.
    enum class Channel { kNone, kListening, kConnecting, kOpen, kDone };

    struct Transfer {
        Transfer(const ClientOp& op, ChannelId id, DataMode mode, bool hash);
        ChannelId id;
        DataMode mode;
        client::DataStream stream;
        Channel channel = Channel::kNone;
        net::Endpoint remote;            // passive: where we connect
        bool listening = false;          // active: on_data_listening came (PORT/EPRT may go)
        bool command_sent = false;       // the transfer command went out
        bool preliminary = false;        // its 1xx came (uploads start sending then)
        bool sending = false;            // upload started
        std::optional<ftp::Reply> final_reply;  // the transfer command's final reply
        bool data_finished = false;      // EOF (download) / our close (upload) / failure
        std::string data_error;          // the data connection failed or was cut short
        // ABOR while transferring (RFC 959 §4.1.3): the replies still owed, the last of which
        // answers ABOR itself.
        bool abort_sent = false;
        int abort_replies_owed = 0;
        std::optional<Nanos> paused_until;  // PauseReading was sent: reading resumes then
    };

    Impl(ClientConfig config, std::vector<ClientOp> ops);

    // ---- client_session.cpp ----
    void on_reply(ftp::Reply reply, Nanos now);
    void start_next_op(Nanos now);
    // Ends the current op; starts the next one unless the session is over.
    void finish_op(bool ok, std::string error, Nanos now);
    // The session cannot go on: the current op fails with `current_error`, every op not run
    // yet fails with `rest_error`, the data connection and the control connection close.
    void end_session(const std::string& current_error, const std::string& rest_error);
    void close_control();
    void send(std::string bytes, std::string shown, Await await, Nanos now);
    // The endpoint the next PORT/EPRT names, for the ground truth (ControlMessage).
    std::optional<net::Endpoint> announcing;
    void push(Action action) { actions.push_back(std::move(action)); }
    void touch(Nanos now);  // progress: the timeout restarts
    bool waiting() const;   // something is expected from the network
    void on_timeout(Nanos now);

    // ---- client_commands.cpp ----
    void start_command_op(Nanos now);
    void on_command_reply(const ftp::Reply& reply, Nanos now);
    void on_login_reply(const ftp::Reply& reply, Nanos now);

    // ---- client_data.cpp ----
    void start_transfer(Nanos now);
    void on_transfer_reply(const ftp::Reply& reply, Nanos now);
    void send_address_command(std::uint16_t port, Nanos now);
    void connect_passive(const net::Endpoint& remote);
    void send_transfer_start(Nanos now);  // REST (if any), else the transfer command
    void send_transfer_command(Nanos now);
    void on_transfer_final(const ftp::Reply& reply, Nanos now);
    void on_abort_reply(const ftp::Reply& reply, Nanos now);
    void send_abort(Nanos now);
    void pump_upload(Nanos now);
    void check_stall_and_abort(Nanos now);
    void maybe_complete_transfer(Nanos now);
    void fail_transfer(const std::string& error, Nanos now);  // closes the data connection
    void close_data();
    std::uint16_t next_active_port(const ClientOp& op);
    Transfer* channel(ChannelId id);  // the current transfer if it owns `id`

    // Data-connection inputs.
    void data_listening(ChannelId id, std::uint16_t port, Nanos now);
    void data_connected(ChannelId id, Nanos now);
    void data_bytes(ChannelId id, std::span<const std::uint8_t> bytes, Nanos now);
    void data_sent(ChannelId id, Nanos now);
    void data_closed(ChannelId id, Nanos now);
    void data_failed(ChannelId id, const std::string& why, Nanos now);

    ClientConfig config;
    std::vector<ClientOp> ops;
    std::size_t next_op = 0;         // index of the next op to start
    bool starting = false;           // inside start_next_op
    bool start_again = false;        // an op ended while starting: start the next one
    // Think time before ops[next_op] (ClientConfig::think, ClientOp::gap): the op starts then.
    std::optional<Nanos> thinking_until;
    bool thought = false;            // the pause before ops[next_op] is over
    Prng think_prng{0};
    std::size_t results_made = 0;

    client::ReplyReader reader;
    std::vector<ftp::Reply> greeting;
    net::Endpoint local;             // the control connection's addresses
    net::Endpoint peer;
    bool connected = false;
    bool over = false;               // no op will run any more
    bool close_sent = false;         // CloseControl was queued
    bool peer_closed = false;

    std::optional<OpResult> current;  // the op in progress
    Await await = Await::kNothing;
    std::string awaited_verb;         // for the timeout message
    // A pipelined login: PASS went out with USER; USER's reply is kept, since the op ends only
    // once PASS's reply (which the server sends whatever USER got) has been read.
    bool pass_pipelined = false;
    std::optional<ftp::Reply> user_reply;
    std::optional<Transfer> transfer;
    std::optional<Nanos> deadline;

    ChannelId next_channel = 1;
    std::uint32_t active_transfers = 0;  // session-port active transfers so far
    bool epsv_refused = false;           // kEpsvThenPasv: EPSV failed once, PASV from then on

    std::deque<Action> actions;
    std::deque<OpResult> results;
};

}  // namespace ftpsim::sim
