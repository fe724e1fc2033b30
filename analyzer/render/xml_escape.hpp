// Text made safe for an XML attribute or element (JUnit reports: `ftpsim test --junit`,
// `ftpsim nat-check --junit`).
#pragma once

#include <string>

namespace ftpsim::render {

// The five markup characters as entities; tab, LF and CR kept; valid UTF-8 kept; any other
// control byte or invalid UTF-8 byte written as \xNN, so the document stays well-formed whatever
// bytes a capture or a scenario carried (XML 1.0 cannot hold most control characters at all).
std::string xml_escape(const std::string& text);

}  // namespace ftpsim::render
