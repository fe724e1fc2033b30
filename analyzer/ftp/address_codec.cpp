// Host-port codecs of PORT/227 (RFC 959 §4.1.2, §4.2.2: "h1,h2,h3,h4,p1,p2") and EPRT/229
// (RFC 2428 §2-3: "<d><net-prt><d><net-addr><d><tcp-port><d>"). All of it reads untrusted
// traffic: every parser bounds its numbers while scanning, never throws, never reads past the
// view, and answers nullopt on anything it cannot fully account for.
#include "ftp/address_codec.hpp"

#include <array>
#include <limits>

namespace ftpsim::ftp {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// A run of decimal digits starting at s[i], however long, as a value capped just above `max`
// (so no overflow, and "000192" is still 192). Returns the index after the run.
std::size_t scan_number(std::string_view s, std::size_t i, std::uint64_t max,
                        std::uint64_t& value, bool& too_big) {
    value = 0;
    too_big = false;
    for (; i < s.size() && is_digit(s[i]); ++i) {
        if (too_big) continue;
        const auto digit = static_cast<std::uint64_t>(s[i] - '0');
        if (value > (max - digit) / 10) {
            too_big = true;
        } else {
            value = value * 10 + digit;
        }
    }
    return i;
}

// A whole field that must be a decimal number <= max: nothing else, not even empty.
std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max) {
    if (s.empty()) return std::nullopt;
    std::uint64_t value = 0;
    bool too_big = false;
    if (scan_number(s, 0, max, value, too_big) != s.size() || too_big) return std::nullopt;
    return value;
}

// IPv4 of the endpoint, also from an IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291
// §2.5.5.2), which is how dual-stack sockets report IPv4 peers.
std::optional<std::array<std::uint8_t, 4>> ipv4_of(const net::IpAddress& a) {
    if (!a.v6) return std::array<std::uint8_t, 4>{a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]};
    for (int i = 0; i < 10; ++i) {
        if (a.bytes[i] != 0) return std::nullopt;
    }
    if (a.bytes[10] != 0xff || a.bytes[11] != 0xff) return std::nullopt;
    return std::array<std::uint8_t, 4>{a.bytes[12], a.bytes[13], a.bytes[14], a.bytes[15]};
}

// The six numbers of the RFC 959 <host-port> as text; empty for an address without IPv4 form.
std::string format_host_port(const net::Endpoint& ep) {
    const auto v4 = ipv4_of(ep.addr);
    if (!v4) return {};
    std::string out;
    for (const auto b : *v4) out += std::to_string(b) + ",";
    return out + std::to_string(ep.port >> 8) + "," + std::to_string(ep.port & 0xff);
}

net::Endpoint endpoint_of(const std::array<std::uint64_t, 6>& n) {
    net::Endpoint ep;
    ep.addr = net::IpAddress::v4(static_cast<std::uint32_t>(n[0] << 24 | n[1] << 16 |
                                                            n[2] << 8 | n[3]));
    ep.port = static_cast<std::uint16_t>(n[4] << 8 | n[5]);
    return ep;
}

bool is_delimiter(char d) {
    // RFC 2428 §2: any of ASCII 33-126. Digits are refused although the range has them:
    // "|||6446|" with a digit delimiter cannot be told from the port.
    return d >= 33 && d <= 126 && !is_digit(d);
}

}  // namespace

std::optional<net::Endpoint> parse_port_argument(std::string_view arg) {
    std::array<std::uint64_t, 6> n{};
    std::size_t count = 0;
    while (true) {
        const std::size_t comma = arg.find(',');
        if (count == n.size()) return std::nullopt;  // a seventh number
        const auto v = parse_decimal(trim_spaces(arg.substr(0, comma)), 255);
        if (!v) return std::nullopt;
        n[count++] = *v;
        if (comma == std::string_view::npos) break;
        arg.remove_prefix(comma + 1);
    }
    if (count != n.size()) return std::nullopt;
    return endpoint_of(n);
}

// Empty for an IPv6 address that has no IPv4-mapped form: PORT cannot carry it (RFC 2428 §1).
std::string format_port_argument(const net::Endpoint& ep) { return format_host_port(ep); }

std::optional<FoundEndpoint> find_pasv_endpoint(std::string_view text) {
    // RFC 959 §4.2.2 shows "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)", but the text is
    // free (RFC 1123 §4.1.2.6 tells clients to scan for the numbers): "=h1,...", no
    // parentheses, spaces after commas. Runs of comma-separated numbers are read whole, so a
    // run of seven or a number > 255 is rejected rather than half-matched.
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i])) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        std::array<std::uint64_t, 6> n{};
        std::size_t count = 0;
        bool valid = true;
        std::size_t end = i;
        while (true) {
            std::uint64_t value = 0;
            bool too_big = false;
            i = scan_number(text, i, 255, value, too_big);
            end = i;
            if (too_big || count >= n.size()) {  // a run of seven or more: n holds six
                valid = false;
            } else {
                n[count] = value;
            }
            ++count;
            // Another number follows after optional spaces, a comma, optional spaces?
            std::size_t j = i;
            while (j < text.size() && is_space(text[j])) ++j;
            if (j >= text.size() || text[j] != ',') break;
            ++j;
            while (j < text.size() && is_space(text[j])) ++j;
            if (j >= text.size() || !is_digit(text[j])) break;
            i = j;
        }
        if (valid && count == n.size()) return FoundEndpoint{endpoint_of(n), start, end - start};
        i = end;
    }
    return std::nullopt;
}

