// render/xml_escape: what JUnit reports put in their attributes and elements stays well-formed XML.
#include <gtest/gtest.h>

#include <string>

#include "render/xml_escape.hpp"

namespace ftpsim::render {
namespace {

TEST(XmlEscape, EscapesMarkupControlBytesAndInvalidUtf8) {
    EXPECT_EQ(xml_escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
    EXPECT_EQ(xml_escape("tab\there\r\n"), "tab\there\r\n");
    EXPECT_EQ(xml_escape(std::string("nul\0esc\x1b", 8)), "nul\\x00esc\\x1B");
    EXPECT_EQ(xml_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA6"), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xA6");
    EXPECT_EQ(xml_escape("latin1 caf\xE9"), "latin1 caf\\xE9");
    EXPECT_EQ(xml_escape("overlong \xC0\xAF"), "overlong \\xC0\\xAF");
    EXPECT_EQ(xml_escape("surrogate \xED\xA0\x80"), "surrogate \\xED\\xA0\\x80");
    EXPECT_EQ(xml_escape("cut \xE2\x82"), "cut \\xE2\\x82");
}

}  // namespace
}  // namespace ftpsim::render
