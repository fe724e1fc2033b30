// A published capture turned into annotated pcapng (`ftpsim run --format pcapng`): the run writes
// classic pcap as it goes, then each file is copied into OUT/<scenario>.<point>.pcapng with a
// sentence on every packet (analyzer/annotate), the section naming the scenario and the interface
// naming the capture point and where it sits, and the pcap is removed. The virtual network's
// pcapng is as byte-identical per seed as its pcap, and pinned the same way.
#pragma once

#include <functional>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// The pcapng path of a pcap path: x.client.pcap -> x.client.pcapng.
std::string pcapng_path_for(const std::string& pcap_path);

// Writes the pcapng (atomically, replacing an older one: the output directory is the run's),
// removes `pcap_path`, and returns the pcapng's path. Throws std::runtime_error naming the file
// when either cannot be read or written; the pcap is kept then.
std::string publish_annotated(const scenario::Scenario& s, const std::string& point, const std::string& pcap_path,
                              const std::function<void(const std::string&)>& warn);

}  // namespace ftpsim::sim::run
