// The NAT check's report as people, programs, CI and golden files read it
// (docs/nat-check.md).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "natcheck/nat_check.hpp"

namespace ftpsim::natcheck {

// One line per item ("FAIL c1 PORT inside ... outside ... not rewritten: no_private_leak: ..."),
// then one line with the overall verdict.
std::string report_text(const Report& r);

// The JSON document (schema "ftpsim-nat-check" version 1, docs/nat-check.md).
nlohmann::ordered_json report_json(const Report& r);

// JUnit XML: one testsuite, one testcase per item (a failing check is a <failure>, an item
// whose checks are all skipped is <skipped/>).
std::string report_junit(const Report& r);
// Writes report_junit to `path` atomically (golden::AtomicFile). Throws std::runtime_error.
void write_junit(const Report& r, const std::string& path);

// The deterministic form for golden files and scenario expectations: one line per item with
// kind, both values, treatment and every check's verdict; no frame numbers, times, paths or
// details; ephemeral ports (1024 and up, unless in keep_ports) named <p1>, <p2> ... in order
// of first appearance, as the analyzer's golden form does.
std::string report_golden(const Report& r, const std::set<std::uint16_t>& keep_ports = {});

// "PORT", "EPRT", "227", "229", "control" for an item kind.
std::string kind_label(const std::string& kind);

}  // namespace ftpsim::natcheck
