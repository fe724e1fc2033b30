// The verdicts on one PORT, EPRT, 227 or 229 seen across the device (all but seq_continuous,
// which needs the whole control connection: judge.cpp).
#pragma once

#include "natcheck/nat_check.hpp"

namespace ftpsim::natcheck {

// `in` / `out`: the announcement on each side, null when that side did not see it.
Item judge_announcement(std::size_t control, const ControlRecord& inside_control,
                        const ControlRecord& outside_control, const Announcement* in, const Announcement* out);

}  // namespace ftpsim::natcheck
