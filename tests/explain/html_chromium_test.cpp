// render_html() opened in headless Chromium as a person would: the DOM after load holds the
// ladder's lanes and FTP arrows, and the page is valid enough that nothing was dropped; a real
// capture's page has a lane per connection, and its screenshot shows the ladder drawn in colour.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "explain/png_pixels.hpp"
#include "explain/svg_lesson_fixture.hpp"
#include "support/ci.hpp"

namespace ftpsim::explain {
namespace {

namespace fs = std::filesystem;

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return out;
    std::array<char, 65536> buf{};
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) out.append(buf.data(), n);
    ::pclose(pipe);
    return out;
}

std::size_t count(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
    return n;
}

bool have_chromium() { return std::system("command -v chromium >/dev/null 2>&1") == 0; }

#define REQUIRE_CHROMIUM()                                                         \
    do {                                                                           \
        if (!have_chromium()) {                                                    \
            if (testsupport::in_ci()) FAIL() << "chromium is not installed (CI)";  \
            GTEST_SKIP() << "chromium is not installed (scripts/setup installs it)"; \
        }                                                                          \
    } while (0)

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "ftpsim-html-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { std::error_code ec; fs::remove_all(path, ec); }
};

std::string chromium(const TempDir& dir, const std::string& args) {
    return "timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
           "--disable-component-update --disable-sync --no-first-run --user-data-dir=" +
           (dir.path / "profile").string() + " " + args + " 2>/dev/null";
}

TEST(HtmlChromium, DomAfterLoadHasEveryLaneAndFtpArrow) {
    REQUIRE_CHROMIUM();
    TempDir dir;
    Lesson lesson = testing::active_list_lesson();
    lesson.arrows[2].label = "USER <script>document.body.innerHTML=''</script>";
    const fs::path page = dir.path / "lesson.html";
    std::ofstream(page) << render_html(lesson);
    const std::string dom = run(chromium(dir, "--dump-dom file://" + page.string()));
    ASSERT_NE(dom.find("</html>"), std::string::npos) << dom.substr(0, 2000);
    EXPECT_EQ(count(dom, "class=\"lane\""), lesson.lanes.size());
    EXPECT_EQ(count(dom, "class=\"arrow ftp"), 6u);
    EXPECT_EQ(count(dom, "class=\"arrow "), lesson.arrows.size());
    EXPECT_EQ(count(dom, "<tr id=\"f"), lesson.packets.size());
    EXPECT_NE(dom.find("href=\"#f8\""), std::string::npos);
    EXPECT_EQ(count(dom, "<script"), 0u);  // the hostile label stayed text
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Lesson recorded_lesson(const std::string& name) {
    return build_lesson(std::string(FTPSIM_TEST_DATA_DIR) + "/" + name, "", [](const std::string&) {});
}

std::size_t arrows_of(const Lesson& lesson, ArrowKind kind) {
    std::size_t n = 0;
    for (const auto& a : lesson.arrows) n += a.kind == kind;
    return n;
}

// ftp_client_active.pcap: a real client's session (a control connection and five active-mode
// data connections) through build_lesson and render_html, as `ftpsim explain` writes it.
TEST(HtmlChromium, RecordedCaptureHasALanePerConnectionAndAnArrowPerFtpMessage) {
    REQUIRE_CHROMIUM();
    TempDir dir;
    const Lesson lesson = recorded_lesson("ftp_client_active.pcap");
    ASSERT_EQ(lesson.lanes.size(), 6u);
    ASSERT_EQ(lesson.summary.data_connections, 5u);
    const fs::path page = dir.path / "lesson.html";
    std::ofstream(page) << render_html(lesson);
    const std::string dom = run(chromium(dir, "--dump-dom file://" + page.string()));
    ASSERT_NE(dom.find("</html>"), std::string::npos) << dom.substr(0, 2000);
    EXPECT_EQ(count(dom, "class=\"lane\""), 6u);
    EXPECT_EQ(count(dom, "class=\"arrow ftp command"), lesson.summary.commands);
    EXPECT_EQ(count(dom, "class=\"arrow ftp reply"), arrows_of(lesson, ArrowKind::kReply));
    EXPECT_EQ(count(dom, "class=\"arrow data"), arrows_of(lesson, ArrowKind::kData));
    EXPECT_EQ(count(dom, "<tr id=\"f"), lesson.summary.frames);
    EXPECT_NE(dom.find("235*256+17 = 60177"), std::string::npos) << "the first PORT's arithmetic";
}

// What the page looks like, not only what it holds: the screenshot is not blank, and the ladder's
// colours are there in quantity (the control lane and commands blue, replies purple, the data
// lanes and transfers green: analyzer/explain/svg_ladder.hpp).
TEST(HtmlChromium, ScreenshotShowsTheLadderInColour) {
    REQUIRE_CHROMIUM();
    TempDir dir;
    const fs::path page = dir.path / "lesson.html";
    std::ofstream(page) << render_html(recorded_lesson("ftp_client_active.pcap"));
    const fs::path shot = dir.path / "lesson.png";
    run(chromium(dir, "--hide-scrollbars --window-size=1280,1600 --screenshot=" + shot.string() + " file://" +
                          page.string()));
    ASSERT_TRUE(fs::exists(shot)) << "chromium wrote no screenshot";
    const testing::PngPixels png = testing::decode_png(read_all(shot));
    ASSERT_EQ(png.width, 1280u);
    ASSERT_EQ(png.height, 1600u);
    std::size_t ink = 0, blue = 0, purple = 0, green = 0;
    for (const auto& p : png.pixels) {
        if (p.r < 200 || p.g < 200 || p.b < 200) ++ink;
        if (p.b > p.r + 60 && p.b > p.g + 40) ++blue;             // #1f4e9c and its anti-aliasing
        if (p.r > p.g + 60 && p.b > p.g + 50) ++purple;           // #8a1c7c
        if (p.g > p.r + 50 && p.g > p.b + 30) ++green;            // #1e7b34
    }
    const std::size_t total = png.pixels.size();
    EXPECT_GT(ink * 100, total) << "under 1% of the page is drawn: " << ink << " of " << total;
    EXPECT_LT(ink * 2, total) << "over half the page is dark: not a lesson on a white page";
    EXPECT_GT(blue, 2000u);
    EXPECT_GT(purple, 1000u);
    EXPECT_GT(green, 500u);
}

}  // namespace
}  // namespace ftpsim::explain
