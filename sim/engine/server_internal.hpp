// Inside the FTP server engine: the session state shared by server_session.cpp (input, queue,
// dispatch, faults, timers), server_replies.cpp / server_texts.cpp (reply texts of each
// personality), server_commands_*.cpp (the commands) and server_data_channel.cpp (data
// connections and transfers). Not part of the engine's interface.
#pragma once

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ftp/command.hpp"
#include "ftp/line_splitter.hpp"
#include "sim/engine/ascii_line_ends.hpp"
#include "sim/engine/server_session.hpp"

namespace ftpsim::sim {
namespace server {

// Every reply the server can give; the text (and code) of each comes from the personality.
enum class Msg {
    kGreeting, kGoodbye, kUserOk, kUserChange, kLoginOk, kLoginBad, kLoginTooMany, kNeedUser,
    kAlreadyLoggedIn, kNotLoggedIn, kAcct, kSyst, kPwd, kCwdOk, kCwdFail, kCdupOk,
    kTypeI, kTypeA, kTypeBad, kModeOk, kModeBad, kStruOk, kStruBad,
    kPortOk, kPortSyntax, kPortRefused, kEprtOk, kEprtSyntax, kEprtProto, kEprtRefused,
    kPasvOk, kEpsvOk, kEpsvAllOk, kEpsvProto, kEpsvAllRefused, kPasvFail, kPasvIpv6,
    kNoDataSetup, kDataConnFail, kListStart, kListDone, kListFail, kListNoDir,
    kMlsdStart, kMlsdFail, kRetrStart, kStorStart, kStouStart, kTransferDone,
    kSendFail, kRecvFail, kLocalReadFail, kLocalWriteFail, kStorageFull, kQuotaExceeded,
    kUploadFail, kRetrFail, kAsciiRest,
    kDataReset, kAborNone, kAborOk, kRestOk, kRestBad, kSizeOk, kSizeFail, kMdtmOk, kMdtmFail,
    kDeleOk, kDeleFail, kMkdOk, kMkdFail, kRmdOk, kRmdFail, kRnfrOk, kRnfrFail,
    kRntoOk, kRntoFail, kRntoNeedRnfr, kNoop, kHelp, kFeat, kOptsUtf8, kOptsMlst, kOptsBad,
    kAllo, kSiteHelp, kSiteUnknown, kStat, kStatFile, kXferStatus, kMlstOk, kMlstFail,
    kUnknown, kNotImpl, kSyntax, kTimeout, kTooManyUsers, kTooManyPerIp, kLineTooLong,
    kTooManyQueued,
    kCount
};

struct Text {
    int code = 0;
    const char* text = "";  // "{}" marks where arguments go, '\n' separates lines
};
Text text_for(Personality personality, Msg msg);

// Replaces each "{}" of `fmt` by the next argument; CR and LF inside arguments become spaces so
// that a file name can never end a reply line early.
std::string fill(std::string_view fmt, const std::vector<std::string>& args);
// The reply for an upload the file system could not store (RFC 959 §4.2): 452 storage full,
// 552 allocation exceeded, 451 any other local error.
Msg upload_failure(FsError e);
// The error in words, for the log.
std::string describe(FsError e);
// "NNN text\r\n", or over several lines "NNN-first" ... "NNN last" (RFC 959 §4.2).
std::string format_reply(int code, const std::string& text);
// RFC 959 Appendix II: a '"' inside a quoted pathname is doubled.
std::string quote_path(const std::string& path);
// Same host, an IPv4 address and its IPv4-mapped IPv6 form (RFC 4291 §2.5.5.2) included.
bool same_host(const net::IpAddress& a, const net::IpAddress& b);
// A command line without the Telnet bytes that can precede ABOR (server_session.cpp).
std::string strip_telnet(const std::string& text);
// "anonymous" and "ftp", in any case (RFC 1635).
bool is_anonymous_name(const std::string& name);

// Downloads go out in slices of this size, one outstanding per channel (actions.hpp).
constexpr std::uint64_t kChunk = 256 * 1024;
// Commands read while the server is busy (a transfer, a delayed reply) wait in a queue this
// long at most: 64 lines of at most max_command_line bytes. Beyond it the client is flooding.
constexpr std::size_t kMaxQueuedLines = 64;
// Upload bytes that arrive on a passive connection before the STOR command is read.
constexpr std::size_t kMaxEarlyData = 8 * 1024 * 1024;
constexpr std::size_t kMaxLogLines = 1024;

}  // namespace server

struct ServerSession::Impl {
    using Msg = server::Msg;
    using Handler = void (Impl::*)(const std::string& arg);

    Impl(const ServerConfig& config, FileSystem& file_system);

    const ServerConfig& cfg;
    FileSystem& fs;
    ftp::LineSplitter splitter;
    std::deque<Action> actions;
    std::deque<std::string> logs;
    Nanos now = 0;

