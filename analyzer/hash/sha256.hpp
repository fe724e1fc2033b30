// Streaming SHA-256 over OpenSSL's libcrypto: transfers are hashed as their bytes arrive,
// never buffered whole.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace ftpsim::analyzer {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(std::span<const std::uint8_t> bytes);
    std::string hex_digest();  // finishes the hash; further updates start a new one

private:
    struct Ctx;
    std::unique_ptr<Ctx> ctx_;
};

std::string sha256_hex(std::span<const std::uint8_t> bytes);

}  // namespace ftpsim::analyzer
