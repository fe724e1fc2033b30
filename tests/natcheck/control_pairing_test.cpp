// Pairing control connections across the device by their command/reply sequence, the server
// port and the start time: never by addresses.
#include <gtest/gtest.h>

#include "natcheck/control_pairing.hpp"
#include "natcheck/nat_check.hpp"
#include "natcheck/two_sided.hpp"

namespace ftpsim::testsupport {
namespace {

TEST(ControlPairing, SameSessionsPairInOrderWhateverTheAddresses) {
    Capture in, out;
    // Outside, the device changed every address and the server port (a port forward).
    for (std::uint16_t k = 0; k < 3; ++k) {
        login_session(in, {"10.0.1.2", static_cast<std::uint16_t>(40000 + k)}, {"10.0.1.1", 2121}, "anonymous");
        login_session(out, {"203.0.113.1", static_cast<std::uint16_t>(61000 + k)}, {"203.0.113.2", 21}, "anonymous");
    }
    auto pairs = natcheck::pair_controls(record(in, "in"), record(out, "out"));
    ASSERT_EQ(pairs.size(), 3u);
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(pairs[k].inside, k);
        EXPECT_EQ(pairs[k].outside, k);
    }
}

TEST(ControlPairing, SessionsThatDifferBeforeTheSixthLineDoNotPair) {
    Capture in, out;
    login_session(in, {"10.0.1.2", 40000}, {"203.0.113.2", 21}, "alice");
    login_session(out, {"203.0.113.1", 40000}, {"203.0.113.2", 21}, "bob");
    EXPECT_TRUE(natcheck::pair_controls(record(in, "in"), record(out, "out")).empty());
    EXPECT_THROW(natcheck::judge(record(in, "in"), record(out, "out")), natcheck::BadInput);
}

TEST(ControlPairing, ASessionSeenOnOneSideOnlyIsCountedUnpaired) {
    Capture in, out;
    login_session(in, {"10.0.1.2", 40000}, {"203.0.113.2", 21}, "alice");
    login_session(in, {"10.0.1.2", 40001}, {"203.0.113.2", 21}, "carol");  // never left the device
    login_session(out, {"203.0.113.1", 40000}, {"203.0.113.2", 21}, "alice");
    natcheck::Report r = natcheck::judge(record(in, "in"), record(out, "out"));
    EXPECT_EQ(r.controls.size(), 1u);
    EXPECT_EQ(r.unpaired_inside, 1u);
    EXPECT_EQ(r.unpaired_outside, 0u);
}

}  // namespace
}  // namespace ftpsim::testsupport
