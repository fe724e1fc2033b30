// Event sinks that write the analyzer's output formats.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decode/analyzer.hpp"
#include "render/event_text.hpp"

namespace ftpsim::render {

// Warnings go to a stream of their own (stderr for the command line), prefixed "warning: ".
class WarningsTo : public analyzer::EventSink {
public:
    explicit WarningsTo(std::ostream& err) : err_(err) {}
    void on_warning(const std::string& message) override { err_ << "warning: " << message << "\n"; }

private:
    std::ostream& err_;
};

// The decoded sequence, one event a line: "#12 0.004512 c1 command USER ftpuser".
class TextRenderer : public WarningsTo {
public:
    TextRenderer(std::ostream& out, std::ostream& err, bool show_secrets);
    void on_start(tcp::TimeNs first) override { start_ = first; }
    void on_event(const analyzer::Event& e) override;

private:
    std::ostream& out_;
    bool show_secrets_;
    tcp::TimeNs start_ = 0;
};

// The golden form: the decoded sequence without what differs between two captures of the same
// session (frame numbers, times, ephemeral ports, how many times in a row a TCP event repeats,
// when a data connection opened and closed around its replies).
class GoldenRenderer : public WarningsTo {
public:
    GoldenRenderer(std::ostream& err, std::set<std::uint16_t> keep_ports);
    void on_event(const analyzer::Event& e) override;
    const std::vector<std::string>& lines() const { return lines_; }
    std::string text() const;

private:
    void insert_line(std::size_t at, std::string line, bool is_data);

    PortNormalizer ports_;
    std::vector<std::string> lines_;
    std::vector<bool> line_is_data_;  // per line: a data event
    // (control connection, frame) of each transfer's final reply -> index of its line.
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> transfer_reply_line_;
    std::string last_tcp_line_;  // a run of identical TCP events is one line
};

// One event as the JSON document's events[] holds it (docs/analyzer-json.md).
nlohmann::ordered_json event_json(const analyzer::Event& e, bool show_secrets);

// One JSON document (schema: docs/analyzer-json.md), written as events arrive so memory stays
// flat however long the capture is.
class JsonRenderer : public analyzer::EventSink {
public:
    JsonRenderer(std::ostream& out, std::ostream& err, const std::string& capture, bool show_secrets);
    void on_event(const analyzer::Event& e) override;
    void on_warning(const std::string& message) override;
    // Closes the document with the warnings and the counts.
    void finish(const analyzer::AnalyzeStats& stats);

private:
    std::ostream& out_;
    std::ostream& err_;
    bool show_secrets_;
    bool first_ = true;
    std::vector<std::string> warnings_;
};

// One line per packet, in Wireshark's summary columns.
class TableRenderer : public WarningsTo {
public:
    TableRenderer(std::ostream& out, std::ostream& err);
    void on_start(tcp::TimeNs first) override { start_ = first; }
    void on_event(const analyzer::Event&) override {}
    void on_packet(const analyzer::PacketSummary& p) override;

private:
    std::ostream& out_;
    tcp::TimeNs start_ = 0;
};

std::string format_seconds(tcp::TimeNs ns);  // "12.004512" (microseconds, as Wireshark shows)

}  // namespace ftpsim::render
