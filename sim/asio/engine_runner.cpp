#include "sim/asio/engine_runner.hpp"

#include <chrono>
#include <type_traits>

namespace ftpsim::sim::asio_io {

namespace {

// A drain longer than this yields to the other sessions and continues in a posted handler.
constexpr int kMaxActionsPerTurn = 10000;
// The control connection is gone but the engine still is not finished (a bug, or a transfer it
// keeps waiting for): end the session anyway after this long.
constexpr auto kFinishGrace = std::chrono::seconds(10);

// The control connection's local address without IPv4 mapping, for the data connections.
asio::ip::address local_address(const ControlChannel& c) { return to_asio(to_net(c.local()).addr); }

}  // namespace

EngineRunner::EngineRunner(tcp::socket control, std::shared_ptr<SessionEngine> engine, RunnerHooks hooks)
    : ex_(control.get_executor()), initial_socket_(std::move(control)), engine_(std::move(engine)),
      hooks_(std::move(hooks)), timer_(ex_), grace_timer_(ex_) {}

EngineRunner::~EngineRunner() = default;

void EngineRunner::start(std::function<void(SessionEngine&, Nanos)> first) {
    if (started_) return;
    started_ = true;
    control_ = std::make_shared<ControlChannel>(std::move(initial_socket_),
                                                std::weak_ptr<ControlEvents>(shared_from_this()));
    control_->start();
    Nanos now = now_nanos();
    if (first)
        first(*engine_, now);
    else
        engine_->on_control_connected(to_net(control_->local()), to_net(control_->peer()), now);
    step();
}

void EngineRunner::step() {
    if (done_ || stepping_) return;
    stepping_ = true;
    int n = 0;
    while (auto action = engine_->poll_action()) {
        execute(*action);
        if (++n >= kMaxActionsPerTurn) {
            asio::post(ex_, [self = shared_from_this()] { self->step(); });
            break;
        }
    }
    stepping_ = false;
    for (auto& [id, ch] : channels_) ch->settle();
    if (hooks_.after_step) hooks_.after_step();
    arm_timer();
    maybe_finish();
}

void EngineRunner::execute(const Action& action) {
    std::visit(
        [this](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, SendControl>) {
                control_->send(a.bytes);
            } else if constexpr (std::is_same_v<T, CloseControl>) {
                control_->close(a.reset);
            } else if constexpr (std::is_same_v<T, ListenData>) {
                auto ch = new_channel(a.id);
                ch->set_receive_buffer(a.receive_buffer);
                ch->listen(local_address(*control_), a.port_min, a.port_max);
            } else if constexpr (std::is_same_v<T, ConnectData>) {
                auto ch = new_channel(a.id);
                ch->set_receive_buffer(a.receive_buffer);
                ch->connect(local_address(*control_), a.local_port, to_asio(a.remote));
            } else if constexpr (std::is_same_v<T, SendData>) {
                if (auto ch = channel(a.id)) ch->send(a.source);
            } else if constexpr (std::is_same_v<T, CloseData>) {
                if (auto ch = channel(a.id)) ch->close(a.reset, a.keep_listening);
            } else if constexpr (std::is_same_v<T, PauseReading>) {
                if (auto ch = channel(a.id)) ch->pause_until(a.until);
            } else if constexpr (std::is_same_v<T, CommitUpload>) {
                commit_upload(a);
            }
        },
        action);
}

void EngineRunner::commit_upload(const CommitUpload& a) {
    // The result comes back as a posted handler (never inside this drain), through an executor
    // that counts as outstanding work, so the io_context does not run out while the job runs.
    auto work = asio::prefer(ex_, asio::execution::outstanding_work.tracked);
    auto report = [weak = weak_from_this(), work, id = a.id](FsError result) {
        asio::post(work, [weak, id, result] {
            if (auto self = weak.lock()) self->upload_committed(id, result);
        });
    };
    if (!hooks_.run_blocking) {
        report(a.sink->commit());
        return;
    }
    // The sink goes with the job: it is released on the job's thread, after commit().
    hooks_.run_blocking([sink = a.sink, report]() mutable {
        const FsError result = sink->commit();
        sink.reset();
        report(result);
    });
}

void EngineRunner::upload_committed(ChannelId id, FsError result) {
    if (done_) return;
    engine_->on_upload_committed(id, result, now_nanos());
    step();
}

