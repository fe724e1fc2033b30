#include "sim/config/memory_tree.hpp"

namespace ftpsim::sim::config {

std::unique_ptr<MemoryFileSystem> build_memory_tree(const FileTree& tree) {
    auto fs = tree.default_mtime ? std::make_unique<MemoryFileSystem>(*tree.default_mtime)
                                 : std::make_unique<MemoryFileSystem>();
    // Directories first, so that a file's own mtime is not overwritten by an implied parent.
    for (const auto& d : tree.dirs)
        if (d.path != "/") fs->add_dir(d.path, d.mtime);
    for (const auto& f : tree.files) {
        if (f.content)
            fs->add_file(f.path, *f.content, f.mtime);
        else
            fs->add_generated(f.path, f.size, f.seed, f.mtime);
    }
    return fs;
}

}  // namespace ftpsim::sim::config
