// What the explain tests share: the recorded captures, the analyzer's own counts of a capture
// (what the lesson must agree with), and a scratch directory per test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <string>

#include "decode/analyzer.hpp"
#include "support/event_collector.hpp"

namespace ftpsim::testsupport {

inline std::string data_file(const std::string& name) {
    return std::string(FTPSIM_TEST_DATA_DIR) + "/" + name;
}

struct AnalyzerCounts {
    std::size_t connections = 0, commands = 0, replies = 0;
};

inline AnalyzerCounts analyzer_counts(const std::string& path) {
    EventCollector c;
    analyzer::analyze_file(path, c);
    return {c.of<analyzer::ConnOpen>().size(), c.of<analyzer::CommandEvent>().size(),
            c.of<analyzer::ReplyEvent>().size()};
}

class ScratchDirTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("ftpsim-explain-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

}  // namespace ftpsim::testsupport
