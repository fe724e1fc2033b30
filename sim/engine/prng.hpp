// The simulator's only source of randomness (the virtual network's, and the engines' think
// times): splitmix64 (Steele, Lea, Flood 2014), fixed here rather than taken from <random>
// because std:: distributions differ between standard libraries, and a scenario with a seed
// must give the same capture on every machine.
#pragma once

#include <cstdint>

namespace ftpsim::sim {

class Prng {
public:
    explicit Prng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint32_t next32() { return static_cast<std::uint32_t>(next() >> 32); }
    // A value in [0, n): the modulo bias (< n / 2^64) is irrelevant here, and the mapping is
    // ours, so it is the same everywhere. n must not be 0.
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    // An independent stream for a sub-component (a host, a connection).
    Prng fork() { return Prng(next()); }

private:
    std::uint64_t state_;
};

}  // namespace ftpsim::sim
