// Command lines as a server or the analyzer reads them: parse_command, the secret mask, and the
// table of replies a command may get. Property: a parsed verb is 3-4 upper-case ASCII letters
// (RFC 959 §5.3.1) and the masked line never shows a secret argument.
#include <cstdint>
#include <string>

#include "ftp/command.hpp"
#include "ftp/reply.hpp"
#include "ftp/reply_table.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using ftpsim::fuzz::property_failed;
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    if (auto cmd = ftpsim::ftp::parse_command(line)) {
        if (cmd->verb.size() < 3 || cmd->verb.size() > 4) property_failed("a verb of other than 3-4 letters", line);
        for (char c : cmd->verb)
            if (c < 'A' || c > 'Z') property_failed("a verb with other than upper-case letters", line);
        const std::string upper = ftpsim::ftp::to_upper_ascii(cmd->verb);
        (void)ftpsim::ftp::is_known_verb(upper);
        (void)ftpsim::ftp::allowed_replies(upper);
        for (int code : {150, 200, 226, 227, 229, 331, 425, 530, 550}) (void)ftpsim::ftp::reply_allowed(upper, code);
        if (ftpsim::ftp::is_secret_verb(upper) && cmd->arg.size() >= 4 && cmd->arg.find('*') == std::string::npos) {
            const std::string masked = ftpsim::ftp::mask_secret_argument(line);
            if (masked.find(cmd->arg, 4) != std::string::npos) property_failed("a secret shown by the mask", line);
        }
    }
    (void)ftpsim::ftp::reply_code_of(line);
    return 0;
}
