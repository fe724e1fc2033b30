// Reading a fuzzer's input as a sequence of choices (like libFuzzer's FuzzedDataProvider, which
// Debian ships only inside clang's headers): every read is bounded by what is left, so any input
// is a valid program for the targets that interpret it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ftpsim::fuzz {

class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    bool empty() const { return at_ >= size_; }
    std::uint8_t byte() { return empty() ? 0 : data_[at_++]; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
    // Bytes up to and including the next '\n', or to the end: control text stays readable in a
    // seed file and in the dictionary's mutations.
    std::span<const std::uint8_t> line() {
        const std::size_t start = at_;
        while (at_ < size_ && data_[at_++] != '\n') {
        }
        return {data_ + start, at_ - start};
    }
    std::span<const std::uint8_t> bytes(std::size_t n) {
        const std::size_t start = at_;
        at_ += n < size_ - at_ ? n : size_ - at_;
        return {data_ + start, at_ - start};
    }
    std::span<const std::uint8_t> rest() { return bytes(size_ - at_); }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

inline std::string_view text_of(std::span<const std::uint8_t> b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// A failed property: abort, so that libFuzzer (and the replay test) report the input.
[[noreturn]] void property_failed(const char* what, std::string_view input);

}  // namespace ftpsim::fuzz
