// A SessionEngine driven by the test: it records every input as a line ("connected",
// "listening 1 40123", "data 1 5" ...) and lets the test react with actions, so the runner's
// handling of each action can be checked on real sockets without a protocol engine.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/asio/engine_runner.hpp"

namespace ftpsim::asio_test {

using sim::Action;
using sim::ChannelId;
using sim::Nanos;

class ScriptEngine : public sim::SessionEngine {
public:
    // Runs on the io_context's thread after each input is recorded; may push() actions.
    std::function<void(ScriptEngine&, const std::string& event)> react;

    void push(Action a) { actions_.push_back(std::move(a)); }
    void set_timeout(std::optional<Nanos> t) { timeout_ = t; }
    void set_finished() { finished_ = true; }
    Nanos last_now() const { return now_; }

    // Thread-safe, for the test's thread.
    bool wait_for(const std::string& prefix, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, limit, [&] {
            for (const auto& e : events_)
                if (e.rfind(prefix, 0) == 0) return true;
            return false;
        });
    }
    std::vector<std::string> events() {
        std::lock_guard lock(mu_);
        return events_;
    }
    std::string event(const std::string& prefix) {
        std::lock_guard lock(mu_);
        for (const auto& e : events_)
            if (e.rfind(prefix, 0) == 0) return e;
        return {};
    }
    std::string data(ChannelId id) {
        std::lock_guard lock(mu_);
        return data_[id];
    }
    std::string control() {
        std::lock_guard lock(mu_);
        return control_;
    }

    void on_control_connected(const net::Endpoint&, const net::Endpoint& peer, Nanos now) override {
        input("connected " + peer.str(), now);
    }
    void on_control_bytes(std::span<const std::uint8_t> b, Nanos now) override {
        {
            std::lock_guard lock(mu_);
            control_.append(b.begin(), b.end());
        }
        input("control " + std::to_string(b.size()), now);
    }
    void on_control_closed(Nanos now) override { input("control_closed", now); }
    void on_data_listening(ChannelId id, std::uint16_t port, Nanos now) override {
        input("listening " + std::to_string(id) + " " + std::to_string(port), now);
    }
    void on_data_connected(ChannelId id, const net::Endpoint& local, const net::Endpoint& peer, Nanos now) override {
        input("data_connected " + std::to_string(id) + " " + local.str() + " " + peer.str(), now);
    }
    void on_data_bytes(ChannelId id, std::span<const std::uint8_t> b, Nanos now) override {
        {
            std::lock_guard lock(mu_);
            data_[id].append(b.begin(), b.end());
        }
        input("data " + std::to_string(id) + " " + std::to_string(b.size()), now);
    }
    void on_data_sent(ChannelId id, Nanos now) override { input("sent " + std::to_string(id), now); }
    void on_data_closed(ChannelId id, Nanos now) override { input("data_closed " + std::to_string(id), now); }
    void on_data_failed(ChannelId id, const std::string& why, Nanos now) override {
        input("data_failed " + std::to_string(id) + " " + why, now);
    }
    void handle_timeout(Nanos now) override {
        timeout_.reset();
        input("timeout", now);
    }
    std::optional<Nanos> poll_timeout() const override { return timeout_; }
    std::optional<Action> poll_action() override {
        if (actions_.empty()) return std::nullopt;
        Action a = std::move(actions_.front());
        actions_.pop_front();
        return a;
    }
    bool finished() const override { return finished_; }

private:
    void input(const std::string& e, Nanos now) {
        now_ = now;
        {
            std::lock_guard lock(mu_);
            events_.push_back(e);
        }
        if (react) react(*this, e);
        cv_.notify_all();
    }

    std::deque<Action> actions_;
    std::optional<Nanos> timeout_;
    bool finished_ = false;
    Nanos now_ = 0;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::string> events_;
    std::map<ChannelId, std::string> data_;
    std::string control_;
};

// One runner for one accepted control connection on 127.0.0.1, on an io_context thread that
// ends by itself (run_for) and is stopped and joined at the end of the test.
class RunnerHarness {
public:
    explicit RunnerHarness(std::shared_ptr<ScriptEngine> engine)
        : engine_(std::move(engine)),
          acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        acceptor_.async_accept([this](const boost::system::error_code& ec, sim::asio_io::tcp::socket s) {
            if (ec) return;
            sim::asio_io::RunnerHooks hooks;
            hooks.on_done = [this] {
                std::lock_guard lock(mu_);
                done_ = true;
                cv_.notify_all();
            };
            runner_ = std::make_shared<sim::asio_io::EngineRunner>(std::move(s), engine_, std::move(hooks));
            runner_->start();
        });
        thread_ = std::thread([this] { io_.run_for(std::chrono::seconds(30)); });
    }
    ~RunnerHarness() {
        boost::asio::post(io_, [this] {
            if (runner_) runner_->stop();
            boost::system::error_code ec;
            acceptor_.close(ec);
        });
        thread_.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    bool wait_done(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, limit, [this] { return done_; });
    }

private:
    std::shared_ptr<ScriptEngine> engine_;
    boost::asio::io_context io_;
    sim::asio_io::tcp::acceptor acceptor_;
    std::shared_ptr<sim::asio_io::EngineRunner> runner_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool done_ = false;
};

}  // namespace ftpsim::asio_test
