// `ftpsim serve`: an FTP server on kernel sockets, configured by flags and/or a YAML file,
// serving a real directory (--root) or an in-memory tree (--config). Runs until SIGINT/SIGTERM.
#include <algorithm>
#include <csignal>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "sim/asio/ftp_server.hpp"
#include "sim/config/config_values.hpp"
#include "sim/config/memory_tree.hpp"
#include "sim/config/server_config_yaml.hpp"
#include "sim/fs/real_file_system.hpp"

namespace ftpsim::tools {

namespace {

namespace io = sim::asio_io;
namespace cfg = sim::config;

struct ServeOptions {
    std::string listen;
    std::string root;
    std::string config;
    std::vector<std::string> users;
    bool anonymous = false;
    std::string pasv_ports;
    std::string pasv_address;
    std::string personality;
    std::size_t max_sessions = 50;
    std::size_t max_per_ip = 10;
    int active_port = -1;  // -1: not given
};

struct BadInput : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Flags override what the configuration file says.
void apply_flags(const ServeOptions& o, sim::ServerConfig& c) {
    std::string error;
    for (const auto& u : o.users) {
        std::string name, pass;
        if (!cfg::parse_user_pass(u, name, pass, error)) throw BadInput("--user " + error);
        c.users[name] = pass;
    }
    if (o.anonymous) c.anonymous = true;
    if (!o.pasv_ports.empty() && !cfg::parse_port_range(o.pasv_ports, c.pasv_port_min, c.pasv_port_max, error))
        throw BadInput("--pasv-ports: " + error);
    if (!o.pasv_address.empty()) {
        net::IpAddress a;
        if (!net::IpAddress::parse(o.pasv_address, a)) throw BadInput("--pasv-address: '" + o.pasv_address + "' is not an IP address");
        c.pasv_address = a;
    }
    if (!o.personality.empty() && !cfg::parse_personality(o.personality, c.personality, error))
        throw BadInput("--personality: " + error);
    if (o.active_port >= 0) c.active_source_port = static_cast<std::uint16_t>(o.active_port);
    // `replies:` can log a client in too: a 230 to USER, or a 2yz to PASS (server_overrides.cpp).
    const bool replies_log_in = std::any_of(c.replies.begin(), c.replies.end(), [](const sim::ReplyOverride& r) {
        return (r.verb == "USER" && r.code == 230) || (r.verb == "PASS" && r.code / 100 == 2);
    });
    if (c.users.empty() && !c.anonymous && !replies_log_in)
        throw BadInput("no account: give --user NAME:PASS, --anonymous, or users/anonymous in the configuration");
}

// Active mode connects from port 20 (RFC 959 §3.2) unless told otherwise. Try it once now, so
// that a missing privilege is said once here rather than on every transfer.
void check_active_port(const ServeOptions& o, const io::tcp::endpoint& listen, sim::ServerConfig& c) {
    std::uint16_t port = c.active_source_port;
    if (port == 0) return;
    io::asio::io_context probe_io;
    io::tcp::socket probe(probe_io);
    boost::system::error_code ec;
    probe.open(listen.protocol(), ec);
    if (!ec) probe.set_option(io::tcp::socket::reuse_address(true), ec);
    if (!ec) probe.bind({listen.address(), port}, ec);
    probe.close();
    if (!ec) return;
    std::string why = io::bind_error_text(port, ec);
    if (o.active_port >= 0) throw BadInput("--active-port: " + why);
    std::cout << "ftpsim serve: active mode: " << why << "; connecting from any port instead (or give --active-port N)"
              << std::endl;
    c.active_source_port = 0;
}

int serve(const ServeOptions& o) {
    net::IpAddress addr;
    std::uint16_t port = 0;
    std::string error;
    if (!cfg::parse_listen_address(o.listen, addr, port, error)) throw BadInput("--listen " + error);
    if (o.root.empty() && o.config.empty()) throw BadInput("give --root DIR or --config FILE");

    cfg::LoadedServerConfig loaded;
    if (!o.config.empty()) loaded = cfg::load_server_config_file(o.config);  // ConfigError: exit 2
    sim::ServerConfig& config = loaded.config;
    apply_flags(o, config);

    std::unique_ptr<sim::FileSystem> fs;
    if (!o.root.empty()) {
        if (!loaded.tree.empty())
            throw BadInput(o.config + ": has files/dirs, and --root " + o.root + " is given too: choose one");
        auto real = std::make_unique<sim::RealFileSystem>(o.root);
        if (!real->ok()) throw BadInput("--root " + o.root + ": cannot open it as a directory");
        fs = std::move(real);
    } else {
        fs = cfg::build_memory_tree(loaded.tree);
    }

    io::tcp::endpoint listen = io::to_asio(net::Endpoint{addr, port});
    check_active_port(o, listen, config);

    io::asio::io_context ioc;
    io::FtpServerOptions so;
    so.listen = listen;
    so.max_sessions = o.max_sessions;
    so.max_per_ip = o.max_per_ip;
    so.log = &std::cout;
    io::FtpServer server(ioc, config, *fs, so);
    if (!server.start(error)) throw BadInput(error);
    std::cout << "ftpsim serve: listening on " << io::to_net(server.local_endpoint()).str() << std::endl;

    io::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    bool stopping = false;
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        std::cout << "ftpsim serve: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping" << std::endl;
        server.stop();
        stopping = true;
    });
    while (!stopping && ioc.run_one() > 0) {
    }
    // What is still closing gets this long; run_for returns as soon as it is done.
    ioc.run_for(std::chrono::seconds(3));
    return 0;
}

}  // namespace

Subcommand add_serve_command(CLI::App& app) {
    auto opt = std::make_shared<ServeOptions>();
    CLI::App* cmd = app.add_subcommand("serve", "Run an FTP server (until SIGINT or SIGTERM)");
    cmd->add_option("--listen", opt->listen, "ADDR:PORT to listen on ([::1]:2121 for IPv6; port 0: any)")->required();
    cmd->add_option("--root", opt->root, "serve this directory (no path gets out of it)");
    cmd->add_option("--config", opt->config, "YAML configuration: accounts, limits, faults, an in-memory tree "
                                             "(docs/server-config.md)");
    cmd->add_option("--user", opt->users, "an account, NAME:PASS (repeatable)");
    cmd->add_flag("--anonymous", opt->anonymous, "allow anonymous/ftp with any password");
    cmd->add_option("--pasv-ports", opt->pasv_ports, "passive ports A-B (default: any free port)");
    cmd->add_option("--pasv-address", opt->pasv_address, "the address announced in 227 replies (NAT)");
    cmd->add_option("--personality", opt->personality, "vsftpd, filezilla or neutral (reply texts, FEAT, listings)");
    cmd->add_option("--max-sessions", opt->max_sessions, "sessions at once, in all (421 beyond)")->check(CLI::Range(1, 100000));
    cmd->add_option("--max-per-ip", opt->max_per_ip, "sessions at once from one address (421 beyond)")->check(CLI::Range(1, 100000));
    cmd->add_option("--active-port", opt->active_port, "active mode: connect from this port (default 20; 0: any)")
        ->check(CLI::Range(0, 65535));
    return {cmd, [opt] {
        try {
            return serve(*opt);
        } catch (const BadInput& e) {
            std::cerr << "ftpsim serve: " << e.what() << "\n";
        } catch (const cfg::ConfigError& e) {
            std::cerr << "ftpsim serve: " << e.what() << "\n";
        }
        return 2;
    }};
}

}  // namespace ftpsim::tools
