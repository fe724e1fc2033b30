// PORT/227 (RFC 959 §4.1.2, §4.2.2) and EPRT/229 (RFC 2428 §2, §3) codecs. Properties, both
// ways round: what the encoder writes the decoder reads back as the same endpoint; and whatever
// the decoder accepts from arbitrary text, encoded again, decodes to the same endpoint.
#include <cstdint>
#include <cstring>
#include <string>

#include "ftp/address_codec.hpp"
#include "fuzz_input.hpp"

namespace {

using ftpsim::fuzz::property_failed;
using ftpsim::net::Endpoint;

void round_trip_port(const Endpoint& e, std::string_view input) {
    const auto back = ftpsim::ftp::parse_port_argument(ftpsim::ftp::format_port_argument(e));
    if (!back || *back != e) property_failed("PORT: the encoded endpoint does not decode back", input);
    const auto pasv = ftpsim::ftp::find_pasv_endpoint(ftpsim::ftp::format_pasv_text(e));
    if (!pasv || pasv->endpoint != e) property_failed("227: the encoded endpoint does not decode back", input);
}

void round_trip_eprt(const Endpoint& e, std::string_view input) {
    const auto back = ftpsim::ftp::parse_eprt_argument(ftpsim::ftp::format_eprt_argument(e));
    if (!back || *back != e) property_failed("EPRT: the encoded endpoint does not decode back", input);
    const auto epsv = ftpsim::ftp::find_epsv_port(ftpsim::ftp::format_epsv_text(e.port));
    if (!epsv || epsv->endpoint.port != e.port) property_failed("229: the encoded port does not decode back", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // Encoder first: an endpoint made of the input's first bytes.
    if (size >= 19) {
        Endpoint v4;
        v4.addr = ftpsim::net::IpAddress::from_v4_bytes(data);
        v4.port = static_cast<std::uint16_t>(data[4] << 8 | data[5]);
        round_trip_port(v4, text);
        round_trip_eprt(v4, text);
        Endpoint v6;
        v6.addr = ftpsim::net::IpAddress::from_v6_bytes(data + 1);
        v6.port = static_cast<std::uint16_t>(data[17] << 8 | data[18]);
        round_trip_eprt(v6, text);
    }

    // Decoder first: whatever it accepts survives a second trip.
    if (auto e = ftpsim::ftp::parse_port_argument(text)) round_trip_port(*e, text);
    if (auto f = ftpsim::ftp::find_pasv_endpoint(text)) {
        if (f->pos + f->len > size) property_failed("227: the found endpoint lies outside the text", text);
        round_trip_port(f->endpoint, text);
    }
    if (auto e = ftpsim::ftp::parse_eprt_argument(text)) round_trip_eprt(*e, text);
    if (auto f = ftpsim::ftp::find_epsv_port(text)) {
        if (f->pos + f->len > size) property_failed("229: the found port lies outside the text", text);
    }
    (void)ftpsim::ftp::find_announced_size(text);
    return 0;
}
