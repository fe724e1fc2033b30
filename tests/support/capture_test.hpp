// Analysing built captures: in memory (their frames pushed into analyzer::Analyzer, no file), and
// a test fixture with a private temporary directory (made on first use, removed after the test)
// for what is about files: writing a capture there and analysing it in process or with the
// ftpsim command.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <string>
#include <vector>

#include "decode/analyzer.hpp"
#include "support/cli_runner.hpp"
#include "support/event_collector.hpp"
#include "support/feed_frames.hpp"
#include "support/pcap_builder.hpp"

namespace ftpsim::testsupport {

// The events of a built capture's frames (as a file written with `write` would hold them),
// pushed through Analyzer::put. Warnings name the capture "built-capture".
inline EventCollector analyze_frames(const Capture& capture, const WriteOptions& write = {},
                                     const analyzer::AnalyzeOptions& options = {}) {
    EventCollector events;
    analyzer::Analyzer analyzer(events, options, "built-capture");
    feed_frames(capture, analyzer, write);
    analyzer.finish();
    return events;
}

class CaptureTest : public ::testing::Test {
protected:
    void TearDown() override {
        if (dir_.empty()) return;  // analysed in memory only: no directory was made
        if (std::getenv("FTPSIM_KEEP_TEST_FILES") != nullptr) {  // for looking at the captures
            std::cerr << "kept " << dir_.string() << "\n";
            return;
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    // A file in the test's directory, made on first use.
    std::filesystem::path path(const std::string& name) const { return dir() / name; }

    std::filesystem::path write(const Capture& capture, const std::string& name = "capture.pcap",
                                const WriteOptions& options = {}) const {
        auto p = path(name);
        capture.write(p, options);
        return p;
    }

    static EventCollector analyze_path(const std::filesystem::path& p,
                                       const analyzer::AnalyzeOptions& options = {}) {
        EventCollector events;
        analyzer::analyze_file(p.string(), events, options);
        return events;
    }

    // In memory: no file (analyze_frames).
    static EventCollector analyze(const Capture& capture, const WriteOptions& options = {},
                                  const analyzer::AnalyzeOptions& analyze_options = {}) {
        return analyze_frames(capture, options, analyze_options);
    }
    // Through a file: for what is about reading files (formats, truncated records).
    EventCollector analyze_written(const Capture& capture, const WriteOptions& options = {},
                                   const std::string& name = "capture.pcap") const {
        return analyze_path(write(capture, name, options));
    }

    // `ftpsim analyze [options] <capture>`, its output kept in the test's directory.
    CliResult analyze_cli(const std::filesystem::path& capture,
                          const std::vector<std::string>& options = {}) const {
        std::vector<std::string> args{"analyze"};
        args.insert(args.end(), options.begin(), options.end());
        args.push_back(capture.string());
        return run_ftpsim(args, path(""));
    }

private:
    const std::filesystem::path& dir() const {
        if (dir_.empty()) {
            static std::atomic<unsigned> counter{0};
            const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
            std::string name = std::string("ftpsim-test-") + std::to_string(::getpid()) + "-" +
                               std::to_string(counter++) + "-" + info->name();
            for (char& ch : name)
                if (ch == '/') ch = '_';  // parameterised test names
            dir_ = std::filesystem::temp_directory_path() / name;
            std::filesystem::remove_all(dir_);
            std::filesystem::create_directories(dir_);
        }
        return dir_;
    }

    mutable std::filesystem::path dir_;
};

}  // namespace ftpsim::testsupport
