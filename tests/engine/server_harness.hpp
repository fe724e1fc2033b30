// A hand-driven stand-in for the driver of a ServerSession: feeds control bytes, performs the
// actions the engine emits (ListenData gets a port, ConnectData a connection, SendData is
// "written" at once and acknowledged), records everything, and keeps a virtual clock that the
// test advances by hand. Replies are read back with the analyzer's ReplyAssembler.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "ftp/line_splitter.hpp"
#include "ftp/reply.hpp"
#include "ftp/reply_table.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "sim/engine/server_session.hpp"
#include "sim/fs/byte_source_io.hpp"

namespace ftpsim::sim::test {

inline net::Endpoint endpoint(const char* ip, std::uint16_t port) {
    net::Endpoint e;
    EXPECT_TRUE(net::IpAddress::parse(ip, e.addr)) << ip;
    e.port = port;
    return e;
}

inline std::span<const std::uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// One data channel as the driver sees it.
struct Channel {
    ChannelId id = 0;
    bool passive = false;
    bool listening = false;
    std::uint16_t port = 0;                 // passive: the port given by on_data_listening
    net::Endpoint remote;                    // active: where ConnectData pointed
    std::uint16_t local_port = 0;            // active: ConnectData's source port
    bool connected = false;
    bool closed = false;                     // CloseData without keep_listening
    bool reset = false;                      // ... with reset
    int refused = 0;                         // CloseData keep_listening (connections refused)
    bool outstanding = false;                // a SendData not yet acknowledged
    std::string received;                    // bytes the server sent on it
    std::vector<std::uint64_t> slices;       // each SendData's length
    std::vector<bool> file_slices;           // each SendData: FileSlice?
};

class ServerHarness {
public:
    ServerConfig config;
    MemoryFileSystem memfs;
    FileSystem* fs = &memfs;
    std::unique_ptr<ServerSession> session;
    Nanos now = 0;
    net::Endpoint server_ep = endpoint("192.0.2.1", 21);
    net::Endpoint client_ep = endpoint("192.0.2.10", 40000);

    // Driver behaviour.
    bool auto_listen = true;          // answer ListenData with on_data_listening at once
    bool auto_connect_active = true;  // answer ConnectData with on_data_connected at once
    bool auto_ack = true;             // answer SendData with on_data_sent at once
    bool auto_commit = true;          // run CommitUpload at once and answer on_upload_committed
    std::uint16_t next_port = 50000;

    // What the server did.
    std::string control;              // every control byte written
    bool control_closed = false;
    bool control_reset = false;
    std::map<ChannelId, Channel> channels;
    std::vector<Action> actions;
    std::vector<std::string> logs;
    std::size_t max_outstanding_violations = 0;
    std::vector<CommitUpload> commits;  // CommitUploads held (auto_commit off) for commit_next()

    void start() {
        session = std::make_unique<ServerSession>(config, *fs);
        session->on_control_connected(server_ep, client_ep, now);
        pump();
    }

    // Performs every action the session has queued, and whatever they lead to.
    void pump() {
        while (std::optional<Action> a = session->poll_action()) {
            actions.push_back(*a);
            std::visit([this](const auto& action) { perform(action); }, *a);
            // The record keeps no sink alive: a driver drops it after the commit, and an
            // abandoned one removes its temporary only then.
            if (auto* c = std::get_if<CommitUpload>(&actions.back())) c->sink.reset();
        }
        while (std::optional<std::string> line = session->poll_log()) logs.push_back(*line);
    }

    void send_raw(const std::string& bytes) {
        session->on_control_bytes(bytes_of(bytes), now);
        pump();
    }
    void send(const std::string& line) { send_raw(line + "\r\n"); }

    // Moves the clock on, calling handle_timeout whenever a deadline falls within the step.
    void advance(Nanos step) {
        const Nanos target = now + step;
        while (true) {
            const std::optional<Nanos> t = session->poll_timeout();
            if (!t || *t > target) break;
            now = std::max(now, *t);
            session->handle_timeout(now);
            pump();
        }
        now = target;
    }

    // Complete replies written since the last call.
    std::vector<ftp::Reply> replies() {
        std::vector<ftp::Line> lines;
        splitter_.feed(bytes_of(control.substr(fed_)), lines);
        fed_ = control.size();
        for (const ftp::Line& line : lines) {
            if (assembler_.feed(line.text) == ftp::ReplyAssembler::Status::kComplete) {
                pending_.push_back(assembler_.take());
            }
        }
        std::vector<ftp::Reply> out(pending_.begin(), pending_.end());
        pending_.clear();
        return out;
    }

    // The next reply: fails the test when there is none.
    ftp::Reply next() {
        if (pending_.empty()) {
            for (ftp::Reply& r : replies()) pending_.push_back(std::move(r));
        }
        if (pending_.empty()) {
            ADD_FAILURE() << "no reply; control so far:\n" << control;
            return {};
        }
        ftp::Reply r = std::move(pending_.front());
        pending_.pop_front();
        return r;
    }
    int next_code() { return next().code; }
    // "NNN text" of the next reply's first line (as received).
    std::string next_line() {
        const ftp::Reply r = next();
        return r.lines.empty() ? std::string() : r.lines.front();
    }
    bool no_reply() {
        if (pending_.empty()) {
            for (ftp::Reply& r : replies()) pending_.push_back(std::move(r));
        }
        return pending_.empty();
    }

