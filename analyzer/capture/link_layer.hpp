// Finds the IP header behind a frame's link-layer header, for the link types real FTP captures
// come in. Done by hand because libtins 4.0 knows neither Linux cooked v2 nor raw-IP captures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace ftpsim::capture {

struct NetworkLayer {
    int ip_version = 0;      // 4 or 6; 0 for a non-IP frame (ARP, LLDP ...)
    std::size_t offset = 0;  // where the IP header starts
    std::uint16_t ethertype = 0;  // for non-IP frames, to name them in the packet table
};

bool link_layer_supported(int dlt);
// nullopt: the frame is shorter than its link-layer header.
std::optional<NetworkLayer> locate_network_layer(int dlt, std::span<const std::uint8_t> frame);

}  // namespace ftpsim::capture
