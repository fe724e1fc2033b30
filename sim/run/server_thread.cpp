#include "sim/run/server_thread.hpp"

#include "sim/netns/in_namespace.hpp"

namespace ftpsim::sim::run {

namespace io = asio_io;

ServerThread::ServerThread(std::string netns, ServerConfig config, std::unique_ptr<FileSystem> fs, net::Endpoint listen)
    : netns_(std::move(netns)), config_(std::move(config)), fs_(std::move(fs)), listen_(listen) {
    std::promise<std::string> started;
    auto ready = started.get_future();
    work_.emplace(io_.get_executor());
    thread_ = std::thread([this, &started] { main(started); });
    std::string error;
    try {
        error = ready.get();
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!error.empty()) {
        stop();
        throw std::runtime_error("server on " + listen_.str() + ": " + error);
    }
}

ServerThread::~ServerThread() { stop(); }

void ServerThread::main(std::promise<std::string>& started) {
    try {
        netns::enter_namespace(netns_);
        io::FtpServerOptions options;
        options.listen = io::to_asio(listen_);
        options.log = &log_;
        server_.emplace(io_, config_, *fs_, options);
        std::string error;
        if (!server_->start(error)) {
            started.set_value(error.empty() ? "cannot listen" : error);
            finished_.set_value();
            return;
        }
        started.set_value("");
    } catch (...) {
        started.set_exception(std::current_exception());
        finished_.set_value();
        return;
    }
    try {
        io_.run();
    } catch (const std::exception& e) {
        log_ << "server thread: " << e.what() << "\n";
    }
    finished_.set_value();
}

bool ServerThread::wait_idle(std::chrono::milliseconds limit) {
    // sessions() is read on the server thread: FtpServer is not thread-safe.
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        std::promise<std::size_t> count;
        auto f = count.get_future();
        io::asio::post(io_, [&] { count.set_value(server_ ? server_->sessions() : 0); });
        if (f.wait_for(std::chrono::milliseconds(500)) != std::future_status::ready) return false;
        if (f.get() == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

void ServerThread::stop() {
    if (stopped_) return;
    stopped_ = true;
    if (thread_.joinable()) {
        io::asio::post(io_, [this] {
            if (server_) server_->stop();
        });
        work_.reset();
        // Closing sockets is quick; past this bound the io_context is stopped outright.
        auto done = finished_.get_future();
        if (done.wait_for(std::chrono::seconds(2)) != std::future_status::ready) io_.stop();
        thread_.join();
    }
    server_.reset();
}

}  // namespace ftpsim::sim::run
