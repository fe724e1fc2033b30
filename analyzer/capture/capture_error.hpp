// The input cannot be analysed at all: missing, unreadable, not a capture, unsupported link
// type. Thrown by the capture layer; the message is one line naming the file.
#pragma once

#include <stdexcept>

namespace ftpsim::capture {

class CaptureError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace ftpsim::capture
