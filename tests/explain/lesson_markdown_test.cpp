// render_markdown(): the Mermaid block parsed back line by line (mermaid_subset_parser.hpp),
// one message per arrow, and the tables' cells escaped, on recorded captures and on a lesson
// built by hand with every character that could break the document.
#include <gtest/gtest.h>

#include <algorithm>

#include "explain/explain_test_support.hpp"
#include "explain/lesson.hpp"
#include "explain/mermaid_diagram.hpp"
#include "explain/mermaid_subset_parser.hpp"
#include "support/cli_runner.hpp"

namespace ftpsim::testsupport {
namespace {

using explain::Arrow;
using explain::ArrowKind;
using explain::Lesson;

// Splits a Markdown table row on the '|' that are not escaped.
std::vector<std::string> cells(const std::string& row) {
    std::vector<std::string> out;
    std::string cell;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '\\' && i + 1 < row.size()) {
            cell += row.substr(i, 2);
            ++i;
        } else if (row[i] == '|') {
            out.push_back(cell);
            cell.clear();
        } else {
            cell += row[i];
        }
    }
    out.push_back(cell);
    return out;  // with the empty cells before the first and after the last '|'
}

std::vector<std::string> packet_rows(const std::string& md) {
    std::vector<std::string> rows;
    const auto start = md.find("## Packets");
    const auto end = md.find("\n## ", start + 1);
    for (const std::string& line : lines_of(md.substr(start, end - start)))
        if (!line.empty() && line.front() == '|' && line.find("| No. |") != 0 && line.find("| ---") != 0)
            rows.push_back(line);
    return rows;
}

class EveryCaptureMarkdown : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryCaptureMarkdown, EveryMermaidLineParsesAndEachArrowIsOneMessage) {
    const Lesson l = explain::build_lesson(data_file(GetParam()), "", {});
    const std::string md = explain::render_markdown(l);
    const MermaidDiagram d = parse_mermaid_subset(mermaid_block(md));
    for (const std::string& e : d.errors) ADD_FAILURE() << e;
    EXPECT_EQ(d.messages.size(), l.arrows.size());
    EXPECT_EQ(d.participants.size(), 2 * l.lanes.size());
    std::size_t announcements = 0;
    for (const Arrow& a : l.arrows) announcements += a.announces.has_value();
    EXPECT_EQ(d.notes.size(), announcements);
    for (const std::string& n : d.notes) EXPECT_NE(n.find(" announces the data connection to :"), std::string::npos) << n;
    // Wireshark's seven columns and the sentence, once per frame.
    const auto rows = packet_rows(md);
    EXPECT_EQ(rows.size(), l.packets.size());
    for (const std::string& r : rows) EXPECT_EQ(cells(r).size(), 10u) << r;
}

INSTANTIATE_TEST_SUITE_P(RecordedCaptures, EveryCaptureMarkdown,
                         ::testing::Values("curl_passive_ipv4.pcap", "curl_eprt_ipv6.pcap",
                                           "ftp_client_active.pcap", "lftp_mirror.pcap"),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::replace(n.begin(), n.end(), '.', '_');
                             return n;
                         });

TEST(LessonMarkdown, ThePortAnnouncementIsANote) {
    const Lesson l = explain::build_lesson(data_file("ftp_client_active.pcap"), "", {});
    const MermaidDiagram d = parse_mermaid_subset(mermaid_block(explain::render_markdown(l)));
    ASSERT_FALSE(d.notes.empty());
    EXPECT_EQ(d.notes.front().rfind("PORT announces the data connection to :", 0), 0u) << d.notes.front();
    EXPECT_EQ(d.participants.at(0).second.rfind("client :", 0), 0u);
    EXPECT_EQ(d.participants.at(1).second, "server :21 (control)");
    EXPECT_EQ(d.participants.at(3).second.rfind("server :20 (data 1: LIST", 0), 0u) << d.participants.at(3).second;
}

Lesson awkward_lesson() {
    Lesson l;
    l.title = "Lesson: a|b_c*.pcap";
    explain::Lane lane;
    lane.role = analyzer::ConnRole::kFtpControl;
    lane.label = "control";
    net::IpAddress::parse("192.168.1.5", lane.client_end.addr);
    lane.client_end.port = 2203;
    net::IpAddress::parse("192.168.1.10", lane.server_end.addr);
    lane.server_end.port = 21;
    l.lanes.push_back(lane);
    Arrow cmd;
    cmd.kind = ArrowKind::kCommand;
    cmd.first_frame = cmd.last_frame = 4;
    cmd.label = "CWD a;b #1 <x> |y|\nz";
    l.arrows.push_back(cmd);
    Arrow reply = cmd;
    reply.kind = ArrowKind::kReply;
    reply.from_client = false;
    reply.label = "250 ok; #done";
    l.arrows.push_back(reply);
    explain::PacketRow row;
    row.frame = 4;
    row.source = "192.168.1.5";
    row.destination = "192.168.1.10";
    row.protocol = "FTP";
    row.info = "Request: CWD a|b";
    row.what = "CWD a|b: the client changes the working directory to a|b";
    l.packets.push_back(row);
    return l;
}

TEST(LessonMarkdown, AwkwardCharactersAreEscaped) {
    const Lesson l = awkward_lesson();
    const std::string md = explain::render_markdown(l);
    const MermaidDiagram d = parse_mermaid_subset(mermaid_block(md));
    for (const std::string& e : d.errors) ADD_FAILURE() << e;
    ASSERT_EQ(d.messages.size(), 2u);
    EXPECT_EQ(d.messages[0].text, "[4] CWD a#59;b #35;1 #60;x#62; |y| z");
    EXPECT_EQ(d.messages[0].arrow, "->>");
    EXPECT_EQ(d.messages[1].text, "[4] 250 ok#59; #35;done");
    EXPECT_EQ(d.messages[1].arrow, "-->>");
    EXPECT_EQ(d.messages[1].from, "S0");
    const auto rows = packet_rows(md);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(cells(rows[0]).size(), 10u) << rows[0];
    EXPECT_NE(rows[0].find("Request: CWD a\\|b"), std::string::npos) << rows[0];
    EXPECT_NE(md.find("# Lesson: a\\|b\\_c\\*.pcap"), std::string::npos);
}

TEST(MermaidSubsetParser, RejectsWhatMermaidWouldMisread) {
    const std::string head = "sequenceDiagram\n    participant C0 as client :1\n    participant S0 as server :21\n";
    EXPECT_TRUE(parse_mermaid_subset(head + "    C0->>S0: USER a").errors.empty());
    EXPECT_TRUE(parse_mermaid_subset(head + "    Note over C0,S0: PORT #59; ok").errors.empty());
    for (const char* bad : {"    C0->>S0: a;b", "    C0->>S0: #1", "    C0->>X9: hi", "    C0=>S0: hi",
                            "    C0->>S0 hi", "    C0->>S0: ", "C0->>S0: hi", "    Note over C0: x",
                            "    participant C0 as again", "    loop forever"})
        EXPECT_FALSE(parse_mermaid_subset(head + bad).errors.empty()) << bad;
    EXPECT_FALSE(parse_mermaid_subset("graph TD\n").errors.empty());
    EXPECT_EQ(explain::mermaid_text("a;b#c\nd"), "a#59;b#35;c d");
}

}  // namespace
}  // namespace ftpsim::testsupport
