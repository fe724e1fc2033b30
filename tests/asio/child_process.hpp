// Runs the ftpsim binary as a child process for the command-line tests: output to files,
// optional privilege drop (root only), waits bounded in time, killed by its own pid.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace ftpsim::asio_test {

class ChildProcess {
public:
    // `as_nobody`: setgid/setuid 65534 before exec (the caller checks that it runs as root).
    ChildProcess(std::vector<std::string> argv, const std::filesystem::path& out, const std::filesystem::path& err,
                 bool as_nobody = false)
        : out_(out), err_(err) {
        pid_ = ::fork();
        if (pid_ == 0) {
            int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
            int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
            ::dup2(o, 1);
            ::dup2(e, 2);
            int devnull = ::open("/dev/null", O_RDONLY);
            ::dup2(devnull, 0);
            if (as_nobody && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(126);
            std::vector<char*> args;
            for (auto& a : argv) args.push_back(a.data());
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
    }
    ~ChildProcess() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            wait(std::chrono::seconds(5));
        }
    }
    // The exit status, or -1 if still running at the deadline.
    int wait(std::chrono::milliseconds limit) {
        auto end = std::chrono::steady_clock::now() + limit;
        while (!exited_) {
            int status = 0;
            pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                exited_ = true;
                code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                break;
            }
            if (std::chrono::steady_clock::now() >= end) return -1;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return code_;
    }
    void signal(int sig) {
        if (!exited_) ::kill(pid_, sig);
    }
    std::string out() const { return slurp(out_); }
    std::string err() const { return slurp(err_); }
    // Waits (bounded) until stdout holds `text`.
    bool wait_output(const std::string& text, std::chrono::milliseconds limit) {
        auto end = std::chrono::steady_clock::now() + limit;
        while (out().find(text) == std::string::npos) {
            if (std::chrono::steady_clock::now() >= end || wait(std::chrono::milliseconds(0)) != -1) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return true;
    }

    static std::string slurp(const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }

private:
    pid_t pid_ = -1;
    bool exited_ = false;
    int code_ = -1;
    std::filesystem::path out_, err_;
};

}  // namespace ftpsim::asio_test
