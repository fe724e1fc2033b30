// Bounded fork/exec of system tools. Between fork and exec the child only makes async-signal-safe
// calls (the parent may be multithreaded), so everything it needs is prepared before fork.
#include "sim/netns/command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace ftpsim::sim::netns {
namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;

std::string find_tool(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    for (const char* dir : {"/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"}) {
        std::string path = std::string(dir) + name;
        if (::access(path.c_str(), X_OK) == 0) return path;
    }
    throw std::runtime_error("required tool '" + name + "' not found in /usr/sbin, /sbin, /usr/bin, /bin");
}

// Closes an fd on scope exit so error paths cannot leak descriptors.
struct Fd {
    int fd = -1;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

// Closes every descriptor from `first` on, in a forked child (async-signal-safe syscalls only).
void close_descriptors_from(int first) {
    if (::syscall(SYS_close_range, static_cast<unsigned>(first), ~0u, 0u) == 0) return;
    for (int fd = first; fd < 65536; ++fd) ::close(fd);  // kernels before 5.9
}

}  // namespace

std::string join_argv(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
    return out;
}

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
    if (argv.empty()) throw std::invalid_argument("run_command: empty argv");
    const std::string path = find_tool(argv[0]);
    std::vector<char*> cargv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);

    Fd ns;
    if (!options.netns.empty()) {
        const std::string ns_path = "/var/run/netns/" + options.netns;
        ns.fd = ::open(ns_path.c_str(), O_RDONLY | O_CLOEXEC);
        if (ns.fd < 0) throw std::runtime_error("cannot open " + ns_path + ": " + std::strerror(errno));
    }
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    Fd rd{pipefd[0]}, wr{pipefd[1]};

    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        // Child: async-signal-safe calls only.
        ::dup2(wr.fd, 1);
        ::dup2(wr.fd, 2);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        if (ns.fd >= 0 && ::setns(ns.fd, CLONE_NEWNET) != 0) ::_exit(126);
        // The fork copied every descriptor of the process, and Asio opens its sockets without
        // close-on-exec: a command that held a scenario's data socket until it exits would
        // delay that socket's RST (close() resets only when the last reference goes), seen as
        // an RST after the QUIT instead of before the 426 when another scenario's namespaces
        // were being built at the same moment (`ftpsim test -j 2`). Keep only stdio.
        close_descriptors_from(3);
        char* const envp[] = {const_cast<char*>("PATH=/usr/sbin:/sbin:/usr/bin:/bin"),
                              const_cast<char*>("LC_ALL=C"), nullptr};
        ::execve(path.c_str(), cargv.data(), envp);
        ::_exit(127);
    }
    wr.reset();

    CommandResult result;
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    // Read until EOF or the deadline: poll keeps each wait bounded.
    for (bool eof = false; !eof;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        pollfd p{rd.fd, POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;  // timeout is checked at the top of the loop
        std::array<char, 4096> buf{};
        const ssize_t n = ::read(rd.fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            eof = true;
        } else if (result.output.size() < kMaxOutput) {
            result.output.append(buf.data(), static_cast<std::size_t>(n));
        }
    }
    // Reap the child; kill it if it outlives the deadline (the wait after SIGKILL is bounded by
    // the kernel delivering it).
    int status = 0;
    for (;;) {
        const pid_t w = ::waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        if (result.timed_out || std::chrono::steady_clock::now() >= deadline) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    return result;
}

CommandResult run_checked(const std::vector<std::string>& argv, const CommandOptions& options) {
    CommandResult r = run_command(argv, options);
    if (r.timed_out || r.exit_code != 0) {
        std::string msg = "command failed";
        msg += r.timed_out ? " (timed out)" : " (exit " + std::to_string(r.exit_code) + ")";
        msg += ": " + join_argv(argv);
        if (!r.output.empty()) msg += ": " + r.output.substr(0, r.output.find_last_not_of('\n') + 1);
        throw std::runtime_error(msg);
    }
    return r;
}

}  // namespace ftpsim::sim::netns
