// Built captures pushed through the analyzer into a FrameAnnotator: one sentence per frame,
// looked up by the builder's packet index (frame = index + 1).
#pragma once

#include <string>
#include <vector>

#include "annotate/frame_annotator.hpp"
#include "support/feed_frames.hpp"
#include "support/pcap_builder.hpp"

namespace ftpsim::testsupport {

struct Sentences {
    std::vector<std::string> all;
    // The sentence of the packet the builder returned `index` for.
    const std::string& at(std::size_t index) const { return all.at(index); }
    std::string dump() const {
        std::string out;
        for (std::size_t i = 0; i < all.size(); ++i)
            out += std::to_string(i + 1) + ": " + all[i] + "\n";
        return out;
    }
};

inline Sentences annotate_built(const Capture& cap) {
    annotate::FrameAnnotator annotator;
    analyzer::Analyzer analyzer(annotator, annotate::FrameAnnotator::options(), "built-capture");
    feed_frames(cap, analyzer);
    analyzer.finish();
    return {annotator.sentences()};
}

}  // namespace ftpsim::testsupport
