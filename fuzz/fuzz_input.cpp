#include "fuzz_input.hpp"

#include <cstdio>
#include <cstdlib>

namespace ftpsim::fuzz {

void property_failed(const char* what, std::string_view input) {
    std::fprintf(stderr, "property failed: %s (input of %zu bytes: %.*s)\n", what, input.size(),
                 static_cast<int>(input.size() < 200 ? input.size() : 200), input.data());
    std::abort();
}

}  // namespace ftpsim::fuzz
