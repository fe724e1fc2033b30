#include "explain/svg_text.hpp"

#include <cstdio>

#include "render/xml_escape.hpp"

namespace ftpsim::explain::svgtext {

std::string escape(const std::string& text) { return render::xml_escape(text); }

std::string shorten(const std::string& text, std::size_t max_chars) {
    if (max_chars == 0) return {};
    // Byte offset where each character starts; continuation bytes (10xxxxxx) start none.
    std::size_t chars = 0, cut = std::string::npos;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (chars == max_chars - 1) cut = i;  // where the text stops if the ellipsis is needed
        if (++chars > max_chars) return text.substr(0, cut) + "\xE2\x80\xA6";  // U+2026
    }
    return text;
}

std::string seconds(std::int64_t ns) {
    const bool negative = ns < 0;
    const std::uint64_t abs = negative ? static_cast<std::uint64_t>(-(ns + 1)) + 1 : static_cast<std::uint64_t>(ns);
    const std::uint64_t micros = (abs + 500) / 1000;  // Wireshark rounds to the microsecond
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%llu.%06llu", negative ? "-" : "",
                  static_cast<unsigned long long>(micros / 1000000),
                  static_cast<unsigned long long>(micros % 1000000));
    return buf;
}

}  // namespace ftpsim::explain::svgtext