    // ---- control connection ----
    net::Endpoint ctrl_local;
    net::Endpoint ctrl_peer;
    bool started = false;                // connected (or refused)
    bool greeted = false;                // the greeting is out: commands get answered
    std::optional<Nanos> greeting_due;   // a CONNECT kDelay fault
    bool closing = false;                // CloseControl queued or the peer went away
    Nanos last_activity = 0;             // idle timer start: last line read or reply sent

    // ---- login and session state ----
    enum class Login { kNone, kUserGiven, kLoggedIn };
    Login login = Login::kNone;
    std::string user;
    std::uint32_t login_failures = 0;
    std::string cwd = "/";
    bool ascii = true;                   // RFC 959 §3.1.1.1: TYPE A N is the default
    std::uint64_t rest = 0;              // REST offset for the next transfer
    std::optional<std::string> rnfr;     // RNFR path, valid for the next command only
    std::optional<std::string> rnfr_taken;
    bool epsv_all = false;               // RFC 2428 §4
    unsigned mlst_facts = 0;             // selected by OPTS MLST (RFC 3659 §7.9)

    // ---- data connection set-up ----
    // The data channel of the session: a passive listener (and the connection it accepted) or,
    // during an active-mode transfer, the connection the server made.
    struct DataConn {
        ChannelId id = 0;
        bool passive = false;
        bool extended = false;     // EPSV: answered 229
        bool listening = false;    // on_data_listening came
        bool connected = false;
        net::Endpoint peer;
        std::string early;         // upload bytes read before the transfer command
        bool peer_closed = false;  // EOF before the transfer command
        std::uint32_t n = 0;       // the PASV/EPSV line that opened it (its 227/229 answers it)
    };
    std::optional<DataConn> data;
    bool pasv_pending = false;     // PASV/EPSV waits for on_data_listening to answer
    std::optional<net::Endpoint> port_target;  // PORT/EPRT
    ChannelId next_channel = 1;

    // ---- the transfer in progress ----
    struct Transfer {
        std::string verb;          // RETR, LIST ...
        std::string what;          // path, for the log
        bool upload = false;
        // kCommitting: an upload's bytes are all in, its CommitUpload is with the driver (no
        // reply yet; commands, ABOR included, wait for the 226 or the error).
        enum class Phase { kConnecting, kRunning, kNoConnection, kCommitting } phase = Phase::kConnecting;
        Nanos deadline = 0;        // kConnecting, kNoConnection: data_connect_timeout
        ChannelId committing = 0;  // kCommitting: the channel named in the CommitUpload
        bool awaits_connection() const { return phase == Phase::kConnecting || phase == Phase::kNoConnection; }
        Msg start_msg = Msg::kListStart;
        std::vector<std::string> start_args;
        Msg done_msg = Msg::kTransferDone;
        // Downloads: a listing text, or the file `path` read from `pos` to `end`.
        std::shared_ptr<const std::string> listing;
        std::string path;
        std::uint64_t pos = 0;
        std::uint64_t end = 0;
        bool ascii = false;        // convert line ends (RFC 959 §3.1.1.1)
        ToNetworkLineEnds to_network;
        bool in_flight = false;    // a SendData not yet acknowledged by on_data_sent
        // Uploads.
        std::unique_ptr<UploadSink> sink;
        FromNetworkLineEnds from_network;
        // Bytes on the data connection so far, and the fault limits on them.
        std::uint64_t bytes = 0;
        std::uint64_t limit = UINT64_MAX;
        bool reset_at_limit = false;  // kResetData (else kShortTransfer)
        std::uint32_t n = 0;          // the transfer command's line (its replies answer it)
    };
    std::optional<Transfer> xfer;

    // ---- commands ----
    // Lines waiting their turn, each with its count (ControlMessage::answers).
    struct QueuedLine {
        ftp::Line line;
        std::uint32_t n = 0;
    };
    std::deque<QueuedLine> queue;
    struct Delayed {
        ftp::Command cmd;
        Nanos until = 0;
        std::uint32_t n = 0;
    };
    std::optional<Delayed> delayed;      // a kDelay fault
    // A command line the server is thinking about (cfg.think): read, not yet processed.
    struct Thinking {
        ftp::Line line;
        Nanos until = 0;
        std::uint32_t n = 0;
    };
    std::optional<Thinking> thinking;
    Prng think_prng{0};
    std::map<std::string, std::uint32_t> verb_counts;
    std::string verb;                    // whose reply is being written (reply_texts keys)
    // For the ground truth (ControlMessage): command lines read so far; the count of the line
    // whose reply is being written (0: none, as for the greeting); the endpoint the next 227/229
    // announces.
    std::uint32_t lines_in = 0;
    std::uint32_t answering = 0;
    std::optional<net::Endpoint> announcing;
    std::optional<Fault> fault;          // a transfer fault for the command being run

