// tests/fixtures/vsftpd.conf.in (FTPSIM_VSFTPD_CONF_TEMPLATE) with its @NAME@ placeholders
// filled in: the same configuration the fixture recordings and the benchmarks render with
// tests/fixtures/vsftpd_conf.sh.
#pragma once

#include <map>
#include <regex>
#include <stdexcept>
#include <string>

#include "support/read_file.hpp"

namespace ftpsim::interop {

// Throws when the template cannot be read, a value names no placeholder, or a placeholder is
// left without a value: a setting cannot silently drift.
inline std::string render_vsftpd_conf(const std::map<std::string, std::string>& values) {
    std::string text = testsupport::read_file(FTPSIM_VSFTPD_CONF_TEMPLATE);
    if (text.empty()) throw std::runtime_error("cannot read " FTPSIM_VSFTPD_CONF_TEMPLATE);
    for (const auto& [name, value] : values) {
        const std::string placeholder = "@" + name + "@";
        std::size_t at = text.find(placeholder);
        if (at == std::string::npos) throw std::runtime_error(placeholder + " is not in the vsftpd template");
        for (; at != std::string::npos; at = text.find(placeholder, at + value.size()))
            text.replace(at, placeholder.size(), value);
    }
    std::smatch left;
    if (std::regex_search(text, left, std::regex("@[A-Z0-9_]+@")))
        throw std::runtime_error(left.str() + " has no value for the vsftpd template");
    return text;
}

}  // namespace ftpsim::interop
