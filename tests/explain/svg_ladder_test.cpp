// render_svg(): the ladder is well-formed standalone XML with one lane element per lane, one
// arrow element per arrow, the announce link, and hostile labels escaped.
#include <gtest/gtest.h>

#include "explain/svg_lesson_fixture.hpp"
#include "explain/svg_xml_checker.hpp"

namespace ftpsim::explain {
namespace {

using testing::check_xml;
using testing::count_class;

TEST(SvgLadder, IsWellFormedXmlWithOneElementPerLaneAndArrow) {
    const Lesson lesson = testing::active_list_lesson();
    const std::string svg = render_svg(lesson);
    const auto x = check_xml(svg);
    ASSERT_EQ(x.error, "") << svg;
    ASSERT_FALSE(x.elements.empty());
    EXPECT_EQ(x.elements[0].tag, "svg");
    EXPECT_EQ(x.elements[0].attrs.at("xmlns"), "http://www.w3.org/2000/svg");
    EXPECT_TRUE(x.elements[0].attrs.count("viewBox"));
    EXPECT_TRUE(x.elements[0].attrs.count("width"));
    EXPECT_TRUE(x.elements[0].attrs.count("height"));
    EXPECT_EQ(count_class(x, "g", "lane"), lesson.lanes.size());
    EXPECT_EQ(count_class(x, "g", "arrow"), lesson.arrows.size());
    EXPECT_EQ(count_class(x, "g", "command"), 3u);
    EXPECT_EQ(count_class(x, "g", "reply"), 3u);
    EXPECT_EQ(count_class(x, "g", "tcp"), 2u);
    EXPECT_EQ(count_class(x, "g", "data"), 1u);
    EXPECT_EQ(count_class(x, "path", "announce"), 1u);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
}

TEST(SvgLadder, ArrowsCarryFramesAndTheAnnounceAttribute) {
    const std::string svg = render_svg(testing::active_list_lesson());
    const auto x = check_xml(svg);
    ASSERT_EQ(x.error, "");
    std::size_t announcing = 0;
    for (const auto& e : x.elements) {
        if (e.tag != "g" || !e.attrs.count("class") || e.attrs.at("class").rfind("arrow", 0) != 0) continue;
        EXPECT_TRUE(e.attrs.count("data-frame"));
        if (e.attrs.count("data-announces")) {
            ++announcing;
            EXPECT_EQ(e.attrs.at("data-announces"), "1");
            EXPECT_EQ(e.attrs.at("data-frame"), "8");
        }
    }
    EXPECT_EQ(announcing, 1u);
}

// In active mode the server opens the data connection: its SYN starts at the server's line
// (right) and points to the client's (left).
TEST(SvgLadder, ServerOpenedSynPointsLeft) {
    const std::string svg = render_svg(testing::active_list_lesson());
    const std::size_t g = svg.find("data-frame=\"11\"");
    ASSERT_NE(g, std::string::npos);
    const std::size_t shaft = svg.find("class=\"shaft\"", g);
    ASSERT_NE(shaft, std::string::npos);
    auto attr = [&](const char* name) {
        const std::size_t at = svg.find(std::string(name) + "=\"", shaft);
        return std::stoi(svg.substr(at + std::string(name).size() + 2));
    };
    EXPECT_GT(attr("x1"), attr("x2"));
}

TEST(SvgLadder, HostileLabelsAreEscaped) {
    Lesson lesson = testing::active_list_lesson();
    lesson.title = "<script>alert(1)</script> & \"quotes\" 'too'";
    lesson.arrows[2].label = "USER <script>alert('x')</script> & \x01\x02\x1b[31m\x7f\xff";
    lesson.arrows[2].note = "a note with ]]> and </title>";
    lesson.lanes[1].label = "data <1> & \x07";
    const std::string svg = render_svg(lesson);
    const auto x = check_xml(svg);
    ASSERT_EQ(x.error, "") << svg;
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
    EXPECT_EQ(svg.find('\x01'), std::string::npos);
    EXPECT_EQ(svg.find('\x1b'), std::string::npos);
    EXPECT_EQ(svg.find('\xff'), std::string::npos);
}

TEST(SvgLadder, LongLabelsAreShortenedWithTheFullTextInTheTitle) {
    Lesson lesson = testing::active_list_lesson();
    const std::string long_label = "230-" + std::string(300, 'x') + "END";
    lesson.arrows[1].label = long_label;
    const std::string svg = render_svg(lesson);
    ASSERT_EQ(check_xml(svg).error, "");
    EXPECT_NE(svg.find(long_label), std::string::npos);      // in the <title>
    EXPECT_NE(svg.find("x\xE2\x80\xA6<"), std::string::npos);  // shortened in the <text>
}

TEST(SvgLadder, EmptyLessonStillRenders) {
    const auto x = check_xml(render_svg(Lesson{}));
    EXPECT_EQ(x.error, "");
}

}  // namespace
}  // namespace ftpsim::explain
