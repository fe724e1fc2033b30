// The frames a FrameTap gets are the capture: analysed in memory they give what the pcap file
// gives when read back, and tapping changes no byte of the file.
#include <gtest/gtest.h>

#include <cstdio>

#include "vnet/vnet_support.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

VnetScenario lossy() {
    VnetScenario sc;
    sc.network.losses.push_back(LossRule{3, 5});  // a data segment: retransmission events too
    return sc;
}

TEST(VnetTap, InMemoryAnalysisEqualsTheFileReadBack) {
    Fixture fx;
    const auto pcap = temp_path("tap_and_file");
    AnalyzingTap tap;
    const auto r = fx.run(pcap, standard_ops(), lossy(), &tap);
    ASSERT_TRUE(r.client_finished);
    ASSERT_TRUE(r.capture_ok);
    const auto in_memory = tap.analyzer.finish();
    EventCollector from_file;
    const auto read_back = analyzer::analyze_file(pcap, from_file);
    // The tap is on the client's interface: the server's segment lost on the link never
    // reaches it, every other frame on the wire does.
    EXPECT_EQ(tap.frames + r.dropped, r.frames);
    EXPECT_EQ(in_memory.frames, read_back.frames);
    EXPECT_EQ(in_memory.bytes, read_back.bytes);
    EXPECT_FALSE(tap.events.events.empty());
    EXPECT_EQ(tap.events.event_lines(), from_file.event_lines());
    EXPECT_TRUE(tap.events.warnings.empty()) << tap.events.dump();
    EXPECT_EQ(tap.events.data().size(), 2u) << tap.events.dump();
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetTap, TappingLeavesTheFileByteIdentical) {
    Fixture fx;
    const auto plain = temp_path("tap_plain");
    const auto tapped = temp_path("tap_tapped");
    fx.run(plain, standard_ops(), lossy());
    AnalyzingTap tap;
    fx.run(tapped, standard_ops(), lossy(), &tap);
    EXPECT_EQ(sha_of(read_file(plain)), sha_of(read_file(tapped)));
    if (!keep()) {
        std::remove(plain.c_str());
        std::remove(tapped.c_str());
    }
}

TEST(VnetTap, ATapAloneNeedsNoFile) {
    Fixture fx;
    AnalyzingTap tap;
    const auto r = fx.run("", standard_ops(), lossy(), &tap);
    ASSERT_TRUE(r.client_finished);
    tap.analyzer.finish();
    EXPECT_EQ(tap.frames + r.dropped, r.frames);
    const auto data = tap.events.data();
    ASSERT_EQ(data.size(), 2u) << tap.events.dump();
    EXPECT_EQ(data[1].sha256, sha_of(fx.file));
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
