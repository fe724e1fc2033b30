// The netfilter scenarios of scenarios/nat/ on the kernel backend: a router namespace with real
// nftables NAT and Linux's FTP helper between client and server. `ftpsim run` checks each
// scenario's counts (goldens are written into a scratch directory: the repository's come from
// the virtual network); these tests then read both sides' captures and check what differs
// between them: with the helper, the PORT / 227 seen outside carries the router's address and
// the transfer completes; without it, the inside address leaks and the data connection dies at
// the router. Needs namespaces: skipped with the reason without them, failed in CI.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "support/ci.hpp"
#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testsupport::run_ftpsim;

constexpr int kSkipped = 77;

// Each capture point's analyzer events, by point name.
using Sides = std::map<std::string, std::vector<json>>;

class NetfilterKernel : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ftpsim-netfilter-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "golden");
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }

    // Runs scenarios/nat/NAME.yaml on the kernel backend; false (the test skipped or failed)
    // when it could not run or did not pass its own checks.
    bool run(const std::string& name, Sides& sides) {
        const auto r = run_ftpsim({"run", std::string(FTPSIM_SCENARIOS_DIR) + "/nat/" + name + ".yaml", "--net", "kernel",
                                   "--out", (dir_ / "out").string(), "--update-golden", "--golden-dir",
                                   (dir_ / "golden").string(), "--skip-without-privilege"},
                                  dir_);
        if (r.exit_code == kSkipped) {
            if (testsupport::in_ci()) ADD_FAILURE() << "no network namespaces in CI: " << r.err << r.out;
            else [&] { GTEST_SKIP() << "no network namespaces: " << r.err << r.out; }();  // marks the test skipped
            return false;
        }
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        if (r.exit_code != 0) return false;
        for (const auto& e : fs::directory_iterator(dir_ / "out")) {
            const std::string file = e.path().filename().string();
            if (e.path().extension() != ".pcap" || file.rfind(name + ".", 0) != 0) continue;
            const std::string point = file.substr(name.size() + 1, file.size() - name.size() - 6);
            const auto a = run_ftpsim({"analyze", "--format", "json", e.path().string()}, dir_);
            EXPECT_EQ(a.exit_code, 0) << a.err;
            sides[point] = json::parse(a.out)["events"].get<std::vector<json>>();
        }
        EXPECT_EQ(sides.size(), 2u) << "expected the inside and outside captures";
        return !HasFailure();
    }

    fs::path dir_;
};

std::vector<std::string> args_of(const std::vector<json>& events, const std::string& verb) {
    std::vector<std::string> out;
    for (const auto& e : events)
        if (e["kind"] == "command" && e["verb"] == verb) out.push_back(e["arg"]);
    return out;
}

std::vector<std::string> reply_texts(const std::vector<json>& events, int code) {
    std::vector<std::string> out;
    for (const auto& e : events)
        if (e["kind"] == "reply" && e["code"] == code) out.push_back(e["text"]);
    return out;
}

std::size_t count(const std::vector<json>& events, const std::string& kind, const std::string& field, const json& value) {
    std::size_t n = 0;
    for (const auto& e : events) n += e["kind"] == kind && e.contains(field) && e[field] == value;
    return n;
}

// The `data` events that completed with 226 and carried `bytes`.
std::size_t completed(const std::vector<json>& events, std::uint64_t bytes) {
    std::size_t n = 0;
    for (const auto& e : events) n += e["kind"] == "data" && e["completion"] == 226 && e["bytes"] == bytes;
    return n;
}

// The active data connection's SYN, if the capture holds one: the data event of an active
// transfer that has an opening frame, as "src -> dst".
std::vector<std::string> active_data_syns(const std::vector<json>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        if (e["kind"] == "data" && e["mode"] == "active" && e.value("open_frame", 0) != 0)
            out.push_back(e["src"]["ip"].get<std::string>() + ":" + std::to_string(e["src"]["port"].get<int>()) + " -> " +
                          e["dst"]["ip"].get<std::string>() + ":" + std::to_string(e["dst"]["port"].get<int>()));
    return out;
}

TEST_F(NetfilterKernel, HelperRewritesThePortToTheOutsideAddress) {
    Sides s;
    if (!run("netfilter_masquerade_port", s)) return;
    EXPECT_EQ(args_of(s["inside"], "PORT"), (std::vector<std::string>{"192,168,1,5,195,80", "192,168,1,5,195,81"}));
    EXPECT_EQ(args_of(s["outside"], "PORT"), (std::vector<std::string>{"203,0,113,1,195,80", "203,0,113,1,195,81"}));
    // The data connections established on both sides, each to that side's address.
    EXPECT_EQ(active_data_syns(s["inside"]), (std::vector<std::string>{"203.0.113.10:20 -> 192.168.1.5:50000",
                                                                       "203.0.113.10:20 -> 192.168.1.5:50001"}));
    EXPECT_EQ(active_data_syns(s["outside"]), (std::vector<std::string>{"203.0.113.10:20 -> 203.0.113.1:50000",
                                                                        "203.0.113.10:20 -> 203.0.113.1:50001"}));
    for (const char* side : {"inside", "outside"}) {
        EXPECT_EQ(completed(s[side], 48000), 1u) << side;
        EXPECT_EQ(count(s[side], "anomaly", "what", "ftp_bounce"), 0u) << side;
    }
}

