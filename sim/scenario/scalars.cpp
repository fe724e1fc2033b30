// Scalar values of a scenario that the server configuration has no reader for: decimal numbers,
// times, interface addresses and MAC addresses.
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "sim/config/config_values.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace ftpsim::sim::scenario {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// `n` digits at s[pos], advancing pos; false if they are not all there.
bool digits(const std::string& s, std::size_t& pos, std::size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[pos + i]))) return false;
        out = out * 10 + static_cast<unsigned>(s[pos + i] - '0');
    }
    pos += n;
    return true;
}

bool literal(const std::string& s, std::size_t& pos, const char* chars) {
    if (pos >= s.size() || std::string_view(chars).find(s[pos]) == std::string_view::npos) return false;
    ++pos;
    return true;
}

bool parse_rfc3339(const std::string& s, std::int64_t& seconds, std::uint32_t& nanos) {
    std::size_t p = 0;
    unsigned y, mo, d, h, mi, sec;
    if (!digits(s, p, 4, y) || !literal(s, p, "-") || !digits(s, p, 2, mo) || !literal(s, p, "-") ||
        !digits(s, p, 2, d) || !literal(s, p, "Tt ") || !digits(s, p, 2, h) || !literal(s, p, ":") ||
        !digits(s, p, 2, mi) || !literal(s, p, ":") || !digits(s, p, 2, sec))
        return false;
    static const unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || sec > 60) return false;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return false;
    nanos = 0;
    if (p < s.size() && s[p] == '.') {  // fraction: nanosecond precision, the rest ignored
        ++p;
        std::size_t n = 0;
        for (; p < s.size() && std::isdigit(static_cast<unsigned char>(s[p])); ++p, ++n)
            if (n < 9) nanos = nanos * 10 + static_cast<std::uint32_t>(s[p] - '0');
        if (n == 0) return false;
        for (; n < 9; ++n) nanos *= 10;
    }
    std::int64_t offset = 0;
    if (literal(s, p, "Zz")) {
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
        const int sign = s[p++] == '-' ? -1 : 1;
        unsigned oh, om;
        if (!digits(s, p, 2, oh) || !literal(s, p, ":") || !digits(s, p, 2, om) || oh > 23 || om > 59) return false;
        offset = sign * static_cast<std::int64_t>(oh * 3600 + om * 60);
    } else {
        return false;  // RFC 3339 needs the offset: a local time would make pcaps differ by machine
    }
    if (p != s.size()) return false;
    seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + std::min(sec, 59u) - offset;
    return true;
}

// 60000, 0.5, 1e+06: std::to_string's six decimals would say 60000.000000.
std::string shortest(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

}  // namespace

double read_number(const YamlReader& r, const YAML::Node& node, const std::string& key, double lo, double hi) {
    const std::string t = r.text(node, key);
    double v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
        r.fail(node, key, "'" + t + "' is not a number");
    if (v < lo || v > hi)
        r.fail(node, key, "'" + t + "' is out of range (" + shortest(lo) + " to " + shortest(hi) + ")");
    return v;
}

void read_time(const YamlReader& r, const YAML::Node& node, const std::string& key, std::int64_t& seconds,
               std::uint32_t& nanos) {
    const std::string t = r.text(node, key);
    if (!t.empty() && std::isdigit(static_cast<unsigned char>(t[0])) && t.find_first_of("-:Tt") == std::string::npos) {
        // Up to 9999-12-31, as far as RFC 3339 can say; the pcap's limit is checked below.
        seconds = static_cast<std::int64_t>(r.uint(node, key, 0, 253402300799));
        nanos = 0;
    } else if (!parse_rfc3339(t, seconds, nanos) || seconds < 0) {
        r.fail(node, key, "'" + t + "' is not an RFC 3339 time after 1970 (2019-12-02T12:00:00Z) or epoch seconds");
    }
    // A classic pcap record stamps unsigned 32-bit seconds since 1970 (pcap-savefile(5)): a later
    // time would wrap to 1970 in the capture.
    constexpr std::int64_t kLastPcapSecond = 4294967295;  // 2106-02-07T06:28:15Z
    if (seconds > kLastPcapSecond)
        r.fail(node, key, "'" + t + "' is after 2106-02-07T06:28:15Z, the last time a pcap timestamp can hold " +
                              "(32-bit seconds since 1970)");
}

Cidr read_cidr(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    const std::string t = r.text(node, key);
    const auto slash = t.find('/');
    Cidr c;
    if (slash == std::string::npos)
        r.fail(node, key, "'" + t + "': expected ADDRESS/PREFIX (192.0.2.10/24, 2001:db8::1/64)");
    if (!net::IpAddress::parse(t.substr(0, slash), c.addr))
        r.fail(node, key, "'" + t.substr(0, slash) + "' is not an IPv4 or IPv6 address");
    std::uint64_t prefix = 0;
    std::string error;
    if (!config::parse_uint(t.substr(slash + 1), 0, c.addr.v6 ? 128 : 32, prefix, error))
        r.fail(node, key, "prefix length of '" + t + "': " + error);
    c.prefix = static_cast<unsigned>(prefix);
    return c;
}

std::array<std::uint8_t, 6> read_mac(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    const std::string t = r.text(node, key);
    std::array<std::uint8_t, 6> mac{};
    bool ok = t.size() == 17;
    for (std::size_t i = 0; ok && i < 6; ++i) {
        if (i > 0 && t[i * 3 - 1] != ':' && t[i * 3 - 1] != '-') ok = false;
        auto [p, ec] = std::from_chars(t.data() + i * 3, t.data() + i * 3 + 2, mac[i], 16);
        if (ec != std::errc() || p != t.data() + i * 3 + 2) ok = false;
    }
    if (!ok) r.fail(node, key, "'" + t + "' is not a MAC address (02:00:5e:00:53:01)");
    return mac;
}

const YAML::Node& read_list(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    r.expect(node, YAML::NodeType::Sequence, key);
    return node;
}

}  // namespace ftpsim::sim::scenario
