// A parser of the small subset of Mermaid's sequenceDiagram grammar that ftpsim explain writes
// (explain/mermaid_diagram.hpp), strict enough to reject what Mermaid would misread: a raw ';'
// or '#' in a text (Mermaid ends the text or starts a comment there; entity codes like #59; are
// fine), an undeclared participant, an unknown arrow, a line of another shape.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ftpsim::testsupport {

struct MermaidMessage {
    std::string from, arrow, to, text;
};

struct MermaidDiagram {
    std::vector<std::pair<std::string, std::string>> participants;  // id, alias
    std::vector<MermaidMessage> messages;
    std::vector<std::string> notes;
    std::vector<std::string> errors;  // "line 7: <why>: <the line>"; empty: every line parsed
};

MermaidDiagram parse_mermaid_subset(std::string_view text);

// The body of the first ```mermaid block of a Markdown document (empty when there is none).
std::string mermaid_block(const std::string& markdown);

}  // namespace ftpsim::testsupport
