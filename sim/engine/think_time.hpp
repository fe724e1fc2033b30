// Think time: how long a party takes before it acts. A server reads a command, looks at its
// disk and answers a few milliseconds later; a person at a command-line client reads the reply
// and types the next command seconds later; a GUI client fires its next command after a short
// pause. Drawn uniformly from [min, max] with the injected seed, so a run stays reproducible.
#pragma once

#include "sim/engine/actions.hpp"
#include "sim/engine/prng.hpp"

namespace ftpsim::sim {

struct ThinkTime {
    Nanos min = 0;
    Nanos max = 0;
    bool any() const { return max > 0; }
    Nanos draw(Prng& prng) const {
        if (max <= min) return min;
        return min + static_cast<Nanos>(prng.below(static_cast<std::uint64_t>(max - min) + 1));
    }
};

}  // namespace ftpsim::sim
