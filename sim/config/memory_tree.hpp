// The in-memory file system that `ftpsim serve --config` serves, built from the loaded tree.
#pragma once

#include <memory>

#include "sim/config/server_config_yaml.hpp"
#include "sim/engine/memory_file_system.hpp"

namespace ftpsim::sim::config {

std::unique_ptr<MemoryFileSystem> build_memory_tree(const FileTree& tree);

}  // namespace ftpsim::sim::config
