// The capture reader (libpcap underneath) on arbitrary pcap and pcapng bytes, and every frame it
// returns through the analyzer. The bytes are served from a memfd so that the reader opens a
// path as it does for a user's file. Property: it ends with frames or a CaptureError, and frame
// times are representable (no overflow: the reader warns instead).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "capture/capture_error.hpp"
#include "capture/capture_reader.hpp"
#include "decode/analyzer.hpp"
#include "fuzz_input.hpp"

namespace {

class NullSink : public ftpsim::analyzer::EventSink {
public:
    void on_event(const ftpsim::analyzer::Event&) override {}
    void on_warning(const std::string&) override {}
};

const std::string& memfd_path() {
    static const std::string path = [] {
        const int fd = ::memfd_create("ftpsim-fuzz-capture", 0);
        if (fd < 0) std::abort();
        return "/proc/self/fd/" + std::to_string(fd);
    }();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = memfd_path();
    const int fd = std::stoi(path.substr(path.rfind('/') + 1));
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
    try {
        ftpsim::capture::CaptureReader reader(path, [](const std::string&) {});
        NullSink sink;
        ftpsim::analyzer::AnalyzeOptions options;
        options.packet_summaries = true;  // the packet table's text too
        ftpsim::analyzer::Analyzer analyzer(sink, options, "fuzz");
        ftpsim::capture::RawFrame frame;
        std::size_t frames = 0;
        while (reader.next(frame) && ++frames <= 100000) {
            if (frame.time < 0) ftpsim::fuzz::property_failed("a negative frame time", ftpsim::fuzz::text_of({data, size}));
            analyzer.put(frame);
        }
        analyzer.finish();
    } catch (const ftpsim::capture::CaptureError&) {
        // Not a capture, or not one we read: the documented outcome.
    }
    return 0;
}
