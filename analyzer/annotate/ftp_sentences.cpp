// Commands and replies in words: packet_sentences.hpp's explain_command, explain_reply and
// reply_class.
#include <map>
#include <string_view>

#include "annotate/packet_sentences.hpp"
#include "ftp/escape.hpp"

namespace ftpsim::annotate {
namespace {

// "8*256+156 = 2204": a port as the two bytes PORT and 227 write it (RFC 959 §4.1.2).
std::string port_arithmetic(std::uint16_t port) {
    return std::to_string(port / 256) + "*256+" + std::to_string(port % 256) + " = " +
           std::to_string(port);
}

// What a command asks for; `arg` already escaped. Verbs of RFC 959 §4.1, RFC 2389, RFC 2428,
// RFC 3659 and RFC 4217.
std::string command_meaning(const std::string& verb, const std::string& arg) {
    const std::string quoted = arg.empty() ? std::string() : " " + arg;
    if (verb == "USER") return "the client logs in as" + quoted;
    if (verb == "PASS") return "the client sends the password (not shown here)";
    if (verb == "ACCT") return "the client sends its account information (not shown here)";
    if (verb == "PASV") return "the client asks the server to listen for the data connection (passive mode)";
    if (verb == "EPSV") return "the client asks the server to listen for the data connection (extended passive mode, RFC 2428)";
    if (verb == "RETR") return "the client asks to download" + quoted;
    if (verb == "STOR") return "the client uploads" + quoted;
    if (verb == "STOU") return "the client uploads a file under a name the server chooses";
    if (verb == "APPE") return "the client appends to" + quoted;
    if (verb == "LIST") return "the client asks for a directory listing" + (arg.empty() ? "" : " of" + quoted);
    if (verb == "NLST") return "the client asks for a list of names" + (arg.empty() ? "" : " in" + quoted);
    if (verb == "MLSD") return "the client asks for a machine-readable listing" + (arg.empty() ? "" : " of" + quoted);
    if (verb == "MLST") return "the client asks for the facts of" + (arg.empty() ? " the current directory" : quoted);
    if (verb == "CWD") return "the client changes the working directory to" + quoted;
    if (verb == "CDUP") return "the client goes up to the parent directory";
    if (verb == "PWD") return "the client asks for the working directory";
    if (verb == "MKD") return "the client creates the directory" + quoted;
    if (verb == "RMD") return "the client removes the directory" + quoted;
    if (verb == "DELE") return "the client deletes" + quoted;
    if (verb == "RNFR") return "the client names a file to rename:" + quoted;
    if (verb == "RNTO") return "the client gives the new name:" + quoted;
    if (verb == "REST") return "the next transfer starts at byte offset" + quoted;
    if (verb == "SIZE") return "the client asks for the size of" + quoted;
    if (verb == "MDTM") return "the client asks for the modification time of" + quoted;
    if (verb == "TYPE") {
        if (arg == "I") return "the client asks for binary transfers (image): bytes are sent unchanged";
        if (arg == "A") return "the client asks for ASCII transfers: line ends become CRLF on the wire";
        return "the client sets the transfer type to" + quoted;
    }
    if (verb == "MODE") return "the client sets the transfer mode to" + quoted;
    if (verb == "STRU") return "the client sets the file structure to" + quoted;
    if (verb == "SYST") return "the client asks which operating system the server runs";
    if (verb == "FEAT") return "the client asks which extensions the server supports (RFC 2389)";
    if (verb == "OPTS") return "the client sets an option:" + quoted;
    if (verb == "HELP") return "the client asks for help";
    if (verb == "STAT") return "the client asks for status";
    if (verb == "SITE") return "a server-specific command:" + quoted;
    if (verb == "NOOP") return "no operation: the client checks the server is still there";
    if (verb == "ABOR") return "the client aborts the transfer in progress";
    if (verb == "QUIT") return "the client ends the session";
    if (verb == "REIN") return "the client starts a new login on the same connection";
    if (verb == "AUTH") return "the client asks to secure the control connection with" + quoted;
    return "a command the server may or may not know";
}

// The code's meaning where one code says more than its class. RFC 959 §4.2.2.
const std::map<int, std::string_view>& code_meanings() {
    static const std::map<int, std::string_view> m = {
        {110, "restart marker"},
        {120, "the service will be ready in a few minutes"},
        {125, "the data connection is already open, the transfer starts"},
        {150, "the data connection is about to be opened"},
        {200, "the command was accepted"},
        {202, "the command is not needed here"},
        {211, "system status or the list of features"},
        {212, "directory status"},
        {213, "file status"},
        {214, "help text"},
        {215, "the server's system type"},
        {220, "the server is ready for a new user"},
        {221, "the server closes the control connection"},
        {225, "the data connection is open, no transfer in progress"},
        {226, "the transfer is complete and the data connection is closed"},
        {230, "the user is logged in"},
        {250, "the requested file action is done"},
        {257, "a path name"},
        {331, "the server wants the password"},
        {332, "the server wants an account"},
        {350, "the server waits for the next command (RNTO, or the transfer after REST)"},
        {421, "the service is not available, the server closes the control connection"},
        {425, "the data connection could not be opened"},
        {426, "the data connection was closed, the transfer aborted"},
        {450, "the file is not available now (busy)"},
        {451, "the action was aborted by a local error"},
        {452, "not enough storage space"},
        {500, "syntax error, the command is not recognised"},
        {501, "syntax error in the arguments"},
        {502, "the command is not implemented"},
        {503, "bad sequence of commands"},
        {504, "the command is not implemented for that argument"},
        {530, "not logged in"},
        {532, "an account is needed to store files"},
        {550, "the file is not available (not found, or no access)"},
        {551, "the page type is unknown"},
        {552, "the storage allocation was exceeded"},
        {553, "the file name is not allowed"},
    };
    return m;
}

}  // namespace

std::string reply_class(int code) {
    switch (code / 100) {
    case 1: return "positive preliminary";
    case 2: return "positive completion";
    case 3: return "positive intermediate";
    case 4: return "transient negative";
    case 5: return "permanent negative";
    default: return "";
    }
}

std::string reply_meaning(int code) {
    auto it = code_meanings().find(code);
    return it == code_meanings().end() ? std::string() : std::string(it->second);
}

std::string explain_command(const analyzer::CommandEvent& command) {
    const std::string& verb = command.verb;
    const std::string arg = command.secret ? std::string() : ftp::escape_bytes(command.arg);
    if ((verb == "PORT" || verb == "EPRT") && command.endpoint) {
        const net::Endpoint& ep = *command.endpoint;
        std::string port = verb == "PORT" ? port_arithmetic(ep.port) : std::to_string(ep.port);
        return verb + " " + arg + ": the client will listen on " + ep.addr.str() + " port " + port +
               " and the server will connect to it (active mode)";
    }
    if (verb == "PORT" || verb == "EPRT")
        return verb + " " + arg + ": an address for the data connection that does not parse";
    // Settings read best with their value first: "TYPE I: binary transfers ...".
    if ((verb == "TYPE" || verb == "MODE" || verb == "STRU") && !arg.empty())
        return verb + " " + arg + ": " + command_meaning(verb, arg);
    return verb + ": " + command_meaning(verb, arg);
}

std::string explain_reply(const analyzer::ReplyEvent& reply, const net::IpAddress& server) {
    std::string out = std::to_string(reply.code);
    const std::string cls = reply_class(reply.code);
    if (!cls.empty()) out += ": " + cls;
    if (reply.code == 227 && reply.endpoint) {
        const net::Endpoint& ep = reply.endpoint->endpoint;
        return out + ", the server will listen on " + ep.addr.str() + " port " +
               port_arithmetic(ep.port) + " for the data connection (passive mode)";
    }
    if (reply.code == 229 && reply.endpoint)
        return out + ", the server will listen on port " + std::to_string(reply.endpoint->endpoint.port) +
               " of its own address " + server.str() + " for the data connection (extended passive mode)";
    if (reply.greeting && reply.code == 220) return out + ", the server's greeting: ready for a new user";
    auto it = code_meanings().find(reply.code);
    if (it != code_meanings().end()) out += ", " + std::string(it->second);
    if (!reply.to_verb.empty()) out += " (answers " + reply.to_verb + ")";
    if (reply.lines.size() > 1) out += ", in " + std::to_string(reply.lines.size()) + " lines";
    return out;
}

}  // namespace ftpsim::annotate
