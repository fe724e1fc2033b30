// A PNG screenshot's pixels, for tests that look at what a browser drew. Only what Chromium's
// --screenshot writes: 8-bit RGB or RGBA, not interlaced (PNG spec §11.2.2, §8.2). The rows are
// inflated with zlib and unfiltered (§9); anything else is refused with the reason.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ftpsim::explain::testing {

struct Rgb {
    std::uint8_t r, g, b;
};

struct PngPixels {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::vector<Rgb> pixels;  // row by row, width * height
    const Rgb& at(std::uint32_t x, std::uint32_t y) const { return pixels[std::size_t(y) * width + x]; }
};

// Throws std::runtime_error naming what is wrong with `bytes` (the file's contents).
PngPixels decode_png(const std::string& bytes);

}  // namespace ftpsim::explain::testing
