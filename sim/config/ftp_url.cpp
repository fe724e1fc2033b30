#include "sim/config/ftp_url.hpp"

#include <cctype>

#include "sim/config/config_values.hpp"

namespace ftpsim::sim::config {

namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool decode(const std::string& in, std::string& out, std::string& error) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        int hi = i + 2 < in.size() ? hex(in[i + 1]) : -1, lo = i + 2 < in.size() ? hex(in[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            error = "bad percent escape in '" + in + "'";
            return false;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    // CR, LF or NUL would end or split an FTP command line.
    if (out.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
        error = "'" + in + "' decodes to a line break or NUL";
        return false;
    }
    return true;
}

}  // namespace

bool parse_ftp_url(const std::string& text, FtpUrl& out, std::string& error) {
    const std::string scheme = "ftp://";
    if (text.size() < scheme.size() || text.compare(0, scheme.size(), scheme) != 0) {
        error = "'" + text + "' is not an ftp:// URL (ftp://[user[:password]@]host[:port]/)";
        return false;
    }
    std::string rest = text.substr(scheme.size());
    std::size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
    FtpUrl url;
    if (auto at = authority.rfind('@'); at != std::string::npos) {
        std::string userinfo = authority.substr(0, at), v;
        authority = authority.substr(at + 1);
        auto colon = userinfo.find(':');
        if (!decode(userinfo.substr(0, colon), v, error)) return false;
        url.user = v;
        if (colon != std::string::npos) {
            if (!decode(userinfo.substr(colon + 1), v, error)) return false;
            url.password = v;
        }
        if (url.user->empty()) {
            error = "empty user name in '" + text + "'";
            return false;
        }
    }
    std::string port_text;
    bool has_port = false;
    if (!authority.empty() && authority[0] == '[') {
        auto close = authority.find(']');
        if (close == std::string::npos) {
            error = "unclosed '[' in the host of '" + text + "'";
            return false;
        }
        url.host = authority.substr(1, close - 1);
        std::string after = authority.substr(close + 1);
        if (!after.empty() && after[0] != ':') {
            error = "unexpected '" + after + "' after the host of '" + text + "'";
            return false;
        }
        has_port = !after.empty();
        if (has_port) port_text = after.substr(1);
    } else {
        auto colon = authority.find(':');
        url.host = authority.substr(0, colon);
        has_port = colon != std::string::npos;
        if (has_port) port_text = authority.substr(colon + 1);
    }
    if (url.host.empty()) {
        error = "no host in '" + text + "'";
        return false;
    }
    if (has_port) {
        std::uint64_t port = 0;
        if (!parse_uint(port_text, 1, 65535, port, error)) {
            error = "port of '" + text + "': " + error;
            return false;
        }
        url.port = static_cast<std::uint16_t>(port);
    }
    if (!decode(path, url.path, error)) return false;
    while (!url.path.empty() && url.path.back() == '/' && url.path != "/") url.path.pop_back();
    out = std::move(url);
    return true;
}

}  // namespace ftpsim::sim::config
