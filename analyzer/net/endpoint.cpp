#include "net/endpoint.hpp"

#include <arpa/inet.h>

namespace ftpsim::net {

bool IpAddress::parse(const std::string& text, IpAddress& out) {
    IpAddress a;
    if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
        out = a;
        return true;
    }
    if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
        a.v6 = true;
        out = a;
        return true;
    }
    return false;
}

std::string IpAddress::str() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
    return buf;
}

std::string Endpoint::str() const {
    // Appended piece by piece: g++ 12 at -O3 warns falsely (-Wrestrict) on chained operator+.
    std::string out;
    if (addr.v6) out += '[';
    out += addr.str();
    if (addr.v6) out += ']';
    out += ':';
    out += std::to_string(port);
    return out;
}

}  // namespace ftpsim::net
