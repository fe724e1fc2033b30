// The lesson as one self-contained HTML5 page: inline CSS, the SVG ladder inline, no script and
// no external resource, so it opens anywhere and prints. Each arrow of the ladder links to its
// row of the packet table (id="f<frame>").
#include <string>

#include "explain/html_style.hpp"
#include "explain/lesson.hpp"
#include "explain/svg_ladder.hpp"
#include "explain/svg_text.hpp"

namespace ftpsim::explain {
namespace {

using svgtext::escape;

std::string frame_link(std::uint64_t frame) {
    const std::string n = std::to_string(frame);
    return "<a href=\"#f" + n + "\">" + n + "</a>";
}

std::string lane_name(const Lesson& lesson, std::size_t lane) {
    return lane < lesson.lanes.size() ? lesson.lanes[lane].label : "connection " + std::to_string(lane);
}

void summary(std::string& out, const Lesson& lesson) {
    const LessonSummary& s = lesson.summary;
    auto item = [&](const char* term, const std::string& value) {
        out += std::string("<dt>") + term + "</dt><dd>" + escape(value) + "</dd>\n";
    };
    out += "<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"summary\">\n";
    item("Capture", s.capture);
    item("Frames", std::to_string(s.frames));
    item("Duration", svgtext::seconds(s.duration_ns) + " s");
    item("FTP client", s.client);
    item("FTP server", s.server);
    if (!s.banner.empty()) item("Greeting", s.banner);
    std::string modes;
    for (const std::string& m : s.modes) modes += (modes.empty() ? "" : ", ") + m;
    item("Data connection modes", modes.empty() ? "none" : modes);
    item("Commands / replies", std::to_string(s.commands) + " / " + std::to_string(s.replies));
    item("Data connections", std::to_string(s.data_connections));
    out += "</dl>\n</section>\n";
}

void ladder_section(std::string& out, const Lesson& lesson) {
    out += "<section id=\"ladder\">\n<h2>The ladder</h2>\n"
           "<p class=\"note\">Time flows downward, one row per message in the order of the capture; "
           "the rows are not to scale (the left column gives each arrow's time in seconds since the "
           "first frame). Each connection is a pair of vertical lines, one at each host, labelled "
           "with its ports. A TCP connection's first arrow (SYN) starts at the side that opened it. "
           "Click an arrow to see its row in the packet table.</p>\n<div class=\"ladder-box\">\n";
    out += ladder::render(lesson, ladder::Options{.standalone = false, .frame_links = true});
    out += "</div>\n</section>\n";
}

void packet_table(std::string& out, const Lesson& lesson) {
    out += "<section id=\"packets\">\n<h2>Packets</h2>\n<table class=\"packets\">\n<thead><tr>"
           "<th scope=\"col\">No.</th><th scope=\"col\">Time</th><th scope=\"col\">Source</th>"
           "<th scope=\"col\">Destination</th><th scope=\"col\">Protocol</th><th scope=\"col\">Length</th>"
           "<th scope=\"col\">Info</th><th scope=\"col\">What happens</th></tr></thead>\n<tbody>\n";
    for (const PacketRow& p : lesson.packets) {
        std::string cls;
        for (char c : p.protocol) cls += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        out += "<tr id=\"f" + std::to_string(p.frame) + "\" class=\"" + escape(cls) + "\"><td class=\"num\">" +
               std::to_string(p.frame) + "</td><td class=\"num\">" + svgtext::seconds(p.time_ns) + "</td><td>" +
               escape(p.source) + "</td><td>" + escape(p.destination) + "</td><td>" + escape(p.protocol) +
               "</td><td class=\"num\">" + std::to_string(p.length) + "</td><td class=\"mono info\">" +
               escape(p.info) + "</td><td>" + escape(p.what) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

void address_section(std::string& out, const Lesson& lesson) {
    out += "<section id=\"addresses\">\n<h2>Address arithmetic</h2>\n";
    if (lesson.addresses.empty()) {
        out += "<p>No PORT, EPRT, PASV or EPSV exchange in this capture.</p>\n</section>\n";
        return;
    }
    out += "<p class=\"note\">PORT and the 227 reply carry the address as six numbers h1,h2,h3,h4,p1,p2: "
           "the host is h1.h2.h3.h4 and the port is p1&#215;256+p2 (RFC 959 &#167;4.1.2). EPRT and the "
           "229 reply give the port in decimal (RFC 2428).</p>\n<table class=\"addresses\">\n<thead><tr>"
           "<th scope=\"col\">Frame</th><th scope=\"col\">Message</th><th scope=\"col\">Host</th>"
           "<th scope=\"col\">Port</th><th scope=\"col\">Working</th><th scope=\"col\">Who listens</th>"
           "</tr></thead>\n<tbody>\n";
    for (const AddressWorking& a : lesson.addresses) {
        out += "<tr><td class=\"num\">" + frame_link(a.frame) + "</td><td class=\"mono\">" + escape(a.message) +
               "</td><td class=\"mono\">" + escape(a.host) + "</td><td class=\"num\">" + std::to_string(a.port) +
               "</td><td class=\"mono\">" + escape(a.arithmetic) + "</td><td>" + escape(a.who_listens) +
               "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

void reply_code_section(std::string& out, const Lesson& lesson) {
    out += "<section id=\"reply-codes\">\n<h2>Reply codes, digit by digit</h2>\n";
    if (lesson.reply_codes.empty()) {
        out += "<p>No FTP reply in this capture.</p>\n</section>\n";
        return;
    }
    out += "<p class=\"note\">The first digit says how the command went, the second what it is about, "
           "the third is a detail (RFC 959 &#167;4.2.1).</p>\n<table class=\"reply-codes\">\n<thead><tr>"
           "<th scope=\"col\">Code</th><th scope=\"col\">First seen</th><th scope=\"col\">Text</th>"
           "<th scope=\"col\">First digit</th><th scope=\"col\">Second digit</th><th scope=\"col\">Meaning</th>"
           "</tr></thead>\n<tbody>\n";
    for (const ReplyCodeReading& r : lesson.reply_codes) {
        out += "<tr><td class=\"digit\">" + std::to_string(r.code) + "</td><td class=\"num\">" +
               frame_link(r.first_frame) + "</td><td class=\"mono\">" + escape(r.text) + "</td><td>" +
               escape(r.first_digit) + "</td><td>" + escape(r.second_digit) + "</td><td>" + escape(r.meaning) +
               "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

void tcp_section(std::string& out, const Lesson& lesson) {
    out += "<section id=\"tcp\">\n<h2>TCP moments</h2>\n";
    if (lesson.tcp_moments.empty()) {
        out += "<p>Nothing to note about TCP in this capture.</p>\n</section>\n";
        return;
    }
    out += "<table class=\"tcp-moments\">\n<thead><tr><th scope=\"col\">Frame</th><th scope=\"col\">Time</th>"
           "<th scope=\"col\">Connection</th><th scope=\"col\">Event</th><th scope=\"col\">What it means</th>"
           "</tr></thead>\n<tbody>\n";
    for (const TcpMoment& m : lesson.tcp_moments) {
        out += "<tr><td class=\"num\">" + frame_link(m.frame) + "</td><td class=\"num\">" +
               svgtext::seconds(m.time_ns) + "</td><td>" + escape(lane_name(lesson, m.lane)) + "</td><td>" +
               escape(m.event) + "</td><td>" + escape(m.explanation) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

void warnings_section(std::string& out, const Lesson& lesson) {
    out += "<section id=\"warnings\">\n<h2>Warnings</h2>\n";
    if (lesson.warnings.empty()) {
        out += "<p>The analyzer had no warnings about this capture.</p>\n</section>\n";
        return;
    }
    out += "<ul class=\"warnings\">\n";
    for (const std::string& w : lesson.warnings) out += "<li>" + escape(w) + "</li>\n";
    out += "</ul>\n</section>\n";
}

}  // namespace

std::string render_html(const Lesson& lesson) {
    const std::string title = escape(lesson.title.empty() ? "Lesson: " + lesson.summary.capture : lesson.title);
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"generator\" content=\"ftpsim explain\">\n<title>" +
                      title + "</title>\n<style>" + html::kStyleSheet + "</style>\n</head>\n<body>\n<header>\n<h1>" +
                      title + "</h1>\n</header>\n<main>\n";
    summary(out, lesson);
    ladder_section(out, lesson);
    packet_table(out, lesson);
    address_section(out, lesson);
    reply_code_section(out, lesson);
    tcp_section(out, lesson);
    warnings_section(out, lesson);
    out += "</main>\n<footer><p class=\"note\">Made by <code>ftpsim explain</code>.</p></footer>\n</body>\n</html>\n";
    return out;
}

}  // namespace ftpsim::explain
