// Helpers of the sans-IO contract (actions.hpp).
#include "sim/engine/actions.hpp"

namespace ftpsim::sim {

std::uint64_t source_length(const ByteSource& s) {
    return std::visit([](const auto& slice) { return slice.length; }, s);
}

}  // namespace ftpsim::sim
