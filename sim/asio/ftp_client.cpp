#include "sim/asio/ftp_client.hpp"

#include "sim/asio/engine_runner.hpp"

namespace ftpsim::sim::asio_io {

struct FtpClient::Impl : std::enable_shared_from_this<Impl> {
    ClientTarget target;
    ClientConfig config;
    std::vector<ClientOp> ops;
    ClientHooks hooks;
    std::chrono::milliseconds connect_timeout;
    tcp::resolver resolver;
    tcp::socket socket;
    asio::steady_timer connect_timer;
    std::shared_ptr<EngineRunner> runner;
    ClientOutcome outcome;
    bool done = false;
    bool greeted = false;

    Impl(asio::io_context& io, ClientTarget t, ClientConfig c, std::vector<ClientOp> o, ClientHooks h,
         std::chrono::milliseconds ct)
        : target(std::move(t)), config(std::move(c)), ops(std::move(o)), hooks(std::move(h)),
          connect_timeout(ct), resolver(io), socket(io), connect_timer(io) {}

    std::string where() const {
        bool v6 = target.host.find(':') != std::string::npos;
        return (v6 ? "[" + target.host + "]" : target.host) + ":" + std::to_string(target.port);
    }

    void fail(const std::string& why) {
        if (done) return;
        done = true;
        outcome.error = why;
        connect_timer.cancel();
        resolver.cancel();
        reset_close(socket);
    }

    void start() {
        connect_timer.expires_after(connect_timeout);
        connect_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec && !self->outcome.connected) self->fail("connecting to " + self->where() + " timed out");
        });
        resolver.async_resolve(target.host, std::to_string(target.port), tcp::resolver::numeric_service,
                               [self = shared_from_this()](const boost::system::error_code& ec,
                                                           tcp::resolver::results_type results) {
                                   if (self->done) return;
                                   if (ec) return self->fail("cannot resolve " + self->target.host + ": " + ec.message());
                                   self->connect(results);
                               });
    }

    void connected(const boost::system::error_code& ec) {
        if (done) return;
        if (ec) return fail("cannot connect to " + where() + ": " + ec.message());
        connect_timer.cancel();
        outcome.connected = true;
        run_session();
    }

    void connect(const tcp::resolver::results_type& results) {
        if (config.control_port == 0) {
            asio::async_connect(socket, results,
                                [self = shared_from_this()](const boost::system::error_code& ec,
                                                            const tcp::endpoint&) { self->connected(ec); });
            return;
        }
        // A fixed source port (ClientConfig::control_port): connecting over the whole range
        // would reopen the socket for each address and lose the bind, so the first address is
        // tried alone. SO_REUSEADDR lets a port still in TIME_WAIT from an earlier run be bound.
        const tcp::endpoint remote = results.begin()->endpoint();
        boost::system::error_code ec;
        socket.open(remote.protocol(), ec);
        if (!ec) socket.set_option(tcp::socket::reuse_address(true), ec);
        if (!ec) socket.bind(tcp::endpoint(remote.protocol(), config.control_port), ec);
        if (ec)
            return fail("cannot bind the control connection to port " + std::to_string(config.control_port) +
                        ": " + ec.message());
        socket.async_connect(remote, [self = shared_from_this()](const boost::system::error_code& e) {
            self->connected(e);
        });
    }

    void run_session() {
        auto engine = std::make_shared<ClientSession>(config, ops);
        std::weak_ptr<Impl> weak = shared_from_this();
        RunnerHooks rh;
        rh.log = hooks.log;
        rh.after_step = [weak, engine] {
            std::vector<OpResult> batch;
            while (auto r = engine->poll_result()) batch.push_back(std::move(*r));
            auto self = weak.lock();
            if (!self) return;
            if (!self->greeted && (!batch.empty() || engine->finished())) {
                self->greeted = true;  // the greeting is complete before any operation ends
                self->outcome.greeting = engine->greeting();
                if (self->hooks.on_greeting) self->hooks.on_greeting(self->outcome.greeting);
            }
            for (auto& r : batch) {
                if (self->hooks.on_result) self->hooks.on_result(r);
                self->outcome.results.push_back(std::move(r));
            }
        };
        if (hooks.on_data)
            rh.data_tap = [weak](ChannelId, std::span<const std::uint8_t> bytes) {
                if (auto self = weak.lock()) self->hooks.on_data(bytes);
            };
        rh.on_done = [weak, engine] {
            if (auto self = weak.lock()) {
                self->done = true;
                self->outcome.finished = engine->finished();
            }
        };
        runner = std::make_shared<EngineRunner>(std::move(socket), engine, std::move(rh));
        runner->start();
    }

    void stop() {
        if (runner) runner->stop();
        if (!done) fail(outcome.connected ? "stopped" : "stopped before connecting");
    }
};

FtpClient::FtpClient(asio::io_context& io, ClientTarget target, ClientConfig config, std::vector<ClientOp> ops,
                     ClientHooks hooks, std::chrono::milliseconds connect_timeout)
    : impl_(std::make_shared<Impl>(io, std::move(target), std::move(config), std::move(ops), std::move(hooks),
                                   connect_timeout)) {}

FtpClient::~FtpClient() { stop(); }

void FtpClient::start() { impl_->start(); }
void FtpClient::stop() { impl_->stop(); }
bool FtpClient::done() const { return impl_->done; }
const ClientOutcome& FtpClient::outcome() const { return impl_->outcome; }

ClientOutcome run_ftp_client(ClientTarget target, ClientConfig config, std::vector<ClientOp> ops,
                             ClientHooks hooks, std::chrono::milliseconds deadline) {
    asio::io_context io;
    FtpClient client(io, std::move(target), std::move(config), std::move(ops), std::move(hooks));
    client.start();
    auto end = std::chrono::steady_clock::now() + deadline;
    // One handler at a time, so that we return as soon as the session is over; bounded by the
    // deadline, and by the work running out.
    while (!client.done() && std::chrono::steady_clock::now() < end)
        if (io.run_one_until(end) == 0 && io.stopped()) break;
    ClientOutcome out = client.outcome();
    if (!client.done()) {
        client.stop();
        out = client.outcome();
        out.error = "no end within the deadline";
    }
    io.restart();
    io.run_for(std::chrono::milliseconds(500));  // let the closing handshakes finish
    return out;
}

}  // namespace ftpsim::sim::asio_io
