// The FTP servers under test, started by a test and stopped by their PID: `ftpsim serve` and,
// as the reference, vsftpd with a generated configuration. Both listen on loopback only, on a
// free high port, and serve the same kind of tree: a root with an "incoming" directory that
// accepts uploads.
#pragma once

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "interop/support/files.hpp"
#include "interop/support/interop_env.hpp"
#include "interop/support/net.hpp"
#include "interop/support/vsftpd_conf.hpp"
#include "support/process.hpp"

namespace ftpsim::interop {

using testsupport::Process;
using testsupport::ProcessOptions;
using testsupport::proc_status_kib;
using testsupport::run_process;
using testsupport::RunResult;
using testsupport::tail_of;

enum class ServerKind { kFtpsim, kVsftpd };

inline const char* name_of(ServerKind k) { return k == ServerKind::kFtpsim ? "ftpsim" : "vsftpd"; }
inline void PrintTo(ServerKind k, std::ostream* os) { *os << name_of(k); }

// A running server: where it listens, how to log in, what it serves.
struct FtpServer {
    ServerKind kind = ServerKind::kFtpsim;
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string user, password;
    fs::path root;               // what "/" is
    std::string upload_dir = "incoming";  // relative to root; writable
    Process process;

    // "127.0.0.1:2121" or "[::1]:2121".
    std::string host_port() const {
        return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
    }
    // ftp://user:pass@host:port/ + path (path without a leading '/').
    std::string url(const std::string& path = "") const {
        return "ftp://" + percent_encode(user) + ":" + percent_encode(password) + "@" + host_port() + "/" + path;
    }
    static std::string percent_encode(const std::string& s) {
        std::string out;
        for (unsigned char c : s) {
            if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
                out += static_cast<char>(c);
            } else {
                static const char* hex = "0123456789ABCDEF";
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
        return out;
    }
    std::string describe() const { return std::string(name_of(kind)) + " on " + host_port() + "\n" + process.describe(); }
    pid_t pid() const { return process.pid(); }
    bool alive() { return process.running(); }
    int stop() { return process.stop(SIGTERM, 5000ms); }
};

struct FtpsimServeOptions {
    fs::path root;                      // --root (unless config is set)
    fs::path config;                    // --config FILE instead of --root
    std::string host = "127.0.0.1";
    std::vector<std::string> users = {"alice:secret"};
    bool anonymous = true;
    std::vector<std::string> extra;     // more arguments, e.g. {"--max-sessions", "2"}
    fs::path log_dir;                   // where serve.log goes (default: root's parent)
};

// Waits (bounded) until `port` is listening; false if the process exited first or at timeout.
inline bool wait_listening(Process& p, std::uint16_t port, std::chrono::milliseconds timeout = 10000ms) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (!p.running()) return false;
        if (is_listening(port)) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

// Starts `ftpsim serve` on a free port of opts.host. Throws with the server's output if it does
// not come up (after 3 tries, in case another process took the port in between).
inline std::unique_ptr<FtpServer> start_ftpsim(const FtpsimServeOptions& opts) {
    auto s = std::make_unique<FtpServer>();
    s->kind = ServerKind::kFtpsim;
    s->host = opts.host;
    s->root = opts.root;
    if (!opts.users.empty()) {
        auto colon = opts.users.front().find(':');
        s->user = opts.users.front().substr(0, colon);
        s->password = opts.users.front().substr(colon + 1);
    } else {
        s->user = "anonymous";
        s->password = "guest@example.com";
    }
    fs::path log_dir = !opts.log_dir.empty() ? opts.log_dir
                       : !opts.root.empty()  ? opts.root.parent_path()
                                             : opts.config.parent_path();
    std::string last;
    for (int attempt = 0; attempt < 3; ++attempt) {
        s->port = free_port(opts.host);
        ProcessOptions po;
        po.argv = {ftpsim_binary(), "serve", "--listen", s->host_port()};
        if (!opts.config.empty()) {
            po.argv.insert(po.argv.end(), {"--config", opts.config.string()});
        } else {
            po.argv.insert(po.argv.end(), {"--root", opts.root.string()});
        }
        for (const auto& u : opts.users) po.argv.insert(po.argv.end(), {"--user", u});
        if (opts.anonymous) po.argv.push_back("--anonymous");
        po.argv.insert(po.argv.end(), opts.extra.begin(), opts.extra.end());
        po.stdout_file = log_dir / ("ftpsim-serve-" + std::to_string(s->port) + ".log");
        s->process = Process(po);
        if (wait_listening(s->process, s->port)) return s;
        last = s->process.describe();
        s->process.stop(SIGKILL, 1000ms);
        last = s->process.describe();
    }
    throw std::runtime_error("ftpsim serve did not start listening:\n" + last);
}

struct VsftpdOptions {
    fs::path root;        // anon_root; must not be writable by the ftp user
    fs::path work_dir;    // config, logs and the empty secure_chroot_dir go here
    std::string upload_dir = "incoming";
};

// vsftpd needs root (it chroots anonymous sessions) and the "ftp" account.
inline std::string vsftpd_missing_reason() {
    if (find_tool("vsftpd").empty()) return "vsftpd is not installed (Debian package vsftpd)";
    if (!is_root()) return "vsftpd needs root to chroot anonymous sessions; run as root";
    if (::getpwnam("ftp") == nullptr) return "no 'ftp' account for vsftpd's anonymous sessions";
    return {};
}

// Starts vsftpd (anonymous, uploads into root/upload_dir) on a free port of 127.0.0.1.
inline std::unique_ptr<FtpServer> start_vsftpd(const VsftpdOptions& opts) {
    auto s = std::make_unique<FtpServer>();
    s->kind = ServerKind::kVsftpd;
    s->root = opts.root;
    s->user = "anonymous";
    s->password = "guest@example.com";
    s->upload_dir = opts.upload_dir;

    // vsftpd's anonymous chroot: the root is root-owned and not writable by "ftp"; the upload
    // directory belongs to "ftp".
    const passwd* ftp = ::getpwnam("ftp");
    if (!ftp) throw std::runtime_error("no ftp account");
    make_world_readable(opts.root);
    fs::create_directories(opts.root / opts.upload_dir);
    if (::chown((opts.root / opts.upload_dir).c_str(), ftp->pw_uid, ftp->pw_gid) != 0)
        throw std::runtime_error("chown ftp " + (opts.root / opts.upload_dir).string());
    fs::path empty = opts.work_dir / "vsftpd-empty";
    fs::create_directories(empty);
    ::chmod(empty.c_str(), 0755);

    auto [pasv_min, pasv_max] = free_port_range(50);
    std::string last;
    for (int attempt = 0; attempt < 3; ++attempt) {
        s->port = free_port("127.0.0.1");
        fs::path conf = opts.work_dir / ("vsftpd-" + std::to_string(s->port) + ".conf");
        {
            // LOCAL_ENABLE=NO: anonymous only, like the ftpsim server it is compared with.
            // ANON_MKDIR_WRITE_ENABLE=YES: lftp's mirror -R makes the directories it uploads.
            // As root vsftpd can bind port 20 for active data, as RFC 959 wants.
            std::ofstream c(conf);
            c << render_vsftpd_conf({
                {"LISTEN_LINES", "listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1\npasv_address=127.0.0.1"},
                {"LISTEN_PORT", std::to_string(s->port)},
                {"ANON_ROOT", opts.root.string()},
                {"SECURE_CHROOT_DIR", empty.string()},
                {"PASV_MIN_PORT", std::to_string(pasv_min)},
                {"PASV_MAX_PORT", std::to_string(pasv_max)},
                {"LOCAL_ENABLE", "NO"},
                {"ANON_MKDIR_WRITE_ENABLE", "YES"},
                {"CONNECT_FROM_PORT_20", is_root() ? "YES" : "NO"},
                {"FTPD_BANNER", "ftpsim interop reference (vsftpd)"},
            });
        }
        ::chmod(conf.c_str(), 0600);
        ProcessOptions po;
        po.argv = {find_tool("vsftpd"), conf.string()};
        po.stdout_file = opts.work_dir / ("vsftpd-" + std::to_string(s->port) + ".log");
        s->process = Process(po);
        if (wait_listening(s->process, s->port)) return s;
        s->process.stop(SIGKILL, 1000ms);
        last = s->process.describe();
    }
    throw std::runtime_error("vsftpd did not start listening:\n" + last);
}

// The tree every tool test serves: a few single files and a 50-file tree, with their hashes by
// path relative to the root.
struct ServedTree {
    FileHashes files;  // "hello.txt", "data.bin", "empty.bin", "tree/..."
    FileHashes tree;   // the 50 files under tree/, relative to tree/
};

inline ServedTree populate_root(const fs::path& root) {
    ServedTree t;
    fs::create_directories(root / "incoming");
    const std::string hello = "Hello from the interop tests.\r\nSecond line.\n";
    write_file(root / "hello.txt", hello);
    t.files["hello.txt"] = sha256_bytes(hello);
    const std::string data = pattern_bytes(42, (1 << 20) + 12345);
    write_file(root / "data.bin", data);
    t.files["data.bin"] = sha256_bytes(data);
    write_file(root / "empty.bin", "");
    t.files["empty.bin"] = sha256_bytes("");
    t.tree = make_tree(root / "tree", 50, 7);
    for (const auto& [rel, h] : t.tree) t.files["tree/" + rel] = h;
    return t;
}

}  // namespace ftpsim::interop
