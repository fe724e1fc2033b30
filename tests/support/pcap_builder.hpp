// Scripted TCP conversations written as capture files, for analyzer tests.
//
// A Capture holds packets in capture order; Connections append to it while tracking each side's
// sequence numbers. Tests may reorder, drop or duplicate packets before writing. Timestamps are
// given when the file is written: start + index * step (1 ms), unless a packet fixes its own.
// Files are written by libtins' PacketWriter (plain Ethernet pcap) or by hand (other link types,
// pcapng, snap-length cuts and a truncated last record).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ftpsim::testsupport {

inline constexpr bool kFromClient = true;
inline constexpr bool kFromServer = false;

// TCP flag bits as on the wire.
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;

struct Ep {
    std::string addr;  // "192.168.1.5" or "2001:db8::5"
    std::uint16_t port = 0;
    bool v6() const { return addr.find(':') != std::string::npos; }
};

struct BuiltPacket {
    std::vector<std::uint8_t> ip;  // the whole IPv4/IPv6 packet: headers, TCP, payload
    bool v6 = false;
    std::size_t conn = 0;  // index of the Connection that sent it, in creation order
    bool from_client = true;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::string payload;
    std::optional<std::size_t> captured_ip_bytes;  // cut by the snap length to this many IP bytes
    std::optional<std::int64_t> time_ns;           // fixed timestamp instead of the computed one
};

enum class LinkType {
    kEthernet,      // DLT 1, written with libtins' PacketWriter when nothing needs hand-writing
    kEthernetVlan,  // DLT 1 with an 802.1Q tag (VLAN 100)
    kLinuxSll,      // DLT 113
    kLinuxSll2,     // DLT 276
    kRawIp,         // LINKTYPE_RAW 101
    kBsdLoopback,   // DLT 0, address family in little-endian host order (2 / 30)
    kIeee80211,     // DLT 105: not supported by the analyzer (records are raw IP bytes)
};

enum class FileFormat { kPcap, kPcapng };

struct WriteOptions {
    LinkType link = LinkType::kEthernet;
    FileFormat format = FileFormat::kPcap;
    // Keep only this many bytes of the last record's data although its header promises all.
    std::optional<std::size_t> truncate_last_record = std::nullopt;
    std::int64_t start_ns = 1'700'000'000'000'000'000;  // 2023-11-14T22:13:20Z
    std::int64_t step_ns = 1'000'000;
};

// One record as a capture file written with the same options holds it: link-layer header, the
// bytes kept (snap length), the time at the file's microsecond resolution. For feeding
// analyzer::Analyzer::put without a file.
struct BuiltFrame {
    int link_type = 1;  // LINKTYPE_*
    std::int64_t time_ns = 0;
    std::uint32_t wire_length = 0;
    std::vector<std::uint8_t> bytes;
};

struct HandshakeOptions {
    std::uint16_t mss = 1460;
    std::optional<std::uint8_t> window_scale = 7;
};

class Capture;

class Connection {
public:
    Connection(Capture& capture, std::size_t id, Ep client, Ep server, std::uint32_t client_isn,
               std::uint32_t server_isn);

    // SYN (MSS, window scale), SYN-ACK, ACK. Returns the index of the SYN.
    std::size_t handshake(const HandshakeOptions& options = {});
    // Data from one side in segments of at most mss() bytes, each acknowledging everything the
    // other side sent. Returns the index of the first segment.
    std::size_t send(std::string_view data, bool from_client);
    // A pure ACK of everything the other side sent.
    std::size_t ack(bool from_client);
    // A pure ACK with a chosen acknowledgment number (duplicate ACKs after a loss).
    std::size_t ack_at(bool from_client, std::uint32_t ack);
    // A segment with a chosen sequence number (retransmission, overlap, probe). The side's next
    // sequence number moves only when `advance` is set and the segment ends beyond it.
    std::size_t segment(bool from_client, std::uint32_t seq, std::string_view data,
                        std::uint8_t flags = kPsh | kAck, bool advance = false);
    std::size_t fin(bool from_client);
    std::size_t rst(bool from_client);
    // FIN from one side, FIN-ACK from the other, last ACK. Returns the index of the first FIN.
    std::size_t close(bool client_first = true);

    void set_window(bool from_client, std::uint16_t window) { window_[side(from_client)] = window; }
    void set_mss(std::uint16_t mss) { mss_ = mss; }
    std::uint16_t mss() const { return mss_; }
    std::uint32_t next_seq(bool from_client) const { return next_[side(from_client)]; }
    // Pretend the side already sent `n` bytes (a capture that starts mid-connection).
    void skip(bool from_client, std::uint32_t n) { next_[side(from_client)] += n; }
    const Ep& client() const { return client_; }
    const Ep& server() const { return server_; }
    std::size_t id() const { return id_; }

private:
    static int side(bool from_client) { return from_client ? 0 : 1; }
    std::size_t emit(bool from_client, std::uint32_t seq, std::uint8_t flags, std::string_view data,
                     bool syn_options, std::optional<std::uint32_t> ack = std::nullopt);

    Capture& capture_;
    std::size_t id_;
    Ep client_, server_;
    std::uint32_t next_[2];
    std::uint16_t window_[2] = {65535, 65535};
    std::uint16_t mss_ = 1460;
    HandshakeOptions syn_options_;
    std::uint16_t ip_id_ = 1;
};

class Capture {
public:
    Capture();
    ~Capture();
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    Connection& connect(const Ep& client, const Ep& server, std::uint32_t client_isn = 1'000'000,
                        std::uint32_t server_isn = 3'000'000);
    // Appends a copy of packets[index] (a retransmission). Returns the new index.
    std::size_t duplicate(std::size_t index);
    std::size_t size() const { return packets.size(); }

    // Throws std::runtime_error when the file cannot be written.
    void write(const std::filesystem::path& path, const WriteOptions& options = {}) const;
    // The records write() would put in the file (options.format and truncate_last_record, which
    // are about the file, do not apply).
    std::vector<BuiltFrame> frames(const WriteOptions& options = {}) const;

    std::vector<BuiltPacket> packets;

private:
    std::vector<std::unique_ptr<Connection>> conns_;  // stable addresses for the references
};

// Builds an IPv4 or IPv6 packet carrying one TCP segment (checksums filled in by libtins).
std::vector<std::uint8_t> build_ip_packet(const Ep& src, const Ep& dst, std::uint32_t seq,
                                          std::uint32_t ack, std::uint8_t flags,
                                          std::uint16_t window, std::string_view payload,
                                          const std::optional<HandshakeOptions>& syn_options,
                                          std::uint16_t ip_id);

}  // namespace ftpsim::testsupport
