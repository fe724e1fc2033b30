// The lesson's ladder as a Mermaid sequenceDiagram (https://mermaid.js.org/syntax/
// sequenceDiagram.html): two participants per lane (its client and server ends), one message
// per arrow, a Note where a PORT/EPRT or 227/229 announced a data connection. Only a small,
// fixed subset of the grammar is written, so tests can parse every line back.
#pragma once

#include <string>
#include <string_view>

#include "explain/lesson.hpp"

namespace ftpsim::explain {

// Text safe after a message's or note's ':' and after a participant's "as": Mermaid ends the
// text at ';' and starts a comment at '#', so both become entity codes (#59; #35;), as do '<'
// and '>' (#60; #62;), which Mermaid would read as HTML; line breaks become spaces.
std::string mermaid_text(std::string_view text);

// The participant ids of a lane's two ends: "C0", "S0".
std::string mermaid_client_id(std::size_t lane);
std::string mermaid_server_id(std::size_t lane);

// The diagram's lines, "sequenceDiagram" first, each ending in '\n' (no ``` fence).
std::string mermaid_sequence_diagram(const Lesson& lesson);

}  // namespace ftpsim::explain
