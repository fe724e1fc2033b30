// A pcapng writer (libpcap reads pcapng but cannot write it): the blocks a capture with a comment
// on every packet needs, as the IETF draft "PCAP Next Generation (pcapng) Capture File Format"
// lays them out. I/O-free: each function appends one block's bytes to a buffer; whoever holds the
// buffer decides where it goes (pcapng_file.hpp writes it to a file atomically).
//
// Every block is little-endian (the Section Header Block's byte-order magic says so), padded to
// 32 bits, and its options end with opt_endofopt.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace ftpsim::pcapng {

// Block types and option codes of the draft (§4, §3.5).
inline constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
inline constexpr std::uint32_t kInterfaceDescriptionBlock = 0x00000001;
inline constexpr std::uint32_t kEnhancedPacketBlock = 0x00000006;
inline constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
inline constexpr std::uint16_t kOptEndOfOpt = 0, kOptComment = 1;
inline constexpr std::uint16_t kShbUserAppl = 4;
inline constexpr std::uint16_t kIfName = 2, kIfDescription = 3, kIfTsresol = 9;
// if_tsresol 9: timestamps count 10^-9 s, the analyzer's nanoseconds.
inline constexpr std::uint8_t kTsresolNanoseconds = 9;

struct SectionHeader {
    std::string user_application = "ftpsim";  // shb_userappl
    std::string comment;                      // opt_comment; none when empty
};

struct InterfaceDescription {
    std::uint16_t link_type = 1;  // LINKTYPE_*
    std::uint32_t snap_length = 262144;
    std::string name;         // if_name; none when empty
    std::string description;  // if_description; none when empty
};

struct EnhancedPacket {
    std::uint32_t interface_id = 0;  // index of its Interface Description Block in the section
    std::int64_t time_ns = 0;        // since the Unix epoch (if_tsresol is nanoseconds)
    std::uint32_t original_length = 0;
    std::span<const std::uint8_t> bytes;  // captured bytes
    std::string comment;                  // opt_comment; none when empty
};

// Section length is written as -1 ("not specified"), so blocks may follow in any number.
void append_section_header(std::string& out, const SectionHeader& shb);
// Always writes if_tsresol = nanoseconds.
void append_interface_description(std::string& out, const InterfaceDescription& idb);
void append_enhanced_packet(std::string& out, const EnhancedPacket& epb);

}  // namespace ftpsim::pcapng
