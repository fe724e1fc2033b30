// The file format a scenario run publishes its captures in: classic pcap (what libpcap and every
// tool reads), or pcapng with a comment on every packet that explains it (annotated_capture.hpp),
// for a lesson opened in Wireshark.
#pragma once

#include <string>

namespace ftpsim::sim::run {

enum class CaptureFormat { kPcap, kPcapng };

// "pcap" or "pcapng": the file extension, and the --format value.
inline std::string extension_of(CaptureFormat f) { return f == CaptureFormat::kPcapng ? "pcapng" : "pcap"; }

}  // namespace ftpsim::sim::run
