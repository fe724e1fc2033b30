// Runs a system tool (ip, ethtool) with an argv array, never through a shell, bounded in time,
// optionally inside a network namespace, and returns its exit status and output.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace ftpsim::sim::netns {

struct CommandResult {
    int exit_code = -1;      // -1 when killed by a signal or timed out
    bool timed_out = false;
    std::string output;      // stdout and stderr interleaved, capped at 64 KiB
};

struct CommandOptions {
    std::chrono::milliseconds timeout{10000};
    // When set, the child joins this network namespace (a name under /var/run/netns) before
    // exec, so tools that act on "the current namespace" (ethtool) act on ours.
    std::string netns;
};

// argv[0] is a bare tool name looked up in /usr/sbin, /sbin, /usr/bin, /bin (not $PATH: the
// tools must be the system's, whatever the environment says). Throws std::runtime_error when the
// tool is missing or fork/pipe fail; a non-zero exit is reported, not thrown.
CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options = {});

// run_command, throwing std::runtime_error naming the command and its output on non-zero exit.
CommandResult run_checked(const std::vector<std::string>& argv, const CommandOptions& options = {});

// "ip -n ns link set x up" for messages.
std::string join_argv(const std::vector<std::string>& argv);

}  // namespace ftpsim::sim::netns
