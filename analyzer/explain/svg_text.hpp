// Text helpers the SVG ladder and the HTML page share: escaping for XML/HTML, label shortening
// and the Time column's format. In a namespace of their own so they cannot collide with the
// Markdown renderer's helpers, which are written apart.
#pragma once

#include <cstdint>
#include <string>

namespace ftpsim::explain::svgtext {

// Safe inside an XML or HTML element or a quoted attribute: the five markup characters as
// entities, and bytes XML 1.0 cannot hold (control bytes but tab/LF/CR, invalid UTF-8) as \xNN
// text (render/xml_escape.hpp), so a hostile label never breaks the document.
std::string escape(const std::string& text);

// At most `max_chars` characters (UTF-8 code points, never cut inside one), ending in "…" when
// something was cut. Control bytes count as one character each.
std::string shorten(const std::string& text, std::size_t max_chars);

// Seconds since the first frame with six decimals, as Wireshark's Time column: "2.234176".
std::string seconds(std::int64_t ns);

}  // namespace ftpsim::explain::svgtext
