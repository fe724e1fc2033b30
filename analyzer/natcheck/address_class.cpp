#include "natcheck/address_class.hpp"

namespace ftpsim::natcheck {

bool is_private(const net::IpAddress& a) {
    const auto& b = a.bytes;
    if (!a.v6)
        return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
               (b[0] == 169 && b[1] == 254);
    return (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
}

}  // namespace ftpsim::natcheck
