// Writing replies: RFC 959 §4.2 framing, argument filling, and the configured text overrides.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <string>
#include <utility>

#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {
namespace server {

Msg upload_failure(FsError e) {
    switch (e) {
        case FsError::kNoSpace: return Msg::kStorageFull;
        case FsError::kQuota: return Msg::kQuotaExceeded;
        default: return Msg::kLocalWriteFail;
    }
}

std::string describe(FsError e) {
    switch (e) {
        case FsError::kNone: return "no error";
        case FsError::kNotFound: return "not found";
        case FsError::kNotADirectory: return "not a directory";
        case FsError::kIsADirectory: return "is a directory";
        case FsError::kExists: return "exists";
        case FsError::kNotEmpty: return "not empty";
        case FsError::kPermission: return "permission denied";
        case FsError::kOutsideRoot: return "outside the root";
        case FsError::kIo: return "I/O error";
        case FsError::kNoSpace: return "no space left";
        case FsError::kQuota: return "quota exceeded";
    }
    return "?";
}

std::string fill(std::string_view fmt, const std::vector<std::string>& args) {
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] == '{' && i + 1 < fmt.size() && fmt[i + 1] == '}') {
            if (next < args.size()) {
                for (const char c : args[next]) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
            }
            ++next;
            ++i;
        } else {
            out.push_back(fmt[i]);
        }
    }
    return out;
}

std::string format_reply(int code, const std::string& text) {
    char num[8];
    std::snprintf(num, sizeof num, "%03d", code < 0 || code > 999 ? 500 : code);
    std::vector<std::string> lines;
    std::size_t i = 0;
    while (true) {
        std::size_t lf = text.find('\n', i);
        std::string line = text.substr(i, lf == std::string::npos ? std::string::npos : lf - i);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        if (lf == std::string::npos) break;
        i = lf + 1;
    }
    if (lines.size() == 1) return std::string(num) + " " + lines[0] + "\r\n";
    std::string out = std::string(num) + "-" + lines.front() + "\r\n";
    for (std::size_t k = 1; k + 1 < lines.size(); ++k) {
        const std::string& line = lines[k];
        // RFC 959 §4.2: an intermediate line that begins like a reply ("NNN " or just "NNN")
        // would end the reply early; it is padded with a space. "220-..." lines are fine.
        const bool looks_final = line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                                 std::isdigit(static_cast<unsigned char>(line[1])) &&
                                 std::isdigit(static_cast<unsigned char>(line[2])) &&
                                 (line.size() == 3 || line[3] == ' ');
        out += (looks_final ? " " : "") + line + "\r\n";
    }
    return out + num + " " + lines.back() + "\r\n";
}

std::string quote_path(const std::string& path) {
    std::string out;
    for (const char c : path) {
        if (c == '"') out.push_back('"');
        out.push_back(c == '\r' || c == '\n' ? ' ' : c);
    }
    return out;
}

bool same_host(const net::IpAddress& a, const net::IpAddress& b) {
    const auto v4 = [](const net::IpAddress& x, std::array<std::uint8_t, 4>& out) {
        if (!x.v6) {
            std::copy(x.bytes.begin(), x.bytes.begin() + 4, out.begin());
            return true;
        }
        for (int i = 0; i < 10; ++i) {
            if (x.bytes[i] != 0) return false;
        }
        if (x.bytes[10] != 0xff || x.bytes[11] != 0xff) return false;
        std::copy(x.bytes.begin() + 12, x.bytes.end(), out.begin());
        return true;
    };
    std::array<std::uint8_t, 4> a4{};
    std::array<std::uint8_t, 4> b4{};
    const bool a_is_v4 = v4(a, a4);
    const bool b_is_v4 = v4(b, b4);
    if (a_is_v4 || b_is_v4) return a_is_v4 && b_is_v4 && a4 == b4;
    return a.bytes == b.bytes;
}

}  // namespace server

void ServerSession::Impl::reply(Msg msg, const std::vector<std::string>& args) {
    const server::Text t = server::text_for(cfg.personality, msg);
    reply_text(t.code, server::fill(t.text, args));
}

std::optional<std::string> ServerSession::Impl::override_for(int code) const {
    if (cfg.reply_texts.empty() || verb.empty()) return std::nullopt;
    // "VERB NNN" is exact; a bare "VERB" replaces the positive final reply (2yz/3yz), so that
    // a custom 230 welcome or 215 system type does not also turn up in 530s and 550s. The
    // pseudo-verbs name a single reply each, whatever its code.
    if (const auto it = cfg.reply_texts.find(verb + " " + std::to_string(code));
        it != cfg.reply_texts.end()) {
        return it->second;
    }
    const bool pseudo = verb == "GREETING" || verb == "TIMEOUT" || verb == "CAPACITY";
    if (pseudo || (code >= 200 && code < 400)) {
        if (const auto it = cfg.reply_texts.find(verb); it != cfg.reply_texts.end()) {
            return it->second;
        }
    }
    return std::nullopt;
}

void ServerSession::Impl::reply_text(int code, std::string text) {
    if (std::optional<std::string> o = override_for(code)) text = std::move(*o);
    reply_raw(code, text);
}

void ServerSession::Impl::reply_raw(int code, const std::string& text) {
    SendControl send{server::format_reply(code, text), {}};
    // What the reply is, line by line, for the ground truth: format_reply wrote "NNN-first",
    // inner lines as they are, and "NNN last" (RFC 959 §4.2), each ending in CRLF.
    const int written = std::stoi(send.bytes.substr(0, 3));
    std::size_t begin = 0;
    while (begin < send.bytes.size()) {
        const std::size_t end = send.bytes.find("\r\n", begin) + 2;
        ControlMessage m;
        m.kind = ControlMessage::Kind::kReply;
        m.end = end;
        m.code = written;
        m.answers = answering;
        m.last = end == send.bytes.size();
        const std::string line = send.bytes.substr(begin, end - 2 - begin);
        const bool inner = begin != 0 && !m.last;
        m.text = inner ? line : line.substr(4);
        if (m.last) m.endpoint = std::exchange(announcing, std::nullopt);
        send.messages.push_back(std::move(m));
        begin = end;
    }
    push(std::move(send));
    last_activity = now;
}

}  // namespace ftpsim::sim
