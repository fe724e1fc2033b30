// A reply code read digit by digit, as RFC 959 §4.2.1 builds it: the first digit says whether
// the command went well, badly, or is not finished; the second what the reply is about; the code
// as a whole what exactly happened (§4.2.2).
#pragma once

#include <cstdint>
#include <string>

#include "explain/lesson.hpp"

namespace ftpsim::explain {

// "2: positive completion, the command succeeded" (empty for a digit outside 1-5).
std::string first_digit_reading(int code);
// "2: connections (RFC 959 §4.2.1)" (empty for a digit outside 0-5).
std::string second_digit_reading(int code);
// The whole reading of `code`, first seen at `frame` with `text` as its first line's text.
ReplyCodeReading read_reply_code(int code, std::uint64_t frame, const std::string& text);

}  // namespace ftpsim::explain
