// `ftpsim client URL [mode] OP...`: runs FTP operations against a server and prints every
// reply, and for each transfer its size and SHA-256. Exit 0 if every operation succeeded, 1 if
// one failed, 2 on bad usage or when the server cannot be reached.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "commands.hpp"
#include "golden/atomic_file.hpp"
#include "sim/asio/ftp_client.hpp"
#include "sim/config/command_line_ops.hpp"
#include "sim/config/ftp_url.hpp"
#include "sim/engine/client_op_table.hpp"

namespace ftpsim::tools {

namespace {

namespace io = sim::asio_io;
namespace cfg = sim::config;

constexpr std::uintmax_t kMaxUpload = 1ULL << 31;  // uploads are held in memory whole

struct ClientOptions {
    std::string url;
    std::vector<std::string> words;
    bool active = false, passive = false, epsv = false, eprt = false;
    int port_from = 0;
    int control_port = 0;
    bool force = false;
    std::uint64_t reply_timeout_ms = 30000;
};

struct BadUsage : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void print_replies(std::ostream& out, const std::vector<ftp::Reply>& replies) {
    for (const auto& r : replies)
        for (const auto& line : r.lines) out << "< " << line << "\n";
}

// RETR STOR APPE STOU: the transfers of a file, not of a listing.
bool moves_a_file(sim::ClientOp::Kind k) { return sim::client::is_transfer(k) && !sim::client::is_listing(k); }

// Commands as sent ("> "), replies as received ("< "), a listing's text as is, then one line per
// transfer and one per failure.
void print_result(std::ostream& out, const sim::OpResult& r, const std::string& local, const std::string& note) {
    for (const auto& c : r.commands)
        out << "> " << sim::client::masked_command(r.op, c) << "\n";
    print_replies(out, r.replies);
    out << r.listing;
    if (!r.listing.empty() && r.listing.back() != '\n') out << "\n";
    if (moves_a_file(r.op.kind)) {
        out << sim::client::verb_of(r.op.kind) << " " << r.op.arg << ": " << r.bytes << " bytes sha256 " << r.sha256;
        if (!local.empty() && r.ok && note.empty()) out << " -> " << local;
        out << "\n";
    }
    if (!r.ok) out << "FAILED: " << r.error << "\n";
    if (!note.empty()) out << "FAILED: " << note << "\n";
    out.flush();
}

std::shared_ptr<const std::string> read_upload(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw BadUsage(path + ": not a readable file");
    if (std::filesystem::file_size(path, ec) > kMaxUpload) throw BadUsage(path + ": larger than 2 GiB");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) throw BadUsage(path + ": cannot read it");
    return std::make_shared<const std::string>(text.str());
}

// Where each get writes: an AtomicFile beside LOCAL (created when the first byte arrives),
// published only when the transfer succeeded, without replacing a file that appeared in the
// meantime unless --force. A failed transfer leaves neither a partial file nor a damaged old one.
class LocalFiles {
public:
    explicit LocalFiles(bool force) : force_(force) {}

