#include "sim/asio/ftp_server.hpp"

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <map>

#include "sim/asio/engine_runner.hpp"
#include "sim/engine/server_session.hpp"

namespace ftpsim::sim::asio_io {

namespace {
// Connections refused with 421 still cost a runner until they close; beyond this many at once,
// further connections are closed without a word (a flood must not grow memory).
constexpr std::size_t kMaxRefusing = 64;
// Threads that put uploads in place. They mostly wait for the disk; a few let fsyncs of
// different sessions share a journal commit instead of queueing behind each other.
constexpr std::size_t kCommitThreads = 4;
// Connections taken from the kernel's accept queue per accept handler. asio completes one
// accept per trip through the handler queue, and a busy server has a long one (every session's
// reads, writes and sendfile turns): one connection per trip let new clients wait tens of
// seconds for their greeting while the sessions already there were served (bench/server_soak.sh,
// 500 sessions: 176 connections queued, greetings 43 s late).
constexpr int kAcceptBatch = 64;
}  // namespace

struct FtpServer::Impl : std::enable_shared_from_this<Impl> {
    struct Session {
        std::shared_ptr<EngineRunner> runner;
        asio::ip::address peer;
        bool counted = false;  // a served session (not one refused at capacity)
    };

    asio::io_context& io;
    const ServerConfig& config;
    FileSystem& fs;
    FtpServerOptions opt;
    tcp::acceptor acceptor;
    asio::steady_timer retry_timer;  // after an accept error (EMFILE ...): pause, do not spin
    asio::thread_pool commits{kCommitThreads};  // CommitUpload jobs (EngineRunner::run_blocking)
    std::map<std::uint64_t, Session> sessions;
    std::map<asio::ip::address, std::size_t> per_ip;
    std::size_t served = 0, refusing = 0;
    std::uint64_t next_id = 1;
    bool stopped = false;

    Impl(asio::io_context& i, const ServerConfig& c, FileSystem& f, FtpServerOptions o)
        : io(i), config(c), fs(f), opt(std::move(o)), acceptor(i), retry_timer(i) {}

    void log(std::uint64_t id, const std::string& line) const {
        if (opt.log) *opt.log << "[s" << id << "] " << line << '\n' << std::flush;
    }

    void accept() {
        if (stopped) return;
        acceptor.async_accept([self = shared_from_this()](const boost::system::error_code& ec, tcp::socket s) {
            if (self->stopped || ec == asio::error::operation_aborted) return;
            if (ec) {
                if (self->opt.log) *self->opt.log << "accept: " << ec.message() << '\n' << std::flush;
                self->retry_timer.expires_after(std::chrono::milliseconds(100));
                self->retry_timer.async_wait([self](const boost::system::error_code& e) {
                    if (!e) self->accept();
                });
                return;
            }
            self->on_accept(std::move(s));
            self->accept_pending();
            self->accept();
        });
    }

    // The connections already waiting, without a trip through the handler queue each
    // (non-blocking accept: would_block ends it; any other error is the async accept's to see).
    void accept_pending() {
        boost::system::error_code ec;
        acceptor.non_blocking(true, ec);
        for (int i = 0; i < kAcceptBatch && !ec && !stopped; ++i) {
            tcp::socket s(io);
            acceptor.accept(s, ec);
            if (!ec) on_accept(std::move(s));
        }
    }