TEST_F(NetfilterKernel, HelperMissingLeaksTheInsideAddressAndTheDataConnectionDies) {
    Sides s;
    if (!run("netfilter_helper_missing", s)) return;
    // Not rewritten: the private address leaves the router as the client wrote it, and the
    // server's SYN to it reaches the router's outside and never comes out on the inside.
    EXPECT_EQ(args_of(s["outside"], "PORT"), (std::vector<std::string>{"192,168,1,5,195,80"}));
    EXPECT_EQ(active_data_syns(s["outside"]), (std::vector<std::string>{"203.0.113.10:20 -> 192.168.1.5:50000"}));
    EXPECT_EQ(active_data_syns(s["inside"]), std::vector<std::string>{});
    EXPECT_EQ(count(s["inside"], "anomaly", "what", "data_connection_never_came"), 1u);
    for (const char* side : {"inside", "outside"}) EXPECT_EQ(count(s[side], "reply", "code", 425), 1u) << side;
}

TEST_F(NetfilterKernel, HelperOnPort21DoesNotCoverAServerOn2121) {
    Sides s;
    if (!run("netfilter_port_2121", s)) return;
    EXPECT_EQ(args_of(s["outside"], "PORT"), (std::vector<std::string>{"192,168,1,5,195,80"}));
    EXPECT_EQ(active_data_syns(s["outside"]), (std::vector<std::string>{"203.0.113.10:20 -> 192.168.1.5:50000"}));
    EXPECT_EQ(active_data_syns(s["inside"]), std::vector<std::string>{});
    EXPECT_EQ(count(s["outside"], "reply", "code", 425), 1u);
}

TEST_F(NetfilterKernel, HelperOn2121Rewrites) {
    Sides s;
    if (!run("netfilter_port_2121_helper", s)) return;
    EXPECT_EQ(args_of(s["outside"], "PORT"), (std::vector<std::string>{"203,0,113,1,195,80"}));
    EXPECT_EQ(count(s["outside"], "reply", "code", 425), 0u);
}

TEST_F(NetfilterKernel, PassiveThroughMasqueradeKeepsTheServersAddress) {
    Sides s;
    if (!run("netfilter_masquerade_pasv", s)) return;
    for (const char* side : {"inside", "outside"}) {
        const auto texts = reply_texts(s[side], 227);
        ASSERT_EQ(texts.size(), 1u) << side;
        EXPECT_NE(texts[0].find("(203,0,113,10,156,64)"), std::string::npos) << side << ": " << texts[0];
        EXPECT_EQ(completed(s[side], 48000), 1u) << side;
    }
}

TEST_F(NetfilterKernel, DnatRewritesThe227ToThePublishedAddress) {
    Sides s;
    if (!run("netfilter_dnat_pasv", s)) return;
    const auto inside = reply_texts(s["inside"], 227), outside = reply_texts(s["outside"], 227);
    ASSERT_EQ(inside.size(), 1u);
    ASSERT_EQ(outside.size(), 1u);
    EXPECT_NE(inside[0].find("(10,0,0,10,156,64)"), std::string::npos) << inside[0];
    EXPECT_NE(outside[0].find("(203,0,113,1,156,64)"), std::string::npos) << outside[0];
    for (const char* side : {"inside", "outside"}) EXPECT_EQ(completed(s[side], 48000), 1u) << side;
}

TEST_F(NetfilterKernel, Ipv6EprtRewrittenInFullForm) {
    Sides s;
    if (!run("netfilter_masquerade6_eprt_epsv", s)) return;
    EXPECT_EQ(args_of(s["inside"], "EPRT"), (std::vector<std::string>{"|2|2001:db8:1::5|50100|"}));
    // nf_nat_ftp prints the address with %pI6: every group, four digits each.
    EXPECT_EQ(args_of(s["outside"], "EPRT"), (std::vector<std::string>{"|2|2001:0db8:0002:0000:0000:0000:0000:0001|50100|"}));
    for (const char* side : {"inside", "outside"}) EXPECT_EQ(completed(s[side], 48000), 1u) << side;
}

// A simulated ALG exists only in the virtual network: the kernel backend skips it, exit 77.
TEST_F(NetfilterKernel, SimulatedAlgIsSkippedWithTheReason) {
    const fs::path file = dir_ / "simulated_alg.yaml";
    std::ofstream(file) << "topology:\n"
                           "  hosts: [{name: c, addresses: [192.168.1.5/24]}, {name: s, addresses: [203.0.113.10/24]}]\n"
                           "  router: {name: gw, addresses: [192.168.1.1/24, 203.0.113.1/24],"
                           " nat: {type: masquerade, alg: no_seq_fixup}}\n"
                           "  links: [{between: [c, gw]}, {between: [gw, s]}]\n"
                           "  capture: [{point: inside, host: gw, interface: c}]\n"
                           "server: {host: s}\n"
                           "client: {host: c, steps: [login]}\n";
    const auto r = run_ftpsim({"run", file.string(), "--net", "kernel", "--out", (dir_ / "out").string()}, dir_);
    EXPECT_EQ(r.exit_code, kSkipped) << r.out << r.err;
    EXPECT_NE(r.out.find("runs a simulated ALG (alg: no_seq_fixup)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ftpsim::sim::run
