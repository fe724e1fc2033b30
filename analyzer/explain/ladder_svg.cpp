// The SVG ladder. Rows, not time, set the vertical position: a transfer of microseconds and a
// think time of seconds would make a proportional drawing unreadable, so each arrow gets one row
// in frame order and its time since the first frame is printed in the left column.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "explain/lesson.hpp"
#include "explain/svg_ladder.hpp"
#include "explain/svg_text.hpp"

namespace ftpsim::explain {
namespace ladder {
namespace {

using svgtext::escape;

// Geometry, in px of the viewBox. All x are integers so 2px lines fill whole pixels.
constexpr int kTimeRight = 78;      // the Time column's text ends here
constexpr int kClientFirstX = 250;  // lane 0's line on the client's host
constexpr int kArrowSpan = 480;     // from a lane's client line to the same lane's server line
constexpr int kLaneBand = 150;      // at most this much for all lanes' lines at one host
constexpr int kTop = 64;            // below the host headings
constexpr int kHeaderRow = 30;      // a lane's heading row, where it first appears
constexpr int kArrowRow = 26;
constexpr double kCharWidth = 7.0;  // a 12px sans-serif character, generously

struct Geometry {
    int lane_gap = 0, band = 0;
    int client_x(std::size_t lane) const { return kClientFirstX + static_cast<int>(lane) * lane_gap; }
    int server_x(std::size_t lane) const { return client_x(lane) + band + kArrowSpan; }
    int gutter_x() const { return server_x(0) + band + 70; }  // announce links run down here
    int width() const { return gutter_x() + 40; }
    std::size_t label_chars() const { return static_cast<std::size_t>((band + kArrowSpan - 24) / kCharWidth); }
};

Geometry make_geometry(std::size_t lanes) {
    Geometry g;
    if (lanes > 1) g.lane_gap = std::min(16, std::max(3, kLaneBand / static_cast<int>(lanes - 1)));
    g.band = lanes > 1 ? g.lane_gap * static_cast<int>(lanes - 1) : 0;
    return g;
}

// Each lane's heading row and the extent of its lines; each arrow's row.
struct Rows {
    std::vector<int> lane_heading_y, lane_end_y;  // -1: not placed yet
    std::vector<int> arrow_y;
    std::vector<std::optional<std::size_t>> lane_first_arrow;
    int height = 0;
};

Rows place_rows(const Lesson& lesson) {
    Rows r;
    const std::size_t n = lesson.lanes.size();
    r.lane_heading_y.assign(n, -1);
    r.lane_end_y.assign(n, -1);
    r.lane_first_arrow.assign(n, std::nullopt);
    int y = kTop;
    auto open_lane = [&](std::size_t lane) {
        r.lane_heading_y[lane] = y;
        y += kHeaderRow;
        r.lane_end_y[lane] = y;
    };
    for (std::size_t i = 0; i < lesson.arrows.size(); ++i) {
        const std::size_t lane = lesson.arrows[i].lane;
        if (lane < n && r.lane_heading_y[lane] < 0) open_lane(lane);
        y += kArrowRow;
        r.arrow_y.push_back(y);
        if (lane < n) {
            r.lane_end_y[lane] = y + 8;
            if (!r.lane_first_arrow[lane]) r.lane_first_arrow[lane] = i;
        }
    }
    for (std::size_t lane = 0; lane < n; ++lane) {  // lanes without an arrow still show
        if (r.lane_heading_y[lane] < 0) open_lane(lane), y += 8;
    }
    r.height = y + 60;  // room for the legend
    return r;
}

const char* lane_colour(analyzer::ConnRole role) {
    switch (role) {
        case analyzer::ConnRole::kFtpControl: return kControlLaneColour;
        case analyzer::ConnRole::kFtpData: return kDataLaneColour;
        case analyzer::ConnRole::kTcp: break;
    }
    return kOtherLaneColour;
}

struct ArrowStyle {
    const char* css_class;
    const char* colour;
    const char* marker;
    const char* width;
    bool dashed;
};

ArrowStyle arrow_style(ArrowKind kind) {
    switch (kind) {
        case ArrowKind::kCommand: return {"arrow ftp command", kCommandColour, "head-command", "1.6", false};
        case ArrowKind::kReply: return {"arrow ftp reply", kReplyColour, "head-reply", "1.6", false};
        case ArrowKind::kTcp: return {"arrow tcp", kTcpColour, "head-tcp", "1", true};
        case ArrowKind::kData: return {"arrow data", kDataColour, "head-data", "3", false};
    }
    return {"arrow tcp", kTcpColour, "head-tcp", "1", true};
}

// "192.168.1.10:21" → ":21" on the server's side when the address is the server host's own
// (the column heading names it); the full endpoint otherwise (NAT, another host).
std::string end_text(const net::Endpoint& end, const std::optional<net::IpAddress>& host) {
    if (host && *host == end.addr) return ":" + std::to_string(end.port);
    return end.str();
}

void marker(std::string& out, const char* id, const char* colour) {
    out += "<marker id=\"";
    out += id;
    out += "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" "
           "markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"";
    out += colour;
    out += "\"/></marker>";
}

// Text with a white halo, so lines passing under it do not make it unreadable.
std::string text(int x, int y, const char* anchor, const std::string& escaped, const char* extra = "") {
    return "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" text-anchor=\"" + anchor +
           "\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"" + extra + ">" + escaped + "</text>";
}

void draw_headings(std::string& out, const Lesson& lesson, const Geometry& g) {
    const int client_mid = g.client_x(0) + g.band / 2, server_mid = g.server_x(0) + g.band / 2;
    out += "<g class=\"hosts\" font-weight=\"bold\">";
    out += text(client_mid, 22, "middle", "FTP client");
    out += text(server_mid, 22, "middle", "FTP server");
    out += text(kTimeRight, 40, "end", "Time (s)");
    out += "</g><g class=\"host-addresses\">";
    out += text(client_mid, 40, "middle", escape(lesson.summary.client));
    out += text(server_mid, 40, "middle", escape(lesson.summary.server));
    out += "</g>";
}

void draw_lane(std::string& out, const Lesson& lesson, std::size_t i, const Geometry& g, const Rows& rows,
               const std::optional<net::IpAddress>& client_host,
               const std::optional<net::IpAddress>& server_host) {
    const Lane& lane = lesson.lanes[i];
    const char* colour = lane_colour(lane.role);
    const int cx = g.client_x(i), sx = g.server_x(i);
    const int heading = rows.lane_heading_y[i] + 18, top = rows.lane_heading_y[i] + 24;
    const int bottom = std::max(rows.lane_end_y[i], top + 4);
    out += "<g class=\"lane\" data-conn=\"" + std::to_string(lane.conn) + "\" data-lane=\"" + std::to_string(i) +
           "\" data-role=\"" + analyzer::conn_role_name(lane.role) + "\">";
    std::string role = lane.label;
    if (!lane.opened_by_client) role += " \xE2\x80\x94 opened by the server";
    if (!lane.handshake_seen) role += " (capture began mid-connection)";
    out += "<title>" + escape(lane.client_end.str() + " \xE2\x86\x94 " + lane.server_end.str() + ": " + role) +
           "</title>";
    for (int x : {cx, sx}) {
        out += "<line class=\"lifeline\" x1=\"" + std::to_string(x) + "\" y1=\"" + std::to_string(top) +
               "\" x2=\"" + std::to_string(x) + "\" y2=\"" + std::to_string(bottom) + "\" stroke=\"" + colour +
               "\" stroke-width=\"2\"/>";
    }
    const std::string fill = std::string(" fill=\"") + colour + "\"";
    out += text(cx - 6, heading, "end", escape(end_text(lane.client_end, client_host)), fill.c_str());
    out += text(sx + 6, heading, "start", escape(end_text(lane.server_end, server_host)), fill.c_str());
    const std::string role_attrs = fill + " font-weight=\"bold\"";
    out += text((cx + sx) / 2, heading, "middle", escape(svgtext::shorten(role, g.label_chars())),
                role_attrs.c_str());
    out += "</g>";
}

void draw_arrow(std::string& out, const Lesson& lesson, std::size_t i, const Geometry& g, const Rows& rows,
                const Options& options) {
    const Arrow& a = lesson.arrows[i];
    const ArrowStyle style = arrow_style(a.kind);
    const int y = rows.arrow_y[i];
    const int cx = g.client_x(a.lane), sx = g.server_x(a.lane);
    const int from = a.from_client ? cx : sx, to = a.from_client ? sx : cx;
    const std::uint64_t conn = a.lane < lesson.lanes.size() ? lesson.lanes[a.lane].conn : 0;
    if (options.frame_links) out += "<a href=\"#f" + std::to_string(a.first_frame) + "\">";
    out += std::string("<g class=\"") + style.css_class + "\" data-frame=\"" + std::to_string(a.first_frame) +
           "\" data-last-frame=\"" + std::to_string(a.last_frame) + "\" data-lane=\"" + std::to_string(a.lane) +
           "\" data-conn=\"" + std::to_string(conn) + "\"";
    if (a.announces) out += " data-announces=\"" + std::to_string(*a.announces) + "\"";
    out += ">";
    std::string title = a.label;
    title += a.first_frame == a.last_frame
                 ? " (frame " + std::to_string(a.first_frame) + ")"
                 : " (frames " + std::to_string(a.first_frame) + "\xE2\x80\x93" + std::to_string(a.last_frame) + ")";
    if (!a.note.empty()) title += "\n" + a.note;
    out += "<title>" + escape(title) + "</title>";
    out += "<line class=\"shaft\" x1=\"" + std::to_string(from) + "\" y1=\"" + std::to_string(y) + "\" x2=\"" +
           std::to_string(to) + "\" y2=\"" + std::to_string(y) + "\" stroke=\"" + style.colour +
           "\" stroke-width=\"" + style.width + "\"" + (style.dashed ? " stroke-dasharray=\"5 3\"" : "") +
           " marker-end=\"url(#" + style.marker + ")\"/>";
    const std::string fill = std::string(" fill=\"") + style.colour + "\"";
    out += text((cx + sx) / 2, y - 5, "middle", escape(svgtext::shorten(a.label, g.label_chars())), fill.c_str());
    out += text(kTimeRight, y + 4, "end", svgtext::seconds(a.time_ns), " fill=\"#222\" class=\"time\"");
    out += "</g>";
    if (options.frame_links) out += "</a>";
}

// From the PORT/EPRT or 227/229 arrow to the first arrow of the connection it announced: down
// a gutter right of the server's lines, staggered so neighbouring links stay apart.
void draw_announce_links(std::string& out, const Lesson& lesson, const Geometry& g, const Rows& rows) {
    out += "<g class=\"announces\">";
    int k = 0;
    for (std::size_t i = 0; i < lesson.arrows.size(); ++i) {
        const Arrow& a = lesson.arrows[i];
        if (!a.announces || *a.announces >= lesson.lanes.size()) continue;
        const auto& first = rows.lane_first_arrow[*a.announces];
        if (!first) continue;
        const int gx = g.gutter_x() + (k++ % 3) * 8;
        const int y1 = rows.arrow_y[i], y2 = rows.arrow_y[*first];
        out += "<path class=\"announce\" data-frame=\"" + std::to_string(a.first_frame) + "\" data-lane=\"" +
               std::to_string(*a.announces) + "\" d=\"M" + std::to_string(g.server_x(a.lane) + 4) + "," +
               std::to_string(y1) + " H" + std::to_string(gx) + " V" + std::to_string(y2) + " H" +
               std::to_string(g.server_x(*a.announces) + 4) + "\" fill=\"none\" stroke=\"" + kAnnounceColour +
               "\" stroke-width=\"1.4\" stroke-dasharray=\"4 3\" marker-end=\"url(#head-announce)\">";
        out += "<title>" + escape(a.label + " announced this data connection") + "</title></path>";
    }
    out += "</g>";
}

void draw_legend(std::string& out, int y) {
    struct Item { const char* colour; const char* name; bool dashed; };
    const Item items[] = {{kCommandColour, "FTP command", false}, {kReplyColour, "FTP reply", false},
                          {kTcpColour, "TCP (SYN, FIN, RST ...)", true}, {kDataColour, "data", false},
                          {kAnnounceColour, "announces the data connection", true}};
    out += "<g class=\"legend\">";
    int x = kTimeRight;
    for (const Item& item : items) {
        out += "<line x1=\"" + std::to_string(x) + "\" y1=\"" + std::to_string(y) + "\" x2=\"" +
               std::to_string(x + 28) + "\" y2=\"" + std::to_string(y) + "\" stroke=\"" + item.colour +
               "\" stroke-width=\"2\"" + (item.dashed ? " stroke-dasharray=\"5 3\"" : "") + "/>";
        out += "<text x=\"" + std::to_string(x + 34) + "\" y=\"" + std::to_string(y + 4) + "\">" + item.name +
               "</text>";
        // 7.5 px a character: wide enough for the default sans-serif at this size, so a name
        // never runs into the next item's line.
        x += 52 + static_cast<int>(std::string(item.name).size() * 7.5);
    }
    out += "</g>";
}

std::optional<net::IpAddress> host_of(const Lesson& lesson, bool client) {
    for (const Lane& lane : lesson.lanes) {
        if (lane.role == analyzer::ConnRole::kFtpControl) return client ? lane.client_end.addr : lane.server_end.addr;
    }
    if (lesson.lanes.empty()) return std::nullopt;
    return client ? lesson.lanes[0].client_end.addr : lesson.lanes[0].server_end.addr;
}

}  // namespace

std::string render(const Lesson& lesson, const Options& options) {
    const Geometry g = make_geometry(lesson.lanes.size());
    const Rows rows = place_rows(lesson);
    const std::string w = std::to_string(g.width()), h = std::to_string(rows.height);
    std::string out;
    if (options.standalone) out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" width=\"" + w + "\" height=\"" + h +
           "\" viewBox=\"0 0 " + w + " " + h + "\" font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\" "
           "font-size=\"12\" role=\"img\" aria-labelledby=\"ladder-title\">\n";
    out += "<title id=\"ladder-title\">" + escape(lesson.title.empty() ? "FTP ladder" : lesson.title) + "</title>\n";
    out += "<defs>";
    marker(out, "head-command", kCommandColour);
    marker(out, "head-reply", kReplyColour);
    marker(out, "head-tcp", kTcpColour);
    marker(out, "head-data", kDataColour);
    marker(out, "head-announce", kAnnounceColour);
    out += "</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
    draw_headings(out, lesson, g);
    out += "\n";
    const auto client_host = host_of(lesson, true), server_host = host_of(lesson, false);
    for (std::size_t i = 0; i < lesson.lanes.size(); ++i) {
        draw_lane(out, lesson, i, g, rows, client_host, server_host);
        out += "\n";
    }
    draw_announce_links(out, lesson, g, rows);
    out += "\n";
    for (std::size_t i = 0; i < lesson.arrows.size(); ++i) {
        if (lesson.arrows[i].lane >= lesson.lanes.size()) continue;  // no lane to draw it on
        draw_arrow(out, lesson, i, g, rows, options);
        out += "\n";
    }
    draw_legend(out, rows.height - 30);
    out += "\n</svg>\n";
    return out;
}

}  // namespace ladder

std::string render_svg(const Lesson& lesson) { return ladder::render(lesson, ladder::Options{}); }

}  // namespace ftpsim::explain
