// sim/netns/command: a tool we run holds none of our descriptors. Asio opens sockets without
// close-on-exec, and a child that kept one would keep the socket alive after we closed it (its
// RST then leaves when the tool exits, not when we reset it).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "sim/netns/command.hpp"

namespace ftpsim::sim::netns {
namespace {

TEST(RunCommand, TheChildInheritsOnlyStdio) {
    const int opened = ::socket(AF_INET, SOCK_STREAM, 0);  // no SOCK_CLOEXEC, as Asio's
    ASSERT_GE(opened, 0);
    const int sock = ::fcntl(opened, F_DUPFD, 100);  // above what ls opens itself
    ::close(opened);
    ASSERT_GE(sock, 100);
    // ls lists its own descriptors: 0, 1, 2 and the one it opened to read the directory.
    const CommandResult r = run_command({"ls", "/proc/self/fd"});
    ::close(sock);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::string listed = " " + r.output;
    for (char& c : listed) c = c == '\n' ? ' ' : c;
    EXPECT_EQ(listed.find(" " + std::to_string(sock) + " "), std::string::npos) << listed;
    EXPECT_NE(listed.find("0 1 2 "), std::string::npos) << listed;
}

}  // namespace
}  // namespace ftpsim::sim::netns
