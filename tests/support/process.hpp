// Starts a program in its own process group with its output in files, waits for it with a
// deadline, and stops it by its PID (SIGTERM, then SIGKILL to its group after a grace period).
// A Process that goes out of scope still running is killed: no test leaves a server behind.
// The one child-process helper of the tests (interop tools and servers, `ftpsim` runs).
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/read_file.hpp"

namespace ftpsim::testsupport {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct ProcessOptions {
    std::vector<std::string> argv;  // argv[0] is looked up on PATH
    fs::path cwd;                   // empty: the test's
    fs::path stdin_file;            // empty: /dev/null
    fs::path stdout_file;           // empty: /dev/null
    fs::path stderr_file;           // empty: same file as stdout (or /dev/null)
    std::vector<std::string> env;   // extra NAME=VALUE entries
    bool as_nobody = false;         // setgid/setuid 65534 before exec (the caller is root)
};

// The last `max` bytes of a file, for failure messages.
inline std::string tail_of(const fs::path& p, std::size_t max = 4000) {
    if (p.empty()) return {};
    std::string s = read_file(p);
    if (s.size() > max) s = "[...]" + s.substr(s.size() - max);
    return s;
}

inline std::string join_args(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) {
        if (!out.empty()) out += ' ';
        bool plain = !a.empty() && a.find_first_of(" \t'\"\\$|&;<>()*?") == std::string::npos;
        out += plain ? a : "'" + a + "'";
    }
    return out;
}

class Process {
public:
    Process() = default;
    explicit Process(ProcessOptions opts) : opts_(std::move(opts)) { spawn(); }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    Process(Process&& o) noexcept { *this = std::move(o); }
    Process& operator=(Process&& o) noexcept {
        if (this != &o) {
            kill_now();
            opts_ = std::move(o.opts_);
            pid_ = std::exchange(o.pid_, -1);
            status_ = o.status_;
        }
        return *this;
    }
    ~Process() { kill_now(); }

    pid_t pid() const { return pid_; }
    const ProcessOptions& options() const { return opts_; }
    std::string command_line() const { return join_args(opts_.argv); }
    std::string out() const { return opts_.stdout_file.empty() ? "" : read_file(opts_.stdout_file); }
    std::string err() const {
        const auto& p = opts_.stderr_file.empty() ? opts_.stdout_file : opts_.stderr_file;
        return p.empty() ? "" : read_file(p);
    }
    // Command line, exit status and the tails of both outputs, for assertion messages.
    std::string describe() const {
        std::ostringstream ss;
        ss << "$ " << command_line() << "\n";
        if (status_) ss << "exit status: " << *status_ << "\n";
        ss << "--- stdout ---\n" << tail_of(opts_.stdout_file) << "\n";
        if (!opts_.stderr_file.empty() && opts_.stderr_file != opts_.stdout_file)
            ss << "--- stderr ---\n" << tail_of(opts_.stderr_file) << "\n";
        return ss.str();
    }

    // Still running? Reaps it if it has exited.
    bool running() {
        if (pid_ <= 0 || status_) return false;
        int st = 0;
        pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            status_ = decode(st);
            return false;
        }
        return r == 0;
    }

    // The exit status (the code, or -signal) once exited, nullopt if still running at `timeout`.
    std::optional<int> wait_for(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (running()) {
            if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
            std::this_thread::sleep_for(5ms);
        }
        return status_;
    }

    // Sends `sig` to the process, waits up to `grace`, then SIGKILLs its process group.
    // Returns the exit status (-9 when it had to be killed).
    int stop(int sig = SIGTERM, std::chrono::milliseconds grace = 5000ms) {
        if (!running()) {
            reap_group();
            return status_.value_or(-1);
        }
        ::kill(pid_, sig);
        if (!wait_for(grace)) kill_now();
        reap_group();
        return status_.value_or(-1);
    }

    std::optional<int> status() const { return status_; }

    // Waits (bounded) until stdout holds `text`; false at the deadline or once it has exited.
    bool wait_output(const std::string& text, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (out().find(text) == std::string::npos) {
            if (!running() || std::chrono::steady_clock::now() >= deadline) return false;
            std::this_thread::sleep_for(5ms);
        }
        return true;
    }

