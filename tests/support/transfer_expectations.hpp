// The fields of a DataEvent that a test expects, checked one by one: every field given is an
// EXPECT_EQ, the ones left out are not looked at.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <source_location>
#include <string>

#include "decode/events.hpp"
#include "support/expected_sha256.hpp"

namespace ftpsim::testsupport {

struct ExpectedTransfer {
    std::optional<std::string> mode = {};       // "active" or "passive"
    std::optional<std::string> command = {};    // LIST, RETR, STOR ...
    std::optional<std::string> arg = {};
    std::optional<std::string> direction = {};  // "download" or "upload"
    std::optional<std::string> content = {};    // the bytes carried: their count and SHA-256
    std::optional<std::uint64_t> bytes = {};    // only the count, where the content is not known
    std::optional<int> completion = {};
    std::optional<std::uint64_t> rest = {};
    std::optional<std::string> data_client = {};  // "192.168.1.5:50124", "[2001:db8::5]:50124"
    std::optional<std::string> data_server = {};
};

// One field: checked only when the test gives a value for it.
template <class Actual, class Wanted>
void expect_field(const char* field, const Actual& actual, const std::optional<Wanted>& wanted) {
    if (wanted) {
        EXPECT_EQ(actual, *wanted) << field;
    }
}

// Failures name the caller's line.
inline void expect_transfer(const analyzer::DataEvent& d, const ExpectedTransfer& want,
                            std::source_location where = std::source_location::current()) {
    ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()),
                                 "expect_transfer");
    expect_field("mode", d.mode, want.mode);
    expect_field("command", d.command, want.command);
    expect_field("arg", d.arg, want.arg);
    expect_field("direction", d.direction, want.direction);
    if (want.content) {
        EXPECT_EQ(d.bytes, want.content->size()) << "bytes";
        EXPECT_EQ(d.sha256, expected_sha256(*want.content)) << "sha256";
    }
    expect_field("bytes", d.bytes, want.bytes);
    expect_field("completion", d.completion, want.completion);
    expect_field("rest", d.rest, want.rest);
    expect_field("data_client", d.data_client.str(), want.data_client);
    expect_field("data_server", d.data_server.str(), want.data_server);
}

}  // namespace ftpsim::testsupport
