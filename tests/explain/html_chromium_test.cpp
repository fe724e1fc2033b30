// render_html() opened in headless Chromium as a person would: the DOM after load holds the
// ladder's lanes and FTP arrows, and the page is valid enough that nothing was dropped.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

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

}  // namespace
}  // namespace ftpsim::explain
