// A small strict XML 1.0 well-formedness checker for the renderer tests: tags nest and match,
// attributes are quoted and unique, entities are the five predefined or numeric, no raw '<' or
// '&' in text, no control bytes but tab/LF/CR. It also counts elements by tag and class word.
#pragma once

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ftpsim::explain::testing {

struct XmlElement {
    std::string tag;
    std::map<std::string, std::string> attrs;
};

struct XmlCheck {
    std::string error;  // empty: well-formed
    std::vector<XmlElement> elements;
};

inline XmlCheck check_xml(const std::string& s) {
    XmlCheck r;
    std::vector<std::string> open;
    std::size_t i = 0;
    auto fail = [&](const std::string& why) { r.error = why + " at byte " + std::to_string(i); return r; };
    auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.'; };
    auto check_text = [&](std::size_t from, std::size_t to) -> bool {
        for (std::size_t k = from; k < to; ++k) {
            const unsigned char c = static_cast<unsigned char>(s[k]);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
            if (c == '<') return false;
            if (c == '&') {
                const std::size_t semi = s.find(';', k);
                if (semi == std::string::npos || semi > to) return false;
                const std::string ent = s.substr(k + 1, semi - k - 1);
                static const std::set<std::string> known = {"amp", "lt", "gt", "quot", "apos"};
                if (!known.count(ent) && !(ent.size() > 1 && ent[0] == '#')) return false;
            }
        }
        return true;
    };
    bool root_seen = false;
    while (i < s.size()) {
        const std::size_t lt = s.find('<', i);
        const std::size_t end_text = lt == std::string::npos ? s.size() : lt;
        if (!check_text(i, end_text)) return fail("bad text");
        if (open.empty() && root_seen && s.find_first_not_of(" \t\r\n", i) < end_text) return fail("text after root");
        if (lt == std::string::npos) break;
        i = lt;
        if (s.compare(i, 5, "<?xml") == 0) {
            if (i != 0) return fail("XML declaration not first");
            i = s.find("?>", i);
            if (i == std::string::npos) return fail("unterminated declaration");
            i += 2;
            continue;
        }
        if (s.compare(i, 4, "<!--") == 0) {
            i = s.find("-->", i);
            if (i == std::string::npos) return fail("unterminated comment");
            i += 3;
            continue;
        }
        if (s.compare(i, 2, "</") == 0) {
            std::size_t k = i + 2;
            while (k < s.size() && name_char(s[k])) ++k;
            const std::string name = s.substr(i + 2, k - i - 2);
            if (k >= s.size() || s[k] != '>') return fail("bad end tag");
            if (open.empty() || open.back() != name) return fail("mismatched </" + name + ">");
            open.pop_back();
            i = k + 1;
            continue;
        }
        if (open.empty() && root_seen) return fail("second root");
        std::size_t k = i + 1;
        while (k < s.size() && name_char(s[k])) ++k;
        XmlElement el;
        el.tag = s.substr(i + 1, k - i - 1);
        if (el.tag.empty()) return fail("empty tag name");
        bool self_closing = false;
        for (;;) {
            while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
            if (k >= s.size()) return fail("unterminated tag");
            if (s[k] == '>') { ++k; break; }
            if (s.compare(k, 2, "/>") == 0) { self_closing = true; k += 2; break; }
            const std::size_t name_from = k;
            while (k < s.size() && name_char(s[k])) ++k;
            const std::string attr = s.substr(name_from, k - name_from);
            if (attr.empty() || k + 1 >= s.size() || s[k] != '=' || (s[k + 1] != '"' && s[k + 1] != '\''))
                return fail("bad attribute in <" + el.tag + ">");
            const char quote = s[k + 1];
            const std::size_t close = s.find(quote, k + 2);
            if (close == std::string::npos) return fail("unterminated attribute");
            if (!check_text(k + 2, close)) return fail("bad attribute value");
            if (!el.attrs.emplace(attr, s.substr(k + 2, close - k - 2)).second) return fail("duplicate attribute");
            k = close + 1;
            if (k < s.size() && !std::isspace(static_cast<unsigned char>(s[k])) && s[k] != '>' && s[k] != '/')
                return fail("no space between attributes");
        }
        root_seen = true;
        if (!self_closing) open.push_back(el.tag);
        r.elements.push_back(std::move(el));
        i = k;
    }
    if (!open.empty()) return fail("unclosed <" + open.back() + ">");
    if (!root_seen) return fail("no root element");
    return r;
}

// Elements with `word` among the words of their class attribute.
inline std::size_t count_class(const XmlCheck& x, const std::string& tag, const std::string& word) {
    std::size_t n = 0;
    for (const XmlElement& e : x.elements) {
        if (e.tag != tag) continue;
        auto it = e.attrs.find("class");
        if (it == e.attrs.end()) continue;
        const std::string padded = " " + it->second + " ";
        if (padded.find(" " + word + " ") != std::string::npos) ++n;
    }
    return n;
}

}  // namespace ftpsim::explain::testing
