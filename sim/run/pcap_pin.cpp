#include "sim/run/pcap_pin.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "golden/atomic_file.hpp"
#include "hash/sha256.hpp"

namespace ftpsim::sim::run {

namespace {

std::string file_sha256(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot read the capture to hash it");
    analyzer::Sha256 h;
    std::array<char, 1 << 16> buf{};
    while (in.read(buf.data(), buf.size()) || in.gcount() > 0)
        h.update({reinterpret_cast<const std::uint8_t*>(buf.data()), static_cast<std::size_t>(in.gcount())});
    return h.hex_digest();
}

// The hash of a "HASH  NAME" line, or "" for a missing or unreadable file.
std::string read_pin(const std::string& path) {
    std::ifstream in(path);
    std::string hash;
    in >> hash;
    return hash;
}

}  // namespace

std::string pin_path_for(const std::string& golden_path, CaptureFormat format) {
    const std::string suffix = ".golden";
    const bool ends = golden_path.size() >= suffix.size() &&
                      golden_path.compare(golden_path.size() - suffix.size(), suffix.size(), suffix) == 0;
    return (ends ? golden_path.substr(0, golden_path.size() - suffix.size()) : golden_path) + "." + extension_of(format) +
           ".sha256";
}

PinOutcome check_pinned_bytes(const std::string& capture, const std::string& pin_path, bool update) {
    using S = PinOutcome::Status;
    PinOutcome o;
    o.path = pin_path;
    o.actual = file_sha256(capture);
    o.pinned = read_pin(pin_path);
    if (!update) {
        o.status = o.pinned.empty() ? S::kMissing : o.pinned == o.actual ? S::kMatch : S::kMismatch;
        return o;
    }
    if (o.pinned == o.actual) {
        o.status = S::kUnchanged;
        return o;
    }
    golden::create_parent_directories(pin_path);
    golden::write_file_atomically(pin_path,
                                  o.actual + "  " + std::filesystem::path(capture).filename().string() + "\n");
    o.status = S::kWritten;
    return o;
}

}  // namespace ftpsim::sim::run
