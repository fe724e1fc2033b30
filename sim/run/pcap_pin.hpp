// A virtual-network capture pinned byte for byte: its SHA-256 kept beside the golden file, as
// `HASH  NAME.pcap` (sha256sum's format, so `sha256sum -c` works in the output directory). The
// golden file says the FTP sequence is right; the pin says not one byte moved, which is what a
// lesson quoting frame numbers or a dissector corpus pinned by hash needs. Written only by
// --update-golden, like the golden file.
#pragma once

#include <string>

#include "sim/run/capture_format.hpp"

namespace ftpsim::sim::run {

struct PinOutcome {
    enum class Status { kMatch, kMismatch, kWritten, kUnchanged, kMissing } status = Status::kMissing;
    std::string path;    // the pin file
    std::string actual;  // the capture's SHA-256 (hex)
    std::string pinned;  // what the pin file says ("" when missing)
};

// golden/x.client.golden -> golden/x.client.pcap.sha256 (.pcapng.sha256 for pcapng: the two
// files' bytes differ, and each is pinned on its own)
std::string pin_path_for(const std::string& golden_path, CaptureFormat format = CaptureFormat::kPcap);

// Throws std::runtime_error when the capture cannot be read or the pin cannot be written.
PinOutcome check_pinned_bytes(const std::string& capture, const std::string& pin_path, bool update);

}  // namespace ftpsim::sim::run
