// Runs one SessionEngine (server or client) for one control connection on Boost.Asio: every
// input (bytes, connection events, the timer) goes to the engine, then its actions are drained
// and carried out on real sockets. The engine never sees a socket or a clock; this is where
// its Nanos come from (std::chrono::steady_clock).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "sim/asio/control_channel.hpp"
#include "sim/asio/data_channel.hpp"
#include "sim/asio/socket_util.hpp"
#include "sim/engine/actions.hpp"
#include "sim/engine/file_system.hpp"

namespace ftpsim::sim::asio_io {

struct RunnerHooks {
    std::function<void(const std::string&)> log;  // the runner's own lines (bind failures ...)
    std::function<void()> after_step;             // after every drain: poll logs, results ...
    // Every byte received on a data connection, before the engine sees it (the client command
    // writes RETR content to a local file with it).
    std::function<void(ChannelId, std::span<const std::uint8_t>)> data_tap;
    std::function<void()> on_done;  // once: the engine finished and the control socket closed
    // Runs a job that may block (an upload's CommitUpload: fsync, rename) away from the
    // io_context's thread; the job posts its result back itself. Unset: run in place.
    std::function<void(std::function<void()>)> run_blocking;
};

class EngineRunner : public std::enable_shared_from_this<EngineRunner>,
                     public ControlEvents,
                     public DataEvents {
public:
    EngineRunner(tcp::socket control, std::shared_ptr<SessionEngine> engine, RunnerHooks hooks);
    ~EngineRunner() override;

    // Starts the session: `first` is the first input (default: on_control_connected; a server
    // at capacity passes refuse_capacity instead).
    void start(std::function<void(SessionEngine&, Nanos)> first = {});
    // Ends the session at once: RST on the control and every data connection; the engine gets
    // no further input. on_done runs.
    void stop();
    bool done() const { return done_; }

    // ControlEvents / DataEvents: from the channels' completion handlers.
    void control_bytes(std::span<const std::uint8_t> bytes) override;
    void control_closed() override;
    void control_released() override;
    void data_listening(ChannelId id, std::uint16_t port) override;
    void data_connected(ChannelId id, const tcp::endpoint& local, const tcp::endpoint& peer) override;
    void data_bytes(ChannelId id, std::span<const std::uint8_t> bytes) override;
    void data_sent(ChannelId id) override;
    void data_closed(ChannelId id) override;
    void data_failed(ChannelId id, const std::string& why) override;
    void data_released(ChannelId id) override;

private:
    void step();
    void execute(const Action& a);
    void commit_upload(const CommitUpload& a);
    void upload_committed(ChannelId id, FsError result);
    void arm_timer();
    void maybe_finish();
    void finish();
    std::shared_ptr<DataChannel> channel(ChannelId id);
    std::shared_ptr<DataChannel> new_channel(ChannelId id);

    asio::any_io_executor ex_;
    tcp::socket initial_socket_;  // until start() hands it to the control channel
    std::shared_ptr<ControlChannel> control_;
    std::shared_ptr<SessionEngine> engine_;
    RunnerHooks hooks_;
    std::map<ChannelId, std::shared_ptr<DataChannel>> channels_;
    asio::steady_timer timer_;        // the engine's poll_timeout()
    asio::steady_timer grace_timer_;  // the control connection is gone but the engine is not done
    std::optional<Nanos> armed_at_;
    Nanos last_fire_ = 0;  // the time the engine was last given in handle_timeout
    std::uint64_t timer_gen_ = 0;
    bool started_ = false;
    bool stepping_ = false;
    bool done_ = false;
    bool grace_armed_ = false;
};

}  // namespace ftpsim::sim::asio_io