    // ---- server_session.cpp ----
    static Handler find_handler(const std::string& name);
    void push(Action action);
    void log(std::string line);
    void on_line(ftp::Line line);
    bool blocked() const;
    void settle();
    void begin_line(ftp::Line line, std::uint32_t n);
    Nanos think_about(const ftp::Line& line);
    bool would_fail_login(const std::string& password) const;
    void process_line(const ftp::Line& line);
    void process_command(const ftp::Command& cmd, bool replay);
    const Fault* match_fault(const std::string& verb_name, std::uint32_t occurrence) const;
    void connect_greeting();
    void greet();
    void close_control(bool reset);
    void timeout(Nanos at);
    std::optional<Nanos> deadline() const;
    bool allowed_before_login(const std::string& v) const;
    bool vsftpd() const { return cfg.personality == Personality::kVsftpd; }
    bool filezilla() const { return cfg.personality == Personality::kFileZilla; }
    unsigned supported_facts() const;

    // ---- server_replies.cpp ----
    void reply(Msg msg, const std::vector<std::string>& args = {});
    void reply_text(int code, std::string text);  // reply_texts overrides apply
    void reply_raw(int code, const std::string& text);
    std::optional<std::string> override_for(int code) const;

    // ---- server_overrides.cpp ----
    const ReplyOverride* match_reply(const ftp::Command& cmd, std::uint32_t occurrence) const;
    void answer_with(const ReplyOverride& o, const ftp::Command& cmd);
    void override_login(const ReplyOverride& o, const ftp::Command& cmd);
    bool override_fails_login(const ftp::Command& cmd) const;
    std::optional<std::string> verbatim_listing(const std::string& dir) const;

    // ---- server_commands_session.cpp ----
    void cmd_user(const std::string& arg);
    void cmd_pass(const std::string& arg);
    void cmd_acct(const std::string& arg);
    void cmd_quit(const std::string& arg);
    void cmd_syst(const std::string& arg);
    void cmd_noop(const std::string& arg);
    void cmd_help(const std::string& arg);
    void cmd_feat(const std::string& arg);
    void cmd_opts(const std::string& arg);
    void cmd_stat(const std::string& arg);
    void cmd_site(const std::string& arg);
    void cmd_allo(const std::string& arg);
    void cmd_type(const std::string& arg);
    void cmd_mode(const std::string& arg);
    void cmd_stru(const std::string& arg);
    void transfer_status();

    // ---- server_commands_files.cpp ----
    std::string path_of(const std::string& arg) const;
    void cmd_pwd(const std::string& arg);
    void cmd_cwd(const std::string& arg);
    void cmd_cdup(const std::string& arg);
    void cmd_size(const std::string& arg);
    void cmd_mdtm(const std::string& arg);
    void cmd_dele(const std::string& arg);
    void cmd_mkd(const std::string& arg);
    void cmd_rmd(const std::string& arg);
    void cmd_rnfr(const std::string& arg);
    void cmd_rnto(const std::string& arg);
    void cmd_mlst(const std::string& arg);
    void cmd_rest(const std::string& arg);

    // ---- server_commands_data.cpp ----
    void cmd_port(const std::string& arg);
    void cmd_eprt(const std::string& arg);
    void cmd_pasv(const std::string& arg);
    void cmd_epsv(const std::string& arg);
    void cmd_list(const std::string& arg);
    void cmd_nlst(const std::string& arg);
    void cmd_mlsd(const std::string& arg);
    void cmd_retr(const std::string& arg);
    void cmd_stor(const std::string& arg);
    void cmd_appe(const std::string& arg);
    void cmd_stou(const std::string& arg);
    void cmd_abor(const std::string& arg);
    bool refuse_after_epsv_all();
    void accept_port(const std::optional<net::Endpoint>& target, bool extended);
    void open_passive(bool extended);
    bool have_data_setup();
    void list_common(const std::string& arg, bool names_only, bool mlsd);
    void upload_common(const std::string& arg, bool append, bool unique);
    std::vector<std::string> listing_lines(const std::string& dir_or_file, bool names_only,
                                           bool show_hidden, bool mlsd, bool& found);

    // ---- server_data_channel.cpp ----
    void start_transfer(Transfer t);
    void begin_transfer();
    void pump_download();
    void finish_download();
    // A transfer's data connection ends: reset (the fault) then 426, or closed then its final
    // reply (226, or the short-transfer fault's).
    void end_data(bool reset);
    void upload_bytes(std::span<const std::uint8_t> bytes);
    FsError write_upload(std::span<const std::uint8_t> bytes);
    // Commits the upload's sink; on failure answers (452/552/451), ends the transfer, false.
    bool commit_upload();
    void finish_upload();
    void complete_upload();
    void upload_committed(ChannelId id, FsError result);
    void fail_transfer(Msg msg, bool reset);
    void end_transfer();
    void abort_transfer();
    void close_data(bool reset);
    void drop_data_setup();
    void data_listening(ChannelId id, std::uint16_t port);
    void data_connected(ChannelId id, const net::Endpoint& peer);
    void data_bytes(ChannelId id, std::span<const std::uint8_t> bytes);
    void data_sent(ChannelId id);
    void data_closed(ChannelId id);
    void data_failed(ChannelId id, const std::string& why);
};

}  // namespace ftpsim::sim
