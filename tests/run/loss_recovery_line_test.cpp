// sim/run/capture_checks: which golden lines a kernel run leaves to the host's TCP.
#include <gtest/gtest.h>

#include "sim/run/capture_checks.hpp"

namespace ftpsim::sim::run {
namespace {

TEST(LossRecoveryLine, NamesTheRecoveryEventsOfTheTcpKindOnly) {
    EXPECT_TRUE(loss_recovery_line("c1 tcp retransmission 192.168.1.109:21 -> 192.168.1.106:<p1>"));
    EXPECT_TRUE(loss_recovery_line("c2 tcp dup_ack 1.2.3.4:20 -> 5.6.7.8:<p2>"));
    EXPECT_TRUE(loss_recovery_line("c2 tcp out_of_order a -> b"));
    EXPECT_TRUE(loss_recovery_line("c2 tcp lost_segment a -> b"));
    // What the scenario makes happen stays compared.
    EXPECT_FALSE(loss_recovery_line("c2 tcp rst 192.168.1.109:26758 -> 192.168.1.106:<p2>"));
    EXPECT_FALSE(loss_recovery_line("c2 tcp zero_window a -> b"));
    EXPECT_FALSE(loss_recovery_line("c1 tcp inconsistent_retransmission a -> b seq=47 len=6 kept=later"));
    EXPECT_FALSE(loss_recovery_line("c2 tcp retransmissions a -> b"));
    // The word elsewhere in a line (a command's argument) is not an event.
    EXPECT_FALSE(loss_recovery_line("c1 command RETR tcp retransmission"));
    EXPECT_FALSE(loss_recovery_line("c1 reply 200 (to SITE) tcp retransmission a"));
}

}  // namespace
}  // namespace ftpsim::sim::run
