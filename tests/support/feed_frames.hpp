// Feeding a built capture's frames, numbered from 1 as a file written with `write` would hold
// them, to anything that takes capture::RawFrame by put() (the analyzer, nat-check's recorder),
// without a file.
#pragma once

#include <cstdint>

#include "capture/frame.hpp"
#include "support/pcap_builder.hpp"

namespace ftpsim::testsupport {

template <class Sink>
void feed_frames(const Capture& capture, Sink& sink, const WriteOptions& write = {}) {
    std::uint64_t number = 0;
    for (const BuiltFrame& f : capture.frames(write)) {
        ::ftpsim::capture::RawFrame raw;
        raw.link_type = f.link_type;
        raw.number = ++number;
        raw.time = f.time_ns;
        raw.wire_length = f.wire_length;
        raw.bytes = f.bytes;
        sink.put(raw);
    }
}

}  // namespace ftpsim::testsupport
