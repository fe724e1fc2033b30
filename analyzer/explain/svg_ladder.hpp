// The ladder (sequence) diagram as SVG, drawn by ftpsim: time flows downward in arrow order,
// the FTP client's host on the left, the server's on the right, each connection a pair of
// vertical lines (one at each host). render_svg() gives it standalone; the HTML page inlines it
// with each arrow linked to its row of the packet table.
#pragma once

#include <string>

#include "explain/lesson.hpp"

namespace ftpsim::explain::ladder {

struct Options {
    bool standalone = true;    // an XML declaration first (a file of its own), none inline in HTML
    bool frame_links = false;  // each arrow inside <a href="#f<first frame>">
};

std::string render(const Lesson& lesson, const Options& options);

// The colours of the ladder, shared with the HTML page's legend and the tests.
inline constexpr const char* kCommandColour = "#1f4e9c";  // blue
inline constexpr const char* kReplyColour = "#8a1c7c";    // purple
inline constexpr const char* kTcpColour = "#555555";      // grey
inline constexpr const char* kDataColour = "#1e7b34";     // green
inline constexpr const char* kAnnounceColour = "#c05800";  // orange
inline constexpr const char* kControlLaneColour = kCommandColour;
inline constexpr const char* kDataLaneColour = kDataColour;
inline constexpr const char* kOtherLaneColour = kTcpColour;

}  // namespace ftpsim::explain::ladder
