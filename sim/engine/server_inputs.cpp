// ServerSession's public face: each input of the sans-IO contract records the time, hands the
// event to the session state (server_internal.hpp), then runs whatever queued commands it
// unblocked, so that replies always go out in command order.
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

using server::Msg;

ServerSession::ServerSession(const ServerConfig& config, FileSystem& fs)
    : impl_(std::make_unique<Impl>(config, fs)) {}

ServerSession::~ServerSession() = default;

void ServerSession::refuse_capacity(const std::string& why, Nanos now) {
    refuse_capacity(CapacityLimit::kTotal, why, now);
}

void ServerSession::refuse_capacity(CapacityLimit limit, const std::string& why, Nanos now) {
    Impl& s = *impl_;
    s.now = now;
    if (s.closing) return;
    s.started = true;
    s.greeted = true;
    s.verb = "CAPACITY";
    s.answering = 0;
    s.reply(limit == CapacityLimit::kTotal ? Msg::kTooManyUsers : Msg::kTooManyPerIp);
    s.log("refused connection: " + why);
    s.close_control(false);
}

void ServerSession::on_control_connected(const net::Endpoint& local, const net::Endpoint& peer,
                                         Nanos now) {
    Impl& s = *impl_;
    s.now = now;
    if (s.started) return;
    s.started = true;
    s.ctrl_local = local;
    s.ctrl_peer = peer;
    s.last_activity = now;
    s.log("connection from " + peer.str());
    s.connect_greeting();
    s.settle();
}

void ServerSession::on_control_bytes(std::span<const std::uint8_t> bytes, Nanos now) {
    Impl& s = *impl_;
    s.now = now;
    if (s.closing || !s.started) return;
    std::vector<ftp::Line> lines;
    s.splitter.feed(bytes, lines);
    for (ftp::Line& line : lines) s.on_line(std::move(line));
    s.settle();
}

void ServerSession::on_control_closed(Nanos now) {
    Impl& s = *impl_;
    s.now = now;
    if (s.closing) return;
    s.log("control connection closed by the client");
    if (s.xfer) {
        s.log(s.xfer->verb + " " + s.xfer->what + " cut short after " +
              std::to_string(s.xfer->bytes) + " bytes");
    }
    s.close_control(false);
    // Nothing to close any more: the CloseControl just queued only tells the driver the session
    // has let go of the socket too.
}

void ServerSession::on_data_listening(ChannelId id, std::uint16_t port, Nanos now) {
    impl_->now = now;
    impl_->data_listening(id, port);
    impl_->settle();
}

void ServerSession::on_data_connected(ChannelId id, const net::Endpoint& /*local*/,
                                      const net::Endpoint& peer, Nanos now) {
    impl_->now = now;
    impl_->data_connected(id, peer);
    impl_->settle();
}

void ServerSession::on_data_bytes(ChannelId id, std::span<const std::uint8_t> bytes, Nanos now) {
    impl_->now = now;
    impl_->data_bytes(id, bytes);
    impl_->settle();
}

void ServerSession::on_data_sent(ChannelId id, Nanos now) {
    impl_->now = now;
    impl_->data_sent(id);
    impl_->settle();
}

void ServerSession::on_data_closed(ChannelId id, Nanos now) {
    impl_->now = now;
    impl_->data_closed(id);
    impl_->settle();
}

void ServerSession::on_data_failed(ChannelId id, const std::string& why, Nanos now) {
    impl_->now = now;
    impl_->data_failed(id, why);
    impl_->settle();
}

void ServerSession::on_upload_committed(ChannelId id, FsError result, Nanos now) {
    impl_->now = now;
    impl_->upload_committed(id, result);
    impl_->settle();
}

void ServerSession::handle_timeout(Nanos now) {
    impl_->now = now;
    impl_->timeout(now);
    impl_->settle();
}

std::optional<Nanos> ServerSession::poll_timeout() const { return impl_->deadline(); }

std::optional<Action> ServerSession::poll_action() {
    if (impl_->actions.empty()) return std::nullopt;
    Action a = std::move(impl_->actions.front());
    impl_->actions.pop_front();
    return a;
}

bool ServerSession::finished() const { return impl_->closing; }

std::optional<std::string> ServerSession::poll_log() {
    if (impl_->logs.empty()) return std::nullopt;
    std::string line = std::move(impl_->logs.front());
    impl_->logs.pop_front();
    return line;
}

}  // namespace ftpsim::sim
