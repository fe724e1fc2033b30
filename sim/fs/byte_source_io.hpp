// The bytes behind a ByteSource, for the drivers: the engine hands out FileSlices (a confined
// file, an offset, a length) without reading them; a driver that cannot pass them to sendfile(2)
// (the virtual network, which puts every byte into its own segments) reads them here.
#pragma once

#include <string>

#include "sim/engine/actions.hpp"

namespace ftpsim::sim {

// A MemorySlice is copied, a FileSlice read with pread(2). False when the bytes cannot be had
// whole (the file shrank, vanished, or the slice lies outside its buffer).
bool load_bytes(const ByteSource& source, std::string& out);

}  // namespace ftpsim::sim
