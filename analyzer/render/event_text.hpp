// One event as a line of text: the body of both the full text output and the golden form.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "decode/events.hpp"

namespace ftpsim::render {

// Replaces ephemeral ports with stable names (<p1>, <p2> ... in order of first appearance) so
// that two captures of the same session compare equal. Ports below 1024 (21, 20) and ports a
// scenario fixed are kept as they are.
class PortNormalizer {
public:
    explicit PortNormalizer(std::set<std::uint16_t> keep = {}) : keep_(std::move(keep)) {}
    std::string port(std::uint16_t p);

private:
    std::set<std::uint16_t> keep_;
    std::map<std::uint16_t, std::string> names_;
};

struct EventTextOptions {
    bool show_secrets = false;
    PortNormalizer* ports = nullptr;  // null: ports as they are
};

// "c1 command USER ftpuser", "c1 reply 331 (to USER) Please specify the password." ...
// Continuation lines of a multi-line reply follow on their own lines, indented with "    | ".
std::string event_text(const analyzer::Event& e, const EventTextOptions& opt);

}  // namespace ftpsim::render
