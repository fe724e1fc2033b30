// The checks the tshark cross-check tests run on a capture, shared by the suite over tests/data
// (tshark_crosscheck_test.cpp) and the suite over the pcaps `ftpsim run` writes
// (tshark_scenario_crosscheck_test.cpp). Each reports through GoogleTest assertions, naming the
// capture and the frame. What each compares, and why, is in the .cpp next to the code.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "crosscheck/tshark_fields.hpp"

namespace ftpsim::crosscheck {

// Each check comes in two forms: one that runs tshark itself, and one given a TsharkView that
// has read the fields it needs (ftp_fields(), tcp_fields()), so that one tshark run serves them
// all (check_all).
const std::vector<std::string>& ftp_fields();
const std::vector<std::string>& tcp_fields();

// Frame by frame, the FTP command, argument and reply code the analyzer reports equal what
// tshark's FTP dissector decodes; at least `min_compared` frames must be compared.
// `tshark_options` e.g. "-d tcp.port==2121,ftp" for a control connection off port 21.
// Lines split across segments are not compared (tshark decodes each piece as a line); unless
// `splits_expected` (a scenario that splits lines on purpose), there must be none; with
// `splits_allowed` there may be some (a split that a NAT's ALG may have joined).
void check_ftp_fields(const std::string& capture, const std::string& tshark_options,
                      std::size_t min_compared, bool splits_expected = false, bool splits_allowed = false);
void check_ftp_fields(const TsharkView& tshark, const std::string& capture, const std::string& tshark_options,
                      std::size_t min_compared, bool splits_expected = false, bool splits_allowed = false);

// tshark opens the capture without complaint and reports no error-level expert information
// (malformed packets; with `check_checksums`, bad IPv4 and TCP checksums) other than items whose
// message contains one of `injected` (what a scenario provokes on purpose).
void check_no_tshark_errors(const std::string& capture, bool check_checksums,
                            const std::vector<std::string>& injected = {});
void check_no_tshark_errors(const TsharkErrors& errors, const std::string& capture,
                            const std::vector<std::string>& injected = {});

// For every TCP event kind the analyzer reports, the frames tshark flags with the matching
// tcp.analysis flag (tcp.flags.reset for rst) equal the frames the analyzer reports it at, on the
// frames of the connections the analyzer reports.
void check_tcp_analysis(const std::string& capture);
void check_tcp_analysis(const TsharkView& tshark, const std::string& capture);

// The three checks above on one tshark run, with checksum validation on.
void check_all(const std::string& capture, const std::string& tshark_options, std::size_t min_compared,
               bool splits_expected = false, bool splits_allowed = false,
               const std::vector<std::string>& injected = {});

// Captures (*.pcap, *.pcapng) in a directory, sorted; none if it does not exist.
std::vector<std::string> captures_in(const std::string& dir);
// A GoogleTest parameter name for a capture: its file name with every non-alphanumeric as '_'.
std::string test_name_for(const std::string& capture);

}  // namespace ftpsim::crosscheck
