// One sentence per frame that explains it to a student: "client opens the control connection:
// SYN to port 21", "PORT 192,168,1,5,8,156: the client will listen on 192.168.1.5 port
// 8*256+156 = 2204", "331: positive intermediate, the server wants the password". Pure
// functions of decoded facts (frame_facts.hpp): no state, no I/O.
#pragma once

#include <string>

#include "annotate/frame_facts.hpp"
#include "decode/events.hpp"

namespace ftpsim::annotate {

// The whole frame's sentence.
std::string explain_frame(const FrameFacts& frame);

// A command: its verb, what it asks for, and the arithmetic of an address it carries. A secret
// argument (CommandEvent::secret) is never shown.
std::string explain_command(const analyzer::CommandEvent& command);
// A reply: its code, the class its first digit names (RFC 959 §4.2.1) and what it means here;
// 227 and 229 with their arithmetic; a 229 names only a port, on `server` (the control
// connection's server address, RFC 2428 §3).
std::string explain_reply(const analyzer::ReplyEvent& reply, const net::IpAddress& server);
// RFC 959 §4.2.1: "positive preliminary", "positive completion", "positive intermediate",
// "transient negative", "permanent negative" (empty for another digit).
std::string reply_class(int code);
// What one code says beyond its class (RFC 959 §4.2.2), "the server wants the password"; empty
// for a code without a meaning of its own here.
std::string reply_meaning(int code);

}  // namespace ftpsim::annotate