std::string format_pasv_text(const net::Endpoint& ep) {
    const std::string host_port = format_host_port(ep);
    if (host_port.empty()) return {};  // no IPv4 form: 227 cannot carry it (RFC 2428 §1)
    return "Entering Passive Mode (" + host_port + ").";
}

std::optional<net::Endpoint> parse_eprt_argument(std::string_view arg) {
    arg = trim_spaces(arg);  // the delimiter cannot be a space, so stray spaces are no field
    if (arg.size() < 2 || !is_delimiter(arg.front()) || arg.back() != arg.front()) {
        return std::nullopt;
    }
    const char d = arg.front();
    std::array<std::string_view, 3> field{};
    std::string_view rest = arg.substr(1, arg.size() - 2);  // between the outer delimiters
    for (std::size_t k = 0; k < field.size(); ++k) {
        const std::size_t next = rest.find(d);
        if ((next == std::string_view::npos) != (k == field.size() - 1)) return std::nullopt;
        field[k] = rest.substr(0, next);
        if (next != std::string_view::npos) rest.remove_prefix(next + 1);
    }

    const auto family = parse_decimal(field[0], 255);
    const auto port = parse_decimal(field[2], 65535);
    if (!family || (*family != 1 && *family != 2) || !port) return std::nullopt;
    // inet_pton reads a C string: an embedded NUL would cut the address short and accept the
    // junk after it. Longer than any IPv6 text form (45 characters) cannot be an address.
    const std::string_view addr = field[1];
    if (addr.empty() || addr.size() > 45 || addr.find('\0') != std::string_view::npos) {
        return std::nullopt;
    }
    net::Endpoint ep;
    if (!net::IpAddress::parse(std::string(addr), ep.addr)) return std::nullopt;
    // net-prt is the address family (RFC 2428 §2: 1 = IPv4, 2 = IPv6); it must match the text.
    if (ep.addr.v6 != (*family == 2)) return std::nullopt;
    ep.port = static_cast<std::uint16_t>(*port);
    return ep;
}

std::string format_eprt_argument(const net::Endpoint& ep) {
    return std::string("|") + (ep.addr.v6 ? "2" : "1") + "|" + ep.addr.str() + "|" +
           std::to_string(ep.port) + "|";
}

std::optional<FoundEndpoint> find_epsv_port(std::string_view text) {
    // RFC 2428 §3: "229 Entering Extended Passive Mode (<d><d><d><tcp-port><d>)", the network
    // fields empty. The delimiter is the character after "("; all four must be the same.
    // Without parentheses ("|||6446|") only punctuation delimiters are tried, so that letters
    // of the free text never pass for one. pos/len cover "<d><d><d><port><d>".
    for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
        const char d = text[i];
        const bool after_paren = i > 0 && text[i - 1] == '(';
        const bool punct = (d >= 33 && d <= 47) || (d >= 58 && d <= 64) ||
                           (d >= 91 && d <= 96) || (d >= 123 && d <= 126);
        if (!is_delimiter(d) || (!after_paren && !punct)) continue;
        if (text[i + 1] != d || text[i + 2] != d) continue;
        std::uint64_t port = 0;
        bool too_big = false;
        const std::size_t end = scan_number(text, i + 3, 65535, port, too_big);
        if (end == i + 3 || too_big || end >= text.size() || text[end] != d) continue;
        net::Endpoint ep;  // address left empty: the control connection's server applies
        ep.port = static_cast<std::uint16_t>(port);
        return FoundEndpoint{ep, i, end + 1 - i};
    }
    return std::nullopt;
}

std::string format_epsv_text(std::uint16_t port) {
    return "Entering Extended Passive Mode (|||" + std::to_string(port) + "|)";
}

std::optional<std::uint64_t> find_announced_size(std::string_view text) {
    // Not in any RFC: vsftpd, ProFTPD and others put "(<n> bytes)" in the 150 reply of RETR;
    // FileZilla Server and some IIS versions write "Bytes". Case-insensitive on the word.
    constexpr std::string_view kWord = "bytes";
    for (std::size_t open = text.find('('); open != std::string_view::npos;
         open = text.find('(', open + 1)) {
        std::uint64_t size = 0;
        bool too_big = false;
        const std::size_t digits_end =
            scan_number(text, open + 1, std::numeric_limits<std::uint64_t>::max(), size, too_big);
        if (digits_end == open + 1 || too_big) continue;
        std::size_t j = digits_end;
        while (j < text.size() && text[j] == ' ') ++j;
        if (j == digits_end || text.size() - j < kWord.size() + 1) continue;
        bool word = true;
        for (std::size_t k = 0; k < kWord.size(); ++k) {
            const char c = text[j + k];
            const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            if (lower != kWord[k]) word = false;
        }
        if (word && text[j + kWord.size()] == ')') return size;
    }
    return std::nullopt;
}

}  // namespace ftpsim::ftp
