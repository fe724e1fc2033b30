// Control-connection byte handling for the client engine.
#include "sim/engine/client_control.hpp"

namespace ftpsim::sim::client {

void ReplyReader::feed(std::span<const std::uint8_t> bytes, std::vector<ftp::Reply>& out) {
    lines_.clear();
    splitter_.feed(bytes, lines_);
    for (const auto& line : lines_) {
        if (assembler_.feed(line.text) == ftp::ReplyAssembler::Status::kComplete) {
            out.push_back(assembler_.take());
        }
    }
}

std::string command_line(std::string_view verb, std::string_view arg) {
    std::string out(verb);
    if (!arg.empty()) {
        out += ' ';
        out += arg;
    }
    out += "\r\n";
    return out;
}

std::string raw_line(std::string_view line) {
    std::string out(line);
    if (out.empty() || out.back() != '\n') out += "\r\n";
    return out;
}

std::string abort_bytes() {
    // IAC IP, IAC DM (RFC 854: IAC 255, IP 244, DM 242), then the command.
    return std::string("\xFF\xF4\xFF\xF2", 4) + "ABOR\r\n";
}

std::string summary(const ftp::Reply& reply) {
    std::string out = std::to_string(reply.code);
    if (!reply.text.empty()) out += " " + reply.text;
    return out;
}

}  // namespace ftpsim::sim::client
