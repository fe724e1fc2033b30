#include "sim/config/config_values.hpp"

#include <charconv>

#include "sim/config/suggest.hpp"

namespace ftpsim::sim::config {

bool parse_uint(const std::string& text, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out,
                std::string& error) {
    std::uint64_t v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec == std::errc::invalid_argument || p != end) {
        error = "'" + text + "' is not a whole number";
        return false;
    }
    if (ec == std::errc::result_out_of_range || v < lo || v > hi) {
        error = "'" + text + "' is out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")";
        return false;
    }
    out = v;
    return true;
}

bool parse_port_range(const std::string& text, std::uint16_t& lo, std::uint16_t& hi, std::string& error) {
    std::uint64_t a = 0, b = 0;
    auto dash = text.find('-');
    if (dash == std::string::npos) {  // one port, or 0 for any
        if (!parse_uint(text, 0, 65535, a, error)) {
            error = "port range " + error + " (expected A-B, e.g. 50000-50100)";
            return false;
        }
        lo = hi = static_cast<std::uint16_t>(a);
        return true;
    }
    if (!parse_uint(text.substr(0, dash), 1, 65535, a, error) ||
        !parse_uint(text.substr(dash + 1), 1, 65535, b, error)) {
        error = "port range '" + text + "': " + error + " (expected A-B, e.g. 50000-50100)";
        return false;
    }
    if (a > b) {
        error = "port range '" + text + "' is empty: its first port is above its last";
        return false;
    }
    lo = static_cast<std::uint16_t>(a);
    hi = static_cast<std::uint16_t>(b);
    return true;
}

bool parse_personality(const std::string& text, Personality& out, std::string& error) {
    if (text == "vsftpd") out = Personality::kVsftpd;
    else if (text == "filezilla") out = Personality::kFileZilla;
    else if (text == "neutral") out = Personality::kNeutral;
    else {
        error = "unknown personality '" + text + "' (vsftpd, filezilla or neutral)" +
                did_you_mean(text, {"vsftpd", "filezilla", "neutral"});
        return false;
    }
    return true;
}

bool parse_listen_address(const std::string& text, net::IpAddress& addr, std::uint16_t& port, std::string& error) {
    std::string host, port_text;
    if (!text.empty() && text[0] == '[') {
        auto close = text.find("]:");
        if (close == std::string::npos) {
            error = "'" + text + "': expected [IPv6]:PORT";
            return false;
        }
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string::npos || text.find(':') != colon) {
            error = "'" + text + "': expected ADDR:PORT (IPv6 in brackets: [::1]:2121)";
            return false;
        }
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
    }
    if (!net::IpAddress::parse(host, addr)) {
        error = "'" + host + "' is not an IP address";
        return false;
    }
    std::uint64_t p = 0;
    if (!parse_uint(port_text, 0, 65535, p, error)) {
        error = "port of '" + text + "': " + error;
        return false;
    }
    port = static_cast<std::uint16_t>(p);
    return true;
}

bool parse_user_pass(const std::string& text, std::string& user, std::string& pass, std::string& error) {
    auto colon = text.find(':');
    if (colon == std::string::npos || colon == 0) {
        error = "'" + text + "': expected NAME:PASS";
        return false;
    }
    user = text.substr(0, colon);
    pass = text.substr(colon + 1);
    if (text.find_first_of(std::string(" \t\r\n\0", 5)) < colon ||
        pass.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
        error = "'" + user + "': a user name cannot hold spaces, and neither part line breaks or NUL";
        return false;
    }
    return true;
}

bool check_server_path(const std::string& path, std::string& error) {
    if (path.empty() || path[0] != '/') {
        error = "path '" + path + "' is not absolute (it must start with '/')";
        return false;
    }
    if (path == "/") return true;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") {
            error = "path '" + path + "' is not in normal form (no empty, '.' or '..' parts, no trailing '/')";
            return false;
        }
        if (part.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
            error = "path '" + path + "' contains a line break or NUL";
            return false;
        }
        start = end + 1;
    }
    return true;
}

}  // namespace ftpsim::sim::config
