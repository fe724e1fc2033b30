// `ftpsim run/test --lessons DIR`: beside each capture a run publishes, the lesson an instructor
// hands out with it (analyzer/explain): DIR/<scenario>.<point>.md (Markdown with a Mermaid
// ladder, renders on code hosts) and DIR/<scenario>.<point>.html (one self-contained page with
// the SVG ladder). The lesson is built from the published file itself, so it describes exactly
// the bytes the student opens in Wireshark.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// Writes both files for one capture (each atomically, replacing an older run's: DIR is the run's
// output) and returns their paths. Creates DIR when missing. Throws std::runtime_error naming
// the file that cannot be read or written.
std::vector<std::string> write_lessons(const scenario::Scenario& s, const std::string& point,
                                       const std::string& capture_path, const std::string& lessons_dir,
                                       const std::function<void(const std::string&)>& warn);

}  // namespace ftpsim::sim::run
