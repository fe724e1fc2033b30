#include "sim/run/junit_report.hpp"

#include <cstdio>

#include "sim/run/exit_status.hpp"

namespace ftpsim::sim::run {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 (overlongs, surrogates and code
// points past U+10FFFF are invalid, as RFC 3629 §3 says).
std::size_t utf8_length(const std::string& s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    return buf;
}

}  // namespace

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            if (std::size_t n = utf8_length(text, i); n != 0) {
                out.append(text, i, n);
                i += n;
                continue;
            }
        }
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            case '\t': case '\n': case '\r': out += static_cast<char>(c); break;
            default:
                if (c < 0x20 || c >= 0x80) {
                    char hex[8];
                    std::snprintf(hex, sizeof hex, "\\x%02X", c);
                    out += hex;
                } else {
                    out += static_cast<char>(c);
                }
        }
        ++i;
    }
    return out;
}

std::string junit_xml(const std::string& suite, const std::vector<ScenarioOutcome>& outcomes) {
    std::size_t failures = 0, errors = 0, skipped = 0;
    double total = 0;
    for (const auto& o : outcomes) {
        failures += o.status == kExitFail;
        errors += o.status == kExitBad;
        skipped += o.status == kExitSkip;
        total += o.seconds();
    }
    const std::string counts = " tests=\"" + std::to_string(outcomes.size()) + "\" failures=\"" +
                               std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
                               "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" + seconds(total) + "\"";
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x += "<testsuites name=\"ftpsim\"" + counts + ">\n";
    x += "  <testsuite name=\"" + xml_escape(suite) + "\"" + counts + ">\n";
    for (const auto& o : outcomes) {
        x += "    <testcase name=\"" + xml_escape(o.name) + "\" classname=\"" + xml_escape(suite) + "\" file=\"" +
             xml_escape(o.file) + "\" time=\"" + seconds(o.seconds()) + "\"";
        if (o.status == kExitPass && o.report.empty()) {
            x += "/>\n";
            continue;
        }
        x += ">\n";
        if (o.status == kExitSkip) {
            x += "      <skipped message=\"" + xml_escape(o.reason) + "\"/>\n";
        } else if (o.status != kExitPass) {
            const char* element = o.status == kExitFail ? "failure" : "error";
            x += std::string("      <") + element + " message=\"" + xml_escape(o.reason) + "\">" +
                 xml_escape(o.report) + "</" + element + ">\n";
        }
        if (!o.report.empty()) x += "      <system-out>" + xml_escape(o.report) + "</system-out>\n";
        if (!o.warnings.empty()) x += "      <system-err>" + xml_escape(o.warnings) + "</system-err>\n";
        x += "    </testcase>\n";
    }
    x += "  </testsuite>\n</testsuites>\n";
    return x;
}

}  // namespace ftpsim::sim::run