private:
    static int decode(int st) {
        if (WIFEXITED(st)) return WEXITSTATUS(st);
        if (WIFSIGNALED(st)) return -WTERMSIG(st);
        return -1;
    }

    // Whatever the process left in its own group (vsftpd's session processes) goes too.
    void reap_group() {
        if (pid_ > 0) ::kill(-pid_, SIGKILL);
    }

    void kill_now() {
        if (pid_ <= 0) return;
        if (!status_) {
            ::kill(-pid_, SIGKILL);
            ::kill(pid_, SIGKILL);
            int st = 0;
            if (::waitpid(pid_, &st, 0) == pid_) status_ = decode(st);
        } else {
            ::kill(-pid_, SIGKILL);
        }
    }

    void spawn() {
        if (opts_.argv.empty()) throw std::invalid_argument("Process: empty argv");
        // Everything the child needs is prepared before fork: after it, only async-signal-safe
        // calls.
        std::vector<char*> argv;
        for (auto& a : opts_.argv) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<std::string> env_storage;
        for (char** e = environ; *e; ++e) env_storage.emplace_back(*e);
        for (const auto& e : opts_.env) env_storage.push_back(e);
        std::vector<char*> envp;
        for (auto& e : env_storage) envp.push_back(e.data());
        envp.push_back(nullptr);
        const std::string in = opts_.stdin_file.empty() ? "/dev/null" : opts_.stdin_file.string();
        const std::string out = opts_.stdout_file.empty() ? "/dev/null" : opts_.stdout_file.string();
        const std::string err = opts_.stderr_file.empty() ? out : opts_.stderr_file.string();
        const std::string cwd = opts_.cwd.string();
        const bool same_out_err = err == out;
        const bool as_nobody = opts_.as_nobody;

        pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
        if (pid == 0) {
            ::setpgid(0, 0);
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            ::signal(SIGPIPE, SIG_DFL);
            if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
            int fd_in = ::open(in.c_str(), O_RDONLY);
            int fd_out = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int fd_err = same_out_err ? fd_out : ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd_in < 0 || fd_out < 0 || fd_err < 0) ::_exit(126);
            ::dup2(fd_in, 0);
            ::dup2(fd_out, 1);
            ::dup2(fd_err, 2);
            for (int fd = 3; fd < 1024; ++fd) ::close(fd);
            if (as_nobody && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0))
                ::_exit(126);
            ::execvpe(argv[0], argv.data(), envp.data());
            ::_exit(127);
        }
        ::setpgid(pid, pid);  // also in the parent: no race with a kill(-pid) right after
        pid_ = pid;
    }

    ProcessOptions opts_;
    pid_t pid_ = -1;
    std::optional<int> status_;
};

struct RunResult {
    int exit_code = -1;      // the code, or -signal
    bool timed_out = false;  // killed at the deadline
    std::string out, err;
    std::string description;  // command line, status and output tails
};

// Runs a program to completion, killing it (and its group) after `timeout`.
inline RunResult run_process(ProcessOptions opts, std::chrono::milliseconds timeout) {
    Process p(std::move(opts));
    RunResult r;
    auto st = p.wait_for(timeout);
    if (!st) {
        r.timed_out = true;
        p.stop(SIGKILL, 1000ms);
    }
    r.exit_code = p.status().value_or(-1);
    r.out = p.out();
    r.err = p.err();
    r.description = p.describe() + (r.timed_out ? "TIMED OUT, killed\n" : "");
    return r;
}

// VmRSS / VmHWM / ... of a process, in KiB, from /proc/PID/status (-1 if unreadable).
inline long proc_status_kib(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) {
            std::istringstream ss(line.substr(field.size() + 1));
            long kib = -1;
            ss >> kib;
            return kib;
        }
    }
    return -1;
}

}  // namespace ftpsim::testsupport