    void on_accept(tcp::socket s) {
        boost::system::error_code ec;
        tcp::endpoint peer_ep = s.remote_endpoint(ec);
        if (ec) return;  // reset before we looked
        net::Endpoint peer = to_net(peer_ep);
        asio::ip::address ip = to_asio(peer.addr);
        auto found = per_ip.find(ip);
        std::size_t from_ip = found == per_ip.end() ? 0 : found->second;
        std::string why;
        auto limit = ServerSession::CapacityLimit::kTotal;
        if (served >= opt.max_sessions) {
            why = "too many sessions (" + std::to_string(opt.max_sessions) + ")";
        } else if (from_ip >= opt.max_per_ip) {
            limit = ServerSession::CapacityLimit::kPerAddress;
            why = "too many sessions from " + peer.addr.str() + " (" + std::to_string(opt.max_per_ip) + ")";
        }
        if (!why.empty() && refusing >= kMaxRefusing) {
            reset_close(s);
            return;
        }
        std::uint64_t id = next_id++;
        auto engine = std::make_shared<ServerSession>(config, fs);
        RunnerHooks hooks;
        std::weak_ptr<Impl> weak = shared_from_this();
        hooks.log = [weak, id](const std::string& line) {
            if (auto self = weak.lock()) self->log(id, line);
        };
        hooks.after_step = [weak, id, engine] {
            auto self = weak.lock();
            while (auto line = engine->poll_log())
                if (self) self->log(id, *line);
        };
        hooks.on_done = [weak, id] {
            if (auto self = weak.lock()) self->end_session(id);
        };
        hooks.run_blocking = [weak](std::function<void()> job) {
            if (auto self = weak.lock()) {
                asio::post(self->commits, std::move(job));
            } else {
                job();
            }
        };
        auto runner = std::make_shared<EngineRunner>(std::move(s), engine, std::move(hooks));
        Session& session = sessions[id];
        session.runner = runner;
        session.peer = ip;
        session.counted = why.empty();
        if (session.counted) {
            ++served;
            ++per_ip[ip];
            runner->start();  // the engine logs "connection from ..."

        } else {
            ++refusing;
            runner->start([why, limit](SessionEngine& e, Nanos now) {
                static_cast<ServerSession&>(e).refuse_capacity(limit, why, now);
            });
        }
    }

    void end_session(std::uint64_t id) {
        auto it = sessions.find(id);
        if (it == sessions.end()) return;
        if (it->second.counted) {
            --served;
            if (--per_ip[it->second.peer] == 0) per_ip.erase(it->second.peer);
            log(id, "closed");
        } else {
            --refusing;
        }
        sessions.erase(it);
    }

    void stop() {
        if (stopped) return;
        stopped = true;
        boost::system::error_code ec;
        acceptor.close(ec);
        retry_timer.cancel();
        auto all = std::move(sessions);
        sessions.clear();
        per_ip.clear();
        served = refusing = 0;
        if (!all.empty() && opt.log)
            *opt.log << "stopping: resetting " << all.size() << " session(s)\n" << std::flush;
        for (auto& [id, session] : all) session.runner->stop();
    }
};

FtpServer::FtpServer(asio::io_context& io, const ServerConfig& config, FileSystem& fs, FtpServerOptions options)
    : impl_(std::make_shared<Impl>(io, config, fs, std::move(options))) {}

FtpServer::~FtpServer() {
    stop();
    impl_->commits.join();  // the commits under way finish (their files are put in place)
}

bool FtpServer::start(std::string& error) {
    auto& a = impl_->acceptor;
    const tcp::endpoint& ep = impl_->opt.listen;
    boost::system::error_code ec;
    a.open(ep.protocol(), ec);
    // SO_REUSEADDR: a restarted server can listen again while old connections are in TIME_WAIT.
    if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        std::string where = (ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string()) +
                            ":" + std::to_string(ep.port());
        if ((ec == asio::error::access_denied || ec == asio::error::no_permission) && ep.port() < 1024)
            error = "cannot listen on " + where + ": ports below 1024 need root or CAP_NET_BIND_SERVICE";
        else
            error = "cannot listen on " + where + ": " + ec.message();
        a.close(ec);
        return false;
    }
    impl_->accept();
    return true;
}

tcp::endpoint FtpServer::local_endpoint() const {
    boost::system::error_code ec;
    return impl_->acceptor.local_endpoint(ec);
}

void FtpServer::stop() { impl_->stop(); }

std::size_t FtpServer::sessions() const { return impl_->sessions.size(); }

}  // namespace ftpsim::sim::asio_io