    // USER + PASS, both answered as expected.
    void login(const std::string& user = "anonymous", const std::string& pass = "me@example.com") {
        send("USER " + user);
        EXPECT_EQ(next_code(), 331);
        send("PASS " + pass);
        EXPECT_EQ(next_code(), 230);
    }

    // Starts a session (anonymous allowed) and logs in, dropping the greeting.
    void start_logged_in() {
        config.anonymous = true;
        start();
        EXPECT_EQ(next_code(), 220);
        login();
    }

    // PASV answered 227: the passive channel's id.
    ChannelId pasv() {
        send("PASV");
        EXPECT_EQ(next_code(), 227);
        return last_channel();
    }
    ChannelId epsv() {
        send("EPSV");
        EXPECT_EQ(next_code(), 229);
        return last_channel();
    }
    ChannelId last_channel() const { return channels.empty() ? 0 : channels.rbegin()->first; }

    // The client connects to a passive channel (from the control peer's address unless told).
    void connect(ChannelId id, std::optional<net::Endpoint> from = std::nullopt) {
        net::Endpoint peer = from.value_or(client_ep);
        if (!from) peer.port = static_cast<std::uint16_t>(41000 + id);
        net::Endpoint local = server_ep;
        local.port = channels[id].port;
        const int refused_before = channels[id].refused;
        session->on_data_connected(id, local, peer, now);
        pump();
        if (!channels[id].closed && channels[id].refused == refused_before) {
            channels[id].connected = true;
        }
    }
    void upload(ChannelId id, const std::string& bytes) {
        session->on_data_bytes(id, bytes_of(bytes), now);
        pump();
    }
    void client_closes(ChannelId id) {
        session->on_data_closed(id, now);
        pump();
    }
    void ack(ChannelId id) {
        channels[id].outstanding = false;
        session->on_data_sent(id, now);
        pump();
    }
    // The oldest held CommitUpload: the sink's own commit(), or `forced` as its result.
    void commit_next(std::optional<FsError> forced = std::nullopt) {
        ASSERT_FALSE(commits.empty()) << "no CommitUpload held";
        CommitUpload c = std::move(commits.front());
        commits.erase(commits.begin());
        const FsError result = forced ? *forced : c.sink->commit();
        c.sink.reset();
        session->on_upload_committed(c.id, result, now);
        pump();
    }

    // Every reply code allowed for its command by RFC 959 §5.4 (and the extensions), checked
    // by the analyzer's reply table, for a sequence of (verb, reply) the test collected.
    static void expect_allowed(const std::string& verb, const ftp::Reply& r) {
        EXPECT_TRUE(ftp::reply_allowed(verb, r.code))
            << verb << " answered " << r.code << " " << r.text;
    }

private:
    void perform(const SendControl& a) { control += a.bytes; }
    void perform(const CloseControl& a) {
        control_closed = true;
        control_reset = a.reset;
    }
    void perform(const ListenData& a) {
        Channel& ch = channels[a.id];
        ch.id = a.id;
        ch.passive = true;
        if (auto_listen) {
            ch.listening = true;
            ch.port = next_port++;
            session->on_data_listening(a.id, ch.port, now);
        }
    }
    void perform(const ConnectData& a) {
        Channel& ch = channels[a.id];
        ch.id = a.id;
        ch.remote = a.remote;
        ch.local_port = a.local_port;
        if (auto_connect_active) {
            ch.connected = true;
            net::Endpoint local = server_ep;
            local.port = a.local_port;
            session->on_data_connected(a.id, local, a.remote, now);
        }
    }
    void perform(const SendData& a) {
        Channel& ch = channels[a.id];
        if (ch.outstanding) ++max_outstanding_violations;  // at most one per channel
        EXPECT_FALSE(ch.closed) << "SendData on closed channel " << a.id;
        std::string bytes;
        EXPECT_TRUE(load_bytes(a.source, bytes));
        ch.received += bytes;
        ch.slices.push_back(source_length(a.source));
        ch.file_slices.push_back(std::holds_alternative<FileSlice>(a.source));
        ch.outstanding = true;
        if (auto_ack) {
            ch.outstanding = false;
            session->on_data_sent(a.id, now);
        }
    }
    void perform(const CloseData& a) {
        Channel& ch = channels[a.id];
        if (a.keep_listening) {
            ++ch.refused;
            return;
        }
        ch.closed = true;
        ch.reset = a.reset;
    }
    void perform(const PauseReading&) {}
    void perform(const CommitUpload& a) {
        if (!auto_commit) {
            commits.push_back(a);
            return;
        }
        session->on_upload_committed(a.id, a.sink->commit(), now);
    }

    ftp::LineSplitter splitter_{100000};
    ftp::ReplyAssembler assembler_;
    std::size_t fed_ = 0;
    std::deque<ftp::Reply> pending_;
};

// A logged-in session on a tree shaped like the seeds' servers (seed 002's dump.sql and
// html.tar.gz), for the transfer tests.
class TransferFixture : public ::testing::Test {
protected:
    void SetUp() override {
        h.memfs.add_file("/pub/dump.sql", "line one\nline two\r\nthree\n");
        h.memfs.add_file("/pub/.hidden", "h");
        h.memfs.add_generated("/pub/html.tar.gz", 5270987, 42, 1575374400);  // Dec 03 2019
        h.memfs.add_dir("/incoming");
    }
    void start(Personality p = Personality::kNeutral) {
        h.config.personality = p;
        h.start_logged_in();
    }
    ServerHarness h;
};

}  // namespace ftpsim::sim::test
