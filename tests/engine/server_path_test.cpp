// resolve_path: how a command's path argument joins the working directory, and why `..` can
// never climb above the server's root.
#include <gtest/gtest.h>

#include "sim/engine/file_system.hpp"

namespace ftpsim::sim {
namespace {

TEST(ServerPath, JoinsRelativeArgumentsToTheWorkingDirectory) {
    EXPECT_EQ(resolve_path("/", "a.txt"), "/a.txt");
    EXPECT_EQ(resolve_path("/pub", "a.txt"), "/pub/a.txt");
    EXPECT_EQ(resolve_path("/pub", "sub/b"), "/pub/sub/b");
    EXPECT_EQ(resolve_path("/pub", ""), "/pub");
    EXPECT_EQ(resolve_path("/pub", "."), "/pub");
}

TEST(ServerPath, AbsoluteArgumentsIgnoreTheWorkingDirectory) {
    EXPECT_EQ(resolve_path("/pub", "/etc/passwd"), "/etc/passwd");
    EXPECT_EQ(resolve_path("/pub", "/"), "/");
}

TEST(ServerPath, DotDotNeverClimbsAboveTheRoot) {
    EXPECT_EQ(resolve_path("/pub", ".."), "/");
    EXPECT_EQ(resolve_path("/pub", "../.."), "/");
    EXPECT_EQ(resolve_path("/", "../../../etc/passwd"), "/etc/passwd");
    EXPECT_EQ(resolve_path("/a/b", "../c"), "/a/c");
    EXPECT_EQ(resolve_path("/a/b", "/../../x/../y"), "/y");
    EXPECT_EQ(resolve_path("/a", "b/../../.."), "/");
}

TEST(ServerPath, RepeatedAndTrailingSlashesCollapse) {
    EXPECT_EQ(resolve_path("/", "//a///b//"), "/a/b");
    EXPECT_EQ(resolve_path("//pub//", "x"), "/pub/x");
    EXPECT_EQ(resolve_path("/", "./a/./b/."), "/a/b");
    EXPECT_EQ(resolve_path("/", "..."), "/...");  // a name, not a parent
}

}  // namespace
}  // namespace ftpsim::sim
