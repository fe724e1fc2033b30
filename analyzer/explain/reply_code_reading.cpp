#include "explain/reply_code_reading.hpp"

#include "annotate/packet_sentences.hpp"

namespace ftpsim::explain {
namespace {

// The codes annotate's sentences explain with their arithmetic rather than a meaning.
std::string own_meaning(int code) {
    switch (code) {
    case 227: return "the server listens for the data connection (passive mode, RFC 959 §4.1.2)";
    case 229: return "the server listens for the data connection (extended passive mode, RFC 2428 §3)";
    case 234: return "the server accepts the security mechanism (RFC 4217 §4)";
    default: return annotate::reply_meaning(code);
    }
}

}  // namespace

std::string first_digit_reading(int code) {
    const int digit = code / 100;
    // RFC 959 §4.2.1: what the client should do next follows from this digit alone.
    const char* consequence = nullptr;
    switch (digit) {
    case 1: consequence = "the action has begun; expect another reply before the next command"; break;
    case 2: consequence = "the action is done; the client may send a new command"; break;
    case 3: consequence = "accepted so far; the server waits for more (the next command)"; break;
    case 4: consequence = "not done this time; the same command may succeed later"; break;
    case 5: consequence = "not done and will not be; do not repeat it unchanged"; break;
    default: return "";
    }
    return std::to_string(digit) + ": " + annotate::reply_class(code) + ", " + consequence;
}

std::string second_digit_reading(int code) {
    const int digit = (code / 10) % 10;
    const char* about = nullptr;
    switch (digit) {
    case 0: about = "syntax"; break;
    case 1: about = "information"; break;
    case 2: about = "connections"; break;
    case 3: about = "authentication and accounting"; break;
    case 4: about = "unspecified"; break;
    case 5: about = "file system"; break;
    default: return "";
    }
    return std::to_string(digit) + ": " + about + " (RFC 959 §4.2.1)";
}

ReplyCodeReading read_reply_code(int code, std::uint64_t frame, const std::string& text) {
    ReplyCodeReading r;
    r.code = code;
    r.first_frame = frame;
    r.text = text;
    r.first_digit = first_digit_reading(code);
    r.second_digit = second_digit_reading(code);
    r.meaning = own_meaning(code);
    if (r.meaning.empty()) r.meaning = "no meaning of its own beyond its digits";
    return r;
}

}  // namespace ftpsim::explain
