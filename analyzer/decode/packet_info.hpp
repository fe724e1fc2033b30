// The packet table's Info column, in Wireshark's words: "Request: USER ftpuser",
// "Response: 331 Please specify the password.", "FTP Data: 1460 bytes",
// "[TCP ZeroWindow] 2204 → 20 [ACK] Seq=1 Ack=5841 Win=0 Len=0".
#pragma once

#include <string>

#include "decode/analyzer.hpp"
#include "decode/events.hpp"
#include "tcp/segment.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::analyzer {

struct PacketInfo {
    std::string protocol;
    std::string info;
};

// A control segment shows its first line; a secret argument there (options.secrets, the rule that
// marks command events secret) is masked unless options.show_secrets.
PacketInfo describe_tcp_packet(const tcp::TcpSegment& seg, const tcp::SegmentSummary& summary,
                               ConnRole role, const AnalyzeOptions& options);

}  // namespace ftpsim::analyzer
