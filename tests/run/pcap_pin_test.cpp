// A capture pinned by its SHA-256 beside the golden file: written only on update, in
// sha256sum's format, matched byte for byte, a single changed byte reported with both hashes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/run/pcap_pin.hpp"
#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using S = PinOutcome::Status;

TEST(PcapPin, PathSitsBesideTheGoldenFile) {
    EXPECT_EQ(pin_path_for("golden/x.client.golden"), "golden/x.client.pcap.sha256");
    EXPECT_EQ(pin_path_for("out/odd"), "out/odd.pcap.sha256");
    EXPECT_EQ(pin_path_for("golden/x.client.golden", CaptureFormat::kPcapng), "golden/x.client.pcapng.sha256");
}

TEST(PcapPin, WrittenOnUpdateMatchedAfterwardsAndAChangedByteDiffers) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-pin-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string capture = (dir / "s.client.pcap").string(), pin = (dir / "s.client.pcap.sha256").string();
    std::ofstream(capture, std::ios::binary) << std::string("abc");

    EXPECT_EQ(check_pinned_bytes(capture, pin, false).status, S::kMissing);
    EXPECT_FALSE(fs::exists(pin));  // only an update writes
    const PinOutcome written = check_pinned_bytes(capture, pin, true);
    EXPECT_EQ(written.status, S::kWritten);
    // SHA-256("abc"), FIPS 180-2 appendix B.1, in sha256sum's line format.
    const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    EXPECT_EQ(testsupport::read_file(pin), abc + "  s.client.pcap\n");
    EXPECT_EQ(check_pinned_bytes(capture, pin, false).status, S::kMatch);
    EXPECT_EQ(check_pinned_bytes(capture, pin, true).status, S::kUnchanged);

    std::ofstream(capture, std::ios::binary) << std::string("abd");
    const PinOutcome differs = check_pinned_bytes(capture, pin, false);
    EXPECT_EQ(differs.status, S::kMismatch);
    EXPECT_EQ(differs.pinned, abc);
    EXPECT_NE(differs.actual, abc);
    EXPECT_EQ(testsupport::read_file(pin), abc + "  s.client.pcap\n");  // a check never writes
    EXPECT_THROW(check_pinned_bytes((dir / "missing.pcap").string(), pin, false), std::runtime_error);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ftpsim::sim::run
