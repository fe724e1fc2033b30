// nat-check refuses captures given the wrong way round (INSIDE is the client's side), behind a
// source NAT and in front of a published server (destination NAT), and judges them the right way.
#include <gtest/gtest.h>

#include "natcheck/nat_check.hpp"
#include "natcheck/two_sided.hpp"

namespace ftpsim::testsupport {
namespace {

std::string refusal(const Capture& inside, const Capture& outside) {
    try {
        natcheck::judge(record(inside, "INSIDE.pcap"), record(outside, "OUTSIDE.pcap"));
    } catch (const natcheck::BadInput& e) {
        return e.what();
    }
    return "";
}

TEST(SwappedCaptures, SourceNatClientPrivateOutside) {
    Capture client_side, server_side;
    login_session(client_side, {"192.168.1.5", 40000}, {"203.0.113.10", 21}, "anonymous");
    login_session(server_side, {"198.51.100.1", 61000}, {"203.0.113.10", 21}, "anonymous");
    EXPECT_EQ(refusal(client_side, server_side), "");
    const std::string why = refusal(server_side, client_side);
    EXPECT_NE(why.find("look swapped: the client has a private address in OUTSIDE.pcap (given as OUTSIDE)"), std::string::npos) << why;
}

TEST(SwappedCaptures, DestinationNatServerPrivateInside) {
    Capture client_side, server_side;
    login_session(client_side, {"198.51.100.7", 40000}, {"203.0.113.10", 21}, "anonymous");  // published
    login_session(server_side, {"198.51.100.7", 40000}, {"10.0.0.10", 21}, "anonymous");
    EXPECT_EQ(refusal(client_side, server_side), "");
    const std::string why = refusal(server_side, client_side);
    EXPECT_NE(why.find("look swapped: the server has a private address in INSIDE.pcap (given as INSIDE)"),
              std::string::npos)
        << why;
}

TEST(SwappedCaptures, PrivateOnBothSidesIsNotCalledSwapped) {
    Capture a, b;  // a lab with private addresses everywhere: nothing to tell the sides apart
    login_session(a, {"10.0.1.2", 40000}, {"10.0.2.10", 21}, "anonymous");
    login_session(b, {"10.0.2.1", 61000}, {"10.0.2.10", 21}, "anonymous");
    EXPECT_EQ(refusal(a, b), "");
    EXPECT_EQ(refusal(b, a), "");
}

}  // namespace
}  // namespace ftpsim::testsupport
