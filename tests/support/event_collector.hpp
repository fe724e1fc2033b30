// An EventSink that keeps every event and warning, with accessors for assertions: the one every
// test that looks at the analyzer's events uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "decode/analyzer.hpp"
#include "decode/events.hpp"
#include "render/event_text.hpp"

namespace ftpsim::testsupport {

class EventCollector : public analyzer::EventSink {
public:
    void on_start(tcp::TimeNs first) override { start = first; }
    void on_event(const analyzer::Event& e) override { events.push_back(e); }
    void on_warning(const std::string& message) override { warnings.push_back(message); }

    // Events whose body is a T that `keep` accepts, in order.
    template <class T, class Keep>
    std::vector<analyzer::Event> of_where(Keep keep) const {
        std::vector<analyzer::Event> out;
        for (const auto& e : events)
            if (const T* b = std::get_if<T>(&e.body); b != nullptr && keep(*b)) out.push_back(e);
        return out;
    }
    // Events whose body is a T, in order.
    template <class T>
    std::vector<analyzer::Event> of() const {
        return of_where<T>([](const T&) { return true; });
    }
    template <class T>
    std::vector<T> bodies() const {
        std::vector<T> out;
        for (const auto& e : events)
            if (const T* b = std::get_if<T>(&e.body)) out.push_back(*b);
        return out;
    }

    std::vector<std::pair<std::string, std::string>> commands() const {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& c : bodies<analyzer::CommandEvent>()) out.emplace_back(c.verb, c.arg);
        return out;
    }
    // The command verbs, in order.
    std::vector<std::string> verbs() const {
        std::vector<std::string> out;
        for (const auto& c : bodies<analyzer::CommandEvent>()) out.push_back(c.verb);
        return out;
    }
    std::vector<int> replies() const {
        std::vector<int> out;
        for (const auto& r : bodies<analyzer::ReplyEvent>()) out.push_back(r.code);
        return out;
    }
    // The verb each reply answers ("" for the greeting or none).
    std::vector<std::string> reply_verbs() const {
        std::vector<std::string> out;
        for (const auto& r : bodies<analyzer::ReplyEvent>()) out.push_back(r.to_verb);
        return out;
    }
    std::vector<analyzer::DataEvent> data() const { return bodies<analyzer::DataEvent>(); }

    std::vector<analyzer::Event> tcp_events(tcp::TcpEvent kind) const {
        return of_where<analyzer::TcpAnalysisEvent>(
            [kind](const analyzer::TcpAnalysisEvent& t) { return t.event == kind; });
    }
    // (connection, event) for every tcp.analysis event, in order.
    std::vector<std::pair<std::uint64_t, tcp::TcpEvent>> tcp_analysis() const {
        std::vector<std::pair<std::uint64_t, tcp::TcpEvent>> out;
        for (const auto& e : events)
            if (const auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body)) out.emplace_back(e.conn, t->event);
        return out;
    }
    std::vector<analyzer::Event> anomalies(std::string_view what) const {
        return of_where<analyzer::AnomalyEvent>(
            [what](const analyzer::AnomalyEvent& a) { return a.what == what; });
    }
    std::vector<std::string> anomaly_names() const {
        std::vector<std::string> out;
        for (const auto& a : bodies<analyzer::AnomalyEvent>()) out.push_back(a.what);
        return out;
    }
    // The id of the connection opened n-th (from 0), or 0 when fewer were opened.
    std::uint64_t opened_conn(std::size_t n) const {
        auto opens = of<analyzer::ConnOpen>();
        return n < opens.size() ? opens[n].conn : 0;
    }
    // The command event with this verb (the first one), or nullptr.
    const analyzer::Event* command(std::string_view verb) const {
        for (const auto& e : events) {
            const auto* c = std::get_if<analyzer::CommandEvent>(&e.body);
            if (c != nullptr && c->verb == verb) return &e;
        }
        return nullptr;
    }

    // Every event as the text renderer shows it, after its frame number: "#12 command PWD".
    std::vector<std::string> event_lines() const {
        std::vector<std::string> out;
        for (const auto& e : events)
            out.push_back("#" + std::to_string(e.frame) + " " +
                          render::event_text(e, {true, nullptr}));
        return out;
    }
    // The event lines and the warnings, for failure messages.
    std::string dump() const {
        std::string out;
        for (const auto& line : event_lines()) out += line + "\n";
        for (const auto& w : warnings) out += "warning: " + w + "\n";
        return out;
    }

    tcp::TimeNs start = 0;
    std::vector<analyzer::Event> events;
    std::vector<std::string> warnings;
};

}  // namespace ftpsim::testsupport
