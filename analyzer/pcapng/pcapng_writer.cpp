#include "pcapng/pcapng_writer.hpp"

#include <stdexcept>
#include <string_view>

namespace ftpsim::pcapng {
namespace {

void put_u16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v & 0xff));
    out.push_back(static_cast<char>(v >> 8));
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void pad32(std::string& out) {
    while (out.size() % 4 != 0) out.push_back('\0');
}

// An option (§3.5): code, length of the value without padding, value, padding to 32 bits.
void put_option(std::string& out, std::uint16_t code, std::string_view value) {
    if (value.size() > 0xffff) throw std::length_error("pcapng option longer than 65535 bytes");
    put_u16(out, code);
    put_u16(out, static_cast<std::uint16_t>(value.size()));
    out.append(value);
    pad32(out);
}

void put_end_of_options(std::string& out) {
    put_u16(out, kOptEndOfOpt);
    put_u16(out, 0);
}

// A block (§3.1): type, total length, body, total length again. `out` is 32-bit aligned before
// and after, since every block's length is a multiple of 4.
class Block {
public:
    Block(std::string& out, std::uint32_t type) : out_(out), start_(out.size()) {
        put_u32(out_, type);
        put_u32(out_, 0);  // total length, filled in by finish()
    }
    void finish() {
        const std::size_t total = out_.size() - start_ + 4;
        if (total > 0xffffffffu) throw std::length_error("pcapng block longer than 4 GiB");
        put_u32(out_, static_cast<std::uint32_t>(total));
        std::string length;
        put_u32(length, static_cast<std::uint32_t>(total));
        out_.replace(start_ + 4, 4, length);
    }

private:
    std::string& out_;
    std::size_t start_;
};

}  // namespace

void append_section_header(std::string& out, const SectionHeader& shb) {
    Block block(out, kSectionHeaderBlock);
    put_u32(out, kByteOrderMagic);
    put_u16(out, 1);  // major version
    put_u16(out, 0);  // minor version
    put_u32(out, 0xffffffffu);  // section length -1: not specified (64 bits)
    put_u32(out, 0xffffffffu);
    if (!shb.comment.empty()) put_option(out, kOptComment, shb.comment);
    if (!shb.user_application.empty()) put_option(out, kShbUserAppl, shb.user_application);
    put_end_of_options(out);
    block.finish();
}

void append_interface_description(std::string& out, const InterfaceDescription& idb) {
    Block block(out, kInterfaceDescriptionBlock);
    put_u16(out, idb.link_type);
    put_u16(out, 0);  // reserved
    put_u32(out, idb.snap_length);
    if (!idb.name.empty()) put_option(out, kIfName, idb.name);
    if (!idb.description.empty()) put_option(out, kIfDescription, idb.description);
    const char tsresol = static_cast<char>(kTsresolNanoseconds);
    put_option(out, kIfTsresol, std::string_view(&tsresol, 1));
    put_end_of_options(out);
    block.finish();
}

void append_enhanced_packet(std::string& out, const EnhancedPacket& epb) {
    if (epb.bytes.size() > 0xffffffffu) throw std::length_error("pcapng packet longer than 4 GiB");
    Block block(out, kEnhancedPacketBlock);
    put_u32(out, epb.interface_id);
    // The timestamp is one 64-bit count of if_tsresol units, high half first (§4.3).
    const auto ts = static_cast<std::uint64_t>(epb.time_ns);
    put_u32(out, static_cast<std::uint32_t>(ts >> 32));
    put_u32(out, static_cast<std::uint32_t>(ts & 0xffffffffu));
    put_u32(out, static_cast<std::uint32_t>(epb.bytes.size()));
    put_u32(out, epb.original_length);
    out.append(reinterpret_cast<const char*>(epb.bytes.data()), epb.bytes.size());
    pad32(out);
    if (!epb.comment.empty()) {
        put_option(out, kOptComment, epb.comment);
        put_end_of_options(out);
    }
    block.finish();
}

}  // namespace ftpsim::pcapng
