#include "explain/mermaid_subset_parser.hpp"

#include <regex>
#include <set>

namespace ftpsim::testsupport {
namespace {

// A text Mermaid reads to its end: no line break, and '#' or ';' only inside entity codes.
bool clean_text(const std::string& text) {
    static const std::regex entity("#([0-9]+|[A-Za-z]+);");
    const std::string rest = std::regex_replace(text, entity, "");
    return !text.empty() && rest.find_first_of("#;\n\r") == std::string::npos;
}

}  // namespace

MermaidDiagram parse_mermaid_subset(std::string_view text) {
    static const std::regex participant(R"(^    participant ([A-Za-z][A-Za-z0-9]*) as (.+)$)");
    static const std::regex message(R"(^    ([A-Za-z][A-Za-z0-9]*)(->>|-->>|-\)|--\))([A-Za-z][A-Za-z0-9]*): (.+)$)");
    static const std::regex note(R"(^    Note over ([A-Za-z][A-Za-z0-9]*),([A-Za-z][A-Za-z0-9]*): (.+)$)");
    MermaidDiagram d;
    std::set<std::string> ids;
    std::size_t number = 0, start = 0;
    bool header = false;
    auto fail = [&](const std::string& why, const std::string& line) {
        d.errors.push_back("line " + std::to_string(number) + ": " + why + ": " + line);
    };
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string line(text.substr(start, end - start));
        start = end + 1;
        ++number;
        std::smatch m;
        if (!header) {
            if (line != "sequenceDiagram") fail("the first line must be sequenceDiagram", line);
            header = true;
        } else if (std::regex_match(line, m, participant)) {
            if (!d.messages.empty()) fail("participant after the first message", line);
            if (!ids.insert(m[1]).second) fail("participant declared twice", line);
            if (!clean_text(m[2])) fail("alias with # or ;", line);
            d.participants.emplace_back(m[1], m[2]);
        } else if (std::regex_match(line, m, message)) {
            if (!ids.contains(m[1]) || !ids.contains(m[3])) fail("undeclared participant", line);
            if (m[1] == m[3]) fail("message to itself", line);
            if (!clean_text(m[4])) fail("message text with # or ;", line);
            d.messages.push_back({m[1], m[2], m[3], m[4]});
        } else if (std::regex_match(line, m, note)) {
            if (!ids.contains(m[1]) || !ids.contains(m[2])) fail("undeclared participant", line);
            if (!clean_text(m[3])) fail("note text with # or ;", line);
            d.notes.push_back(m[3]);
        } else {
            fail("not a line of the subset", line);
        }
    }
    if (!header) d.errors.push_back("empty diagram");
    return d;
}

std::string mermaid_block(const std::string& markdown) {
    const std::string open = "```mermaid\n";
    const auto begin = markdown.find(open);
    if (begin == std::string::npos) return "";
    const auto body = begin + open.size();
    const auto close = markdown.find("```", body);
    if (close == std::string::npos) return "";
    std::string block = markdown.substr(body, close - body);
    if (!block.empty() && block.back() == '\n') block.pop_back();
    return block;
}

}  // namespace ftpsim::testsupport
