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
    if (addr.v6) return "[" + addr.str() + "]:" + std::to_string(port);
    return addr.str() + ":" + std::to_string(port);
}

}  // namespace ftpsim::net