    void check(const std::string& path) {
        std::error_code ec;
        if (!force_ && std::filesystem::exists(path, ec))
            throw BadUsage(path + ": exists; not overwritten (give --force to replace it)");
        if (!claimed_.insert(path).second) throw BadUsage(path + ": named by two gets");
    }
    void write(const std::string& path, std::span<const std::uint8_t> bytes) {
        if (!open(path)) return;
        try {
            file_->write({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
        } catch (const std::runtime_error& e) {
            error_ = e.what();
        }
    }
    // The op ended. Returns why LOCAL was not written ("" when it was, or when `ok` is false).
    std::string finish(const std::string& path, bool ok) {
        std::string why;
        if (ok && open(path)) {  // an empty file is still a file
            try {
                file_->commit();
            } catch (const std::runtime_error& e) {
                why = e.what();
            }
        } else if (ok) {
            why = error_;
        }
        file_.reset();  // uncommitted: its temporary is removed
        error_.clear();
        return why;
    }

private:
    bool open(const std::string& path) {
        if (file_ || !error_.empty()) return error_.empty();
        try {
            file_.emplace(path, force_ ? golden::AtomicFile::Replace::kYes : golden::AtomicFile::Replace::kNo);
        } catch (const std::runtime_error& e) {
            error_ = e.what();
        }
        return error_.empty();
    }
    bool force_;
    std::set<std::string> claimed_;
    std::optional<golden::AtomicFile> file_;
    std::string error_;
};

int run_client(const ClientOptions& o) {
    cfg::FtpUrl url;
    std::string error;
    if (!cfg::parse_ftp_url(o.url, url, error)) throw BadUsage(error);
    std::vector<cfg::CliOp> cli_ops;
    if (!cfg::parse_command_line_ops(o.words, cli_ops, error)) throw BadUsage(error);

    sim::ClientConfig config;
    if (url.user) {
        config.user = *url.user;
        config.password = url.password.value_or("");
    } else if (url.password) {
        config.password = *url.password;
    }
    config.mode = o.active ? sim::DataMode::kActive
                  : o.eprt ? sim::DataMode::kExtendedActive
                  : o.epsv ? sim::DataMode::kExtendedPassive
                           : sim::DataMode::kPassive;
    config.active_first_port = static_cast<std::uint16_t>(o.port_from);
    config.control_port = static_cast<std::uint16_t>(o.control_port);
    config.reply_timeout = static_cast<sim::Nanos>(o.reply_timeout_ms) * sim::kMillisecond;

    // The session: log in, go to the URL's directory, then the operations given.
    std::vector<sim::ClientOp> ops;
    std::vector<std::string> locals;  // per op: the file a get writes ("" for none)
    ops.push_back({});
    ops.back().kind = sim::ClientOp::Kind::kLogin;
    locals.emplace_back();
    if (!url.path.empty()) {
        ops.push_back({});
        ops.back().kind = sim::ClientOp::Kind::kCwd;
        ops.back().arg = url.path;
        locals.emplace_back();
    }
    // Files are moved as they are (TYPE I), as curl and lftp do, unless the operations choose.
    bool moves_files = false, sets_type = false;
    for (const auto& c : cli_ops) {
        moves_files = moves_files || moves_a_file(c.op.kind);
        sets_type = sets_type || c.op.kind == sim::ClientOp::Kind::kType;
    }
    if (moves_files && !sets_type) {
        ops.push_back({});
        ops.back().kind = sim::ClientOp::Kind::kType;
        ops.back().arg = "I";
        locals.emplace_back();
    }
    LocalFiles files(o.force);
    for (auto& c : cli_ops) {
        if (c.op.kind == sim::ClientOp::Kind::kStor || c.op.kind == sim::ClientOp::Kind::kAppe)
            c.op.upload = read_upload(c.local);
        bool writes = c.op.kind == sim::ClientOp::Kind::kRetr && !c.local.empty();
        if (writes) files.check(c.local);
        ops.push_back(c.op);
        locals.push_back(writes ? c.local : "");
    }

    std::size_t done_ops = 0;
    bool all_ok = true;
    io::ClientHooks hooks;
    hooks.on_greeting = [](const std::vector<ftp::Reply>& greeting) { print_replies(std::cout, greeting); };
    hooks.on_data = [&](std::span<const std::uint8_t> bytes) {
        if (done_ops < locals.size() && !locals[done_ops].empty()) files.write(locals[done_ops], bytes);
    };
    hooks.on_result = [&](const sim::OpResult& r) {
        std::size_t i = done_ops++;
        std::string note;
        if (i < locals.size() && !locals[i].empty()) note = files.finish(locals[i], r.ok);
        bool ok = r.ok && note.empty();
        print_result(std::cout, r, i < locals.size() ? locals[i] : "", note.empty() ? "" : "cannot write " + note);
        all_ok = all_ok && ok;
    };
    hooks.log = [](const std::string& line) { std::cerr << "ftpsim client: " << line << "\n"; };

    io::ClientOutcome out = io::run_ftp_client({url.host, url.port}, config, ops, hooks);
    std::cout.flush();
    if (!out.connected) {
        std::cerr << "ftpsim client: " << out.error << "\n";
        return 2;
    }
    if (!out.error.empty()) {
        std::cerr << "ftpsim client: " << out.error << "\n";
        return 1;
    }
    return all_ok && done_ops == ops.size() ? 0 : 1;
}

}  // namespace

Subcommand add_client_command(CLI::App& app) {
    auto opt = std::make_shared<ClientOptions>();
    CLI::App* cmd = app.add_subcommand("client", "Run FTP operations against a server");
    cmd->footer("Operations:\n" + cfg::command_line_ops_help());
    cmd->add_option("URL", opt->url, "ftp://[user[:password]@]host[:port][/dir] (default user: anonymous)")->required();
    cmd->add_option("OP", opt->words, "operations and their arguments, run in order")->required();
    auto* a = cmd->add_flag("--active", opt->active, "active mode: PORT");
    auto* p = cmd->add_flag("--passive", opt->passive, "passive mode: PASV (the default)");
    auto* e = cmd->add_flag("--epsv", opt->epsv, "extended passive mode: EPSV (RFC 2428)");
    auto* r = cmd->add_flag("--eprt", opt->eprt, "extended active mode: EPRT (RFC 2428)");
    a->excludes(p, e, r);
    p->excludes(e, r);
    e->excludes(r);
    cmd->add_option("--port-from", opt->port_from, "active modes: the first local data port (then the next ones)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--control-port", opt->control_port,
                    "the control connection's local (source) port (default 0: any)")
        ->check(CLI::Range(0, 65535));
    cmd->add_flag("--force", opt->force, "let get overwrite an existing local file");
    cmd->add_option("--reply-timeout-ms", opt->reply_timeout_ms, "give up on a reply after this long")
        ->check(CLI::Range(1, 86400000));
    return {cmd, [opt] {
        try {
            return run_client(*opt);
        } catch (const BadUsage& e) {
            std::cerr << "ftpsim client: " << e.what() << "\n";
            return 2;
        }
    }};
}

}  // namespace ftpsim::tools