std::shared_ptr<DataChannel> EngineRunner::channel(ChannelId id) {
    auto it = channels_.find(id);
    return it == channels_.end() ? nullptr : it->second;
}

std::shared_ptr<DataChannel> EngineRunner::new_channel(ChannelId id) {
    auto& slot = channels_[id];
    if (slot) slot->abort();  // ids are never reused by a correct engine: drop the old one
    slot = std::make_shared<DataChannel>(ex_, id, std::weak_ptr<DataEvents>(shared_from_this()), hooks_.log);
    return slot;
}

void EngineRunner::arm_timer() {
    std::optional<Nanos> t = engine_->poll_timeout();
    if (t == armed_at_ || done_) return;
    armed_at_ = t;
    ++timer_gen_;
    if (!t) {
        timer_.cancel();
        return;
    }
    // A deadline the engine was already told has passed would fire at once, forever: the engine
    // has seen that time, so give it a millisecond more.
    Nanos at = *t <= last_fire_ ? last_fire_ + kMillisecond : *t;
    timer_.expires_at(to_time_point(at));
    timer_.async_wait([self = shared_from_this(), gen = timer_gen_](const boost::system::error_code& ec) {
        if (ec || gen != self->timer_gen_ || self->done_) return;
        self->armed_at_.reset();
        self->last_fire_ = now_nanos();
        self->engine_->handle_timeout(self->last_fire_);
        self->step();
    });
}

void EngineRunner::maybe_finish() {
    if (done_ || !control_) return;
    if (engine_->finished()) {
        if (!control_->released()) {
            if (!control_->closing()) control_->close(false);  // finished without saying how
            return;                                            // control_released() comes back
        }
        return finish();
    }
    if (control_->released() && !grace_armed_) {
        grace_armed_ = true;
        grace_timer_.expires_after(kFinishGrace);
        grace_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (ec || self->done_) return;
            if (self->hooks_.log) self->hooks_.log("control connection closed; ending the session");
            self->finish();
        });
    }
}

void EngineRunner::finish() {
    if (done_) return;
    done_ = true;
    for (auto& [id, ch] : channels_) ch->abort();
    channels_.clear();
    timer_.cancel();
    grace_timer_.cancel();
    auto on_done = std::move(hooks_.on_done);
    hooks_ = {};  // drop the owner's callbacks (and whatever they capture)
    if (on_done) on_done();
}

void EngineRunner::stop() {
    if (done_) return;
    if (control_)
        control_->abort();
    else
        reset_close(initial_socket_);
    finish();
}

// ---- events from the channels: each is one engine input, then a drain ----

void EngineRunner::control_bytes(std::span<const std::uint8_t> bytes) {
    if (done_) return;
    engine_->on_control_bytes(bytes, now_nanos());
    step();
}

void EngineRunner::control_closed() {
    if (done_) return;
    engine_->on_control_closed(now_nanos());
    step();
}

void EngineRunner::control_released() { maybe_finish(); }

void EngineRunner::data_listening(ChannelId id, std::uint16_t port) {
    if (done_) return;
    engine_->on_data_listening(id, port, now_nanos());
    step();
}

void EngineRunner::data_connected(ChannelId id, const tcp::endpoint& local, const tcp::endpoint& peer) {
    if (done_) return;
    engine_->on_data_connected(id, to_net(local), to_net(peer), now_nanos());
    step();
}

void EngineRunner::data_bytes(ChannelId id, std::span<const std::uint8_t> bytes) {
    if (done_) return;
    if (hooks_.data_tap) hooks_.data_tap(id, bytes);
    engine_->on_data_bytes(id, bytes, now_nanos());
    step();
}

void EngineRunner::data_sent(ChannelId id) {
    if (done_) return;
    engine_->on_data_sent(id, now_nanos());
    step();
}

void EngineRunner::data_closed(ChannelId id) {
    if (done_) return;
    engine_->on_data_closed(id, now_nanos());
    step();
}

void EngineRunner::data_failed(ChannelId id, const std::string& why) {
    if (done_) return;
    engine_->on_data_failed(id, why, now_nanos());
    step();
}

void EngineRunner::data_released(ChannelId id) {
    auto it = channels_.find(id);
    // abort() reports nothing, so a release comes from the channel in the map under that id.
    if (it != channels_.end()) channels_.erase(it);
}

}  // namespace ftpsim::sim::asio_io
