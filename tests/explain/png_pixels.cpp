#include "explain/png_pixels.hpp"

#include <zlib.h>

#include <cstdlib>
#include <stdexcept>

namespace ftpsim::explain::testing {

namespace {

std::uint32_t be32(const std::string& b, std::size_t at) {
    return (std::uint32_t(std::uint8_t(b[at])) << 24) | (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}

std::string inflate_all(const std::string& in, std::size_t expected) {
    std::string out(expected, '\0');
    uLongf out_len = static_cast<uLongf>(expected);
    const int rc = ::uncompress(reinterpret_cast<Bytef*>(out.data()), &out_len,
                                reinterpret_cast<const Bytef*>(in.data()), static_cast<uLong>(in.size()));
    if (rc != Z_OK) throw std::runtime_error("PNG: the image data does not inflate (zlib " + std::to_string(rc) + ")");
    if (out_len != expected)
        throw std::runtime_error("PNG: " + std::to_string(out_len) + " bytes of image data, expected " +
                                 std::to_string(expected));
    return out;
}

// The Paeth predictor (PNG §9.4).
std::uint8_t paeth(int a, int b, int c) {
    const int p = a + b - c;
    const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    if (pa <= pb && pa <= pc) return std::uint8_t(a);
    return std::uint8_t(pb <= pc ? b : c);
}

}  // namespace

PngPixels decode_png(const std::string& bytes) {
    static const std::string signature = "\x89PNG\r\n\x1a\n";
    if (bytes.compare(0, signature.size(), signature) != 0) throw std::runtime_error("PNG: no PNG signature");
    PngPixels png;
    int channels = 0;
    std::string idat;
    for (std::size_t at = signature.size(); at + 12 <= bytes.size();) {
        const std::uint32_t length = be32(bytes, at);
        const std::string type = bytes.substr(at + 4, 4);
        if (at + 12 + length > bytes.size()) throw std::runtime_error("PNG: chunk " + type + " runs past the file");
        const std::size_t data = at + 8;
        if (type == "IHDR") {
            png.width = be32(bytes, data);
            png.height = be32(bytes, data + 4);
            const int depth = std::uint8_t(bytes[data + 8]), colour = std::uint8_t(bytes[data + 9]);
            const int interlace = std::uint8_t(bytes[data + 12]);
            if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0)
                throw std::runtime_error("PNG: only 8-bit RGB/RGBA without interlace is read here");
            channels = colour == 2 ? 3 : 4;
        } else if (type == "IDAT") {
            idat.append(bytes, data, length);
        } else if (type == "IEND") {
            break;
        }
        at += 12 + length;
    }
    if (channels == 0) throw std::runtime_error("PNG: no IHDR chunk");
    const std::size_t stride = std::size_t(png.width) * channels;
    const std::string raw = inflate_all(idat, (stride + 1) * png.height);

    std::vector<std::uint8_t> prev(stride, 0), row(stride);
    png.pixels.reserve(std::size_t(png.width) * png.height);
    for (std::uint32_t y = 0; y < png.height; ++y) {
        const std::size_t base = y * (stride + 1);
        const int filter = std::uint8_t(raw[base]);
        for (std::size_t i = 0; i < stride; ++i) {
            const int x = std::uint8_t(raw[base + 1 + i]);
            const int a = i >= std::size_t(channels) ? row[i - channels] : 0;
            const int b = prev[i];
            const int c = i >= std::size_t(channels) ? prev[i - channels] : 0;
            switch (filter) {  // PNG §9.2
                case 0: row[i] = std::uint8_t(x); break;
                case 1: row[i] = std::uint8_t(x + a); break;
                case 2: row[i] = std::uint8_t(x + b); break;
                case 3: row[i] = std::uint8_t(x + (a + b) / 2); break;
                case 4: row[i] = std::uint8_t(x + paeth(a, b, c)); break;
                default: throw std::runtime_error("PNG: row " + std::to_string(y) + " has unknown filter " +
                                                  std::to_string(filter));
            }
        }
        for (std::size_t px = 0; px < png.width; ++px)
            png.pixels.push_back({row[px * channels], row[px * channels + 1], row[px * channels + 2]});
        prev.swap(row);
    }
    return png;
}

}  // namespace ftpsim::explain::testing
