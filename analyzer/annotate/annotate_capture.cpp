#include "annotate/annotate_capture.hpp"

#include <filesystem>
#include <stdexcept>

#include "annotate/frame_annotator.hpp"
#include "capture/capture_reader.hpp"
#include "golden/atomic_file.hpp"
#include "pcapng/pcapng_writer.hpp"

namespace ftpsim::annotate {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kFlushBytes = 1 << 20;  // the buffer goes to the file past this
constexpr std::uint32_t kSnapLength = 262144;  // libpcap's maximum: nothing captured is cut

// Whether `output` names the file `input` names (also through another spelling or a link).
bool same_file(const std::string& input, const std::string& output) {
    std::error_code ec, in_ec, out_ec;
    if (fs::equivalent(input, output, ec)) return true;
    const fs::path in = fs::weakly_canonical(input, in_ec), out = fs::weakly_canonical(output, out_ec);
    return !in_ec && !out_ec && in == out;
}

}  // namespace

std::string link_type_text(int link_type) {
    std::string name;
    switch (link_type) {
    case 0: name = "BSD loopback"; break;
    case 1: name = "Ethernet"; break;
    case 101: name = "raw IP"; break;
    case 105: name = "IEEE 802.11"; break;
    case 113: name = "Linux cooked capture"; break;
    case 276: name = "Linux cooked capture v2"; break;
    default: break;
    }
    return "link type " + std::to_string(link_type) + (name.empty() ? "" : " (" + name + ")");
}

AnnotateResult annotate_capture(const AnnotateRequest& request,
                                const std::function<void(const std::string&)>& warn) {
    // Nothing the user gave is lost silently: the input is never replaced, an existing output
    // only when asked.
    if (same_file(request.input, request.output))
        throw std::runtime_error(request.output + ": is the input capture; refusing to overwrite it");
    std::error_code ec;
    if (!request.replace && fs::exists(request.output, ec))
        throw std::runtime_error(request.output + ": exists; use --force to replace it");

    capture::CaptureReader reader(request.input, warn);
    golden::AtomicFile file(request.output, request.replace ? golden::AtomicFile::Replace::kYes
                                                            : golden::AtomicFile::Replace::kNo);
    std::string buffer;
    const std::string input_name = fs::path(request.input).filename().string();
    pcapng::append_section_header(
        buffer, {.user_application = "ftpsim",
                 .comment = !request.section_comment.empty()
                                ? request.section_comment
                                : "annotated by ftpsim from " + input_name +
                                      ": a comment on every packet explains it (frame.comment)"});
    pcapng::append_interface_description(
        buffer, {.link_type = static_cast<std::uint16_t>(reader.link_type()),
                 .snap_length = kSnapLength,
                 .name = request.interface_name.empty() ? input_name : request.interface_name,
                 .description = !request.interface_description.empty()
                                    ? request.interface_description
                                    : link_type_text(reader.link_type()) + " of " + input_name});

    FrameAnnotator annotator(warn);
    annotator.keep_all(false);
    analyzer::Analyzer analyzer(annotator, FrameAnnotator::options(), request.input);
    AnnotateResult result;
    capture::RawFrame raw;
    while (reader.next(raw)) {
        analyzer.put(raw);
        ++result.frames;
        pcapng::append_enhanced_packet(buffer, {.interface_id = 0,
                                                .time_ns = raw.time,
                                                .original_length = raw.wire_length,
                                                .bytes = raw.bytes,
                                                .comment = annotator.sentence()});
        if (buffer.size() >= kFlushBytes) {
            file.write(buffer);
            buffer.clear();
        }
    }
    analyzer.finish();
    file.write(buffer);
    file.commit();
    return result;
}

}  // namespace ftpsim::annotate
