// On every capture under tests/data, frame by frame, the FTP command, argument and reply code
// the analyzer reports must equal what tshark's FTP dissector prints.
//
// How messages are compared: tshark dissects each TCP segment of the control connection on its
// own and decodes only the segment's first line into ftp.request.command/arg or
// ftp.response.code. The analyzer reassembles the stream and reports every line with the frames
// holding its first and last byte. So, for each frame, the first line that lies wholly in that
// frame is what tshark decodes there; continuation lines of a multi-line reply that carry no
// code (" EPRT") give no code, just as in tshark. A line split across segments is not compared
// in the frames it touches (tshark decodes its pieces as if they were lines); the test counts
// such frames and the recorded fixtures have none.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "decode/analyzer.hpp"
#include "ftp/command.hpp"
#include "ftp/reply.hpp"

namespace {

using namespace ftpsim;

struct FrameView {
    std::string command;  // upper-cased
    std::string arg;
    std::string code;  // "" when none
    bool operator==(const FrameView&) const = default;
};

std::string describe(const FrameView& v) {
    return "command='" + v.command + "' arg='" + v.arg + "' code='" + v.code + "'";
}

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
}

bool have_tshark() { return std::system("tshark --version >/dev/null 2>&1") == 0; }

// tshark's view: frame -> first-line decode, for frames where it decoded anything.
std::map<std::uint64_t, FrameView> tshark_view(const std::string& capture) {
    std::string cmd = "tshark -n -r '" + capture +
                      "' -Y ftp -T fields -E separator=/t -E occurrence=f"
                      " -e frame.number -e ftp.request.command -e ftp.request.arg"
                      " -e ftp.response.code 2>/dev/null";
    std::map<std::uint64_t, FrameView> out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    std::array<char, 65536> buf{};
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr) {
        std::string line(buf.data());
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        std::vector<std::string> f;
        std::size_t start = 0;
        for (;;) {
            auto tab = line.find('\t', start);
            f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        f.resize(4);
        FrameView v{ftp::to_upper_ascii(f[1]), f[2], f[3]};
        if (v == FrameView{}) continue;
        out[std::stoull(f[0])] = v;
    }
    pclose(p);
    return out;
}

class Projection : public analyzer::EventSink {
public:
    void on_event(const analyzer::Event& e) override {
        if (auto* c = std::get_if<analyzer::CommandEvent>(&e.body)) {
            line(c->first_frame, e.frame, FrameView{c->verb, c->arg, ""});
        } else if (auto* r = std::get_if<analyzer::ReplyEvent>(&e.body)) {
            for (std::size_t i = 0; i < r->lines.size() && i < r->line_frames.size(); ++i) {
                auto code = ftp::reply_code_of(r->lines[i]);
                line(r->line_frames[i].first, r->line_frames[i].second,
                     FrameView{"", "", code ? std::to_string(*code) : ""});
            }
        }
    }
    void on_warning(const std::string&) override {}

    std::map<std::uint64_t, FrameView> view;  // frame -> first whole line's decode
    std::set<std::uint64_t> split_frames;      // frames touched by a line split across frames

private:
    void line(std::uint64_t first, std::uint64_t last, FrameView v) {
        if (first != last) {
            for (auto f : {first, last}) split_frames.insert(f);
            return;
        }
        if (seen_.insert(first).second && !(v == FrameView{})) view[first] = v;
    }
    std::set<std::uint64_t> seen_;
};

std::vector<std::string> test_captures() {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(FTPSIM_TEST_DATA_DIR)) {
        auto ext = entry.path().extension().string();
        if (ext == ".pcap" || ext == ".pcapng") out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

class TsharkCrossCheck : public ::testing::TestWithParam<std::string> {};

TEST_P(TsharkCrossCheck, AnalyzerAgreesWithTsharkFrameByFrame) {
    if (!have_tshark()) {
        if (in_ci()) FAIL() << "tshark is not installed (scripts/setup installs it)";
        GTEST_SKIP() << "tshark is not installed: run scripts/setup";
    }
    const std::string capture = GetParam();
    auto expected = tshark_view(capture);
    ASSERT_FALSE(expected.empty()) << "tshark decoded no FTP in " << capture;

    Projection ours;
    analyzer::analyze_file(capture, ours);
    EXPECT_TRUE(ours.split_frames.empty()) << "recorded fixtures are expected to have no split lines";

    std::size_t compared = 0;
    for (const auto& [frame, v] : expected) {
        if (ours.split_frames.count(frame) != 0) continue;
        auto it = ours.view.find(frame);
        ASSERT_NE(it, ours.view.end()) << capture << " frame " << frame << ": tshark has "
                                       << describe(v) << ", the analyzer nothing";
        EXPECT_EQ(it->second, v) << capture << " frame " << frame << ": analyzer "
                                 << describe(it->second) << ", tshark " << describe(v);
        ++compared;
    }
    for (const auto& [frame, v] : ours.view) {
        EXPECT_TRUE(expected.count(frame) != 0 || ours.split_frames.count(frame) != 0)
            << capture << " frame " << frame << ": analyzer has " << describe(v)
            << ", tshark nothing";
    }
    EXPECT_GT(compared, 5u);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TsharkCrossCheck, ::testing::ValuesIn(test_captures()),
                         [](const auto& info) {
                             std::string n = std::filesystem::path(info.param).filename().string();
                             for (auto& ch : n)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return n;
                         });

}  // namespace
