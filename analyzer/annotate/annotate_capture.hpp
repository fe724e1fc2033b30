// `ftpsim annotate IN OUT.pcapng`: every frame of a pcap or pcapng capture, copied into a pcapng
// file with a comment that explains it (frame_annotator.hpp). The output appears complete or
// not at all (golden/atomic_file.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace ftpsim::annotate {

struct AnnotateRequest {
    std::string input;
    std::string output;
    bool replace = false;  // replace an existing output (never the input)
    // What the section and interface blocks say; empty: the input's file name and link type.
    // `ftpsim run --format pcapng` names the scenario, the capture point and its host here.
    std::string section_comment;
    std::string interface_name;
    std::string interface_description;
};

struct AnnotateResult {
    std::uint64_t frames = 0;
};

// "link type 1 (Ethernet)".
std::string link_type_text(int link_type);

// Throws capture::CaptureError naming the input when it cannot be read, and std::runtime_error
// naming the output when it is the input, exists without `replace`, or cannot be written.
AnnotateResult annotate_capture(const AnnotateRequest& request,
                                const std::function<void(const std::string&)>& warn);

}  // namespace ftpsim::annotate
