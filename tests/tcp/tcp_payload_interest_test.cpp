// A connection whose payload the observer does not want (libtins' ignore_client_data()): its bytes
// are neither buffered nor delivered, while the connection is tracked and closed as any other.
#include <gtest/gtest.h>

#include "tcp_test_harness.hpp"

namespace ftpsim::tcp::testing {
namespace {

TEST_F(TcpTrackerTest, OutOfOrderPayloadIsBufferedWhenWanted) {
    handshake(1000, 5000);
    send(Seg(C, S, 1011, 5001, kAck | kPsh, "later"));  // bytes 10-14 before 0-9: held back
    EXPECT_EQ(tracker->buffered_bytes(), 5u);
    send(Seg(C, S, 1001, 5001, kAck | kPsh, "0123456789"));
    EXPECT_EQ(tracker->buffered_bytes(), 0u);
    EXPECT_EQ(rec.stream(1, Direction::kClientToServer), "0123456789later");
}

TEST_F(TcpTrackerTest, UnwantedPayloadIsNeitherBufferedNorDelivered) {
    rec.payload_wanted = false;
    handshake(1000, 5000);
    send(Seg(C, S, 1011, 5001, kAck | kPsh, "later"));
    EXPECT_EQ(tracker->buffered_bytes(), 0u);
    send(Seg(C, S, 1001, 5001, kAck | kPsh, "0123456789"));
    send(Seg(S, C, 5001, 1016, kAck));
    send(Seg(C, S, 1016, 5001, kFin | kAck));
    send(Seg(S, C, 5001, 1017, kFin | kAck));
    EXPECT_EQ(tracker->buffered_bytes(), 0u);
    EXPECT_TRUE(rec.of(Record::kData).empty());
    // The stream's offsets still advance (as gaps), so the FINs close the connection.
    EXPECT_EQ(rec.stream(1, Direction::kClientToServer), "{10}{5}");
    auto close = rec.close_of(1);
    ASSERT_TRUE(close.has_value());
    EXPECT_EQ(close->reason, CloseReason::kFin);
}

}  // namespace
}  // namespace ftpsim::tcp::testing
