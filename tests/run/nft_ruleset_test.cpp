// The nftables text of a NAT router (nft_ruleset.hpp), whole, for each kind of NAT: what `nft`
// is given is exactly what docs/scenario-format.md describes.
#include <gtest/gtest.h>

#include "sim/run/nft_ruleset.hpp"

namespace ftpsim::sim::run {
namespace {

net::IpAddress ip(const std::string& text) {
    net::IpAddress a;
    EXPECT_TRUE(net::IpAddress::parse(text, a)) << text;
    return a;
}

TEST(NftRuleset, MasqueradeWithTheHelper) {
    NatRules r;
    r.outside = "to-server";
    r.inside = {"to-client"};
    r.helper_ports = {21, 2121};
    EXPECT_EQ(nft_ruleset(r),
              "table inet ftpsim_nat {\n"
              "\tct helper ftp {\n\t\ttype \"ftp\" protocol tcp\n\t\tl3proto inet\n\t}\n\n"
              "\tchain helpers {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n"
              "\t\ttcp dport { 21, 2121 } ct helper set \"ftp\"\n\t}\n\n"
              "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
              "\t\toifname \"to-server\" masquerade\n\t}\n\n"
              "\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n"
              "\t\tct state established,related accept\n"
              "\t\tiifname { \"to-client\" } ct state new accept\n"
              "\t\tcounter drop\n\t}\n}\n");
}

TEST(NftRuleset, NoHelperMeansNoHelperObjectAndNoAssignment) {
    NatRules r;
    r.outside = "to-server";
    r.inside = {"to-client"};
    const std::string text = nft_ruleset(r);
    EXPECT_EQ(text.find("helper"), std::string::npos) << text;
    EXPECT_NE(text.find("oifname \"to-server\" masquerade"), std::string::npos) << text;
    EXPECT_NE(text.find("policy drop"), std::string::npos) << text;
}

TEST(NftRuleset, HelperWrittenAsAMatchIsNeverAssigned) {
    // firewalld#453: the object exists, the rule only matches on it, nothing sets it.
    NatRules r;
    r.outside = "to-server";
    r.inside = {"to-client"};
    r.helper_ports = {21};
    r.helper_as_match = true;
    const std::string text = nft_ruleset(r);
    EXPECT_NE(text.find("ct helper ftp {"), std::string::npos) << text;
    EXPECT_NE(text.find("\t\ttcp dport { 21 } ct helper \"ftp\" accept\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("ct helper set"), std::string::npos) << text;
}

TEST(NftRuleset, SnatToOneAddressOrAPoolPerFamily) {
    NatRules r;
    r.type = scenario::Nat::Type::kSnat;
    r.outside = "to-server";
    r.snat_to = {ip("203.0.113.50"), ip("2001:db8:2::50"), ip("203.0.113.51")};
    const std::string text = nft_ruleset(r);
    EXPECT_NE(text.find("\t\toifname \"to-server\" meta nfproto ipv4 snat ip to jhash ip saddr mod 2 map "
                        "{ 0 : 203.0.113.50, 1 : 203.0.113.51 }\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\t\toifname \"to-server\" meta nfproto ipv6 snat ip6 to 2001:db8:2::50\n"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("masquerade"), std::string::npos) << text;
}

TEST(NftRuleset, DnatPublishesTheControlPortAndAcceptsWhatItTranslated) {
    NatRules r;
    r.type = scenario::Nat::Type::kDnat;
    r.outside = "to-client";
    r.inside = {"to-server"};
    r.dnat = {{ip("203.0.113.1"), ip("10.0.0.10")}, {ip("2001:db8:1::1"), ip("2001:db8:2::10")}};
    r.dnat_port = 2121;
    r.helper_ports = {2121};
    const std::string text = nft_ruleset(r);
    EXPECT_NE(text.find("\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
                        "\t\tiifname \"to-client\" ip daddr 203.0.113.1 tcp dport 2121 dnat ip to 10.0.0.10\n"
                        "\t\tiifname \"to-client\" ip6 daddr 2001:db8:1::1 tcp dport 2121 dnat ip6 to 2001:db8:2::10\n"
                        "\t}\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\t\tct status dnat ct state new accept\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("postrouting"), std::string::npos) << text;
}

TEST(NftRuleset, OutboundDropForwardsOnlyWhatStartsOutside) {
    // An ingress publishing the server (moby/moby#31787): the server's own new connections,
    // an active-mode data connection from port 20 among them, die in the forward chain; the
    // connection the helper expects is `related`, accepted by the rule before.
    NatRules r;
    r.type = scenario::Nat::Type::kDnat;
    r.outside = "to-client";
    r.inside = {"to-server"};
    r.dnat = {{ip("203.0.113.1"), ip("10.0.0.10")}};
    r.helper_ports = {21};
    r.outbound_drop = true;
    const std::string text = nft_ruleset(r);
    EXPECT_NE(text.find("\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n"
                        "\t\tct state established,related accept\n"
                        "\t\tiifname { \"to-server\" } ct state new drop\n"
                        "\t\tct status dnat ct state new accept\n"
                        "\t\tcounter drop\n\t}\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("ct state new accept\n\t\tct status"), std::string::npos) << text;
}

}  // namespace
}  // namespace ftpsim::sim::run
