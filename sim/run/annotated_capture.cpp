#include "sim/run/annotated_capture.hpp"

#include <filesystem>
#include <stdexcept>

#include "annotate/annotate_capture.hpp"

namespace ftpsim::sim::run {

namespace {

const scenario::CapturePoint* find_point(const scenario::Scenario& s, const std::string& point) {
    for (const auto& c : s.topology.captures)
        if (c.name == point) return &c;
    return nullptr;
}

// "host pc, on its link to ftpserver": what Wireshark shows as the interface's description.
std::string where_captured(const scenario::Scenario& s, const std::string& point) {
    const auto* c = find_point(s, point);
    if (c == nullptr) return "capture point " + point;
    return "capture point " + point + ": host " + c->host +
           (c->interface == "auto" ? ", on its only link" : ", on its link to " + c->interface);
}

}  // namespace

std::string pcapng_path_for(const std::string& pcap_path) {
    return std::filesystem::path(pcap_path).replace_extension(".pcapng").string();
}

std::string publish_annotated(const scenario::Scenario& s, const std::string& point, const std::string& pcap_path,
                              const std::function<void(const std::string&)>& warn) {
    const std::string out = pcapng_path_for(pcap_path);
    annotate::AnnotateRequest request;
    request.input = pcap_path;
    request.output = out;
    request.replace = true;
    request.section_comment = "ftpsim scenario " + s.name + (s.description.empty() ? "" : ": " + s.description) +
                              " (" + std::filesystem::path(s.file).filename().string() +
                              "); a comment on every packet explains it (frame.comment)";
    request.interface_name = point;
    request.interface_description = where_captured(s, point);
    annotate::annotate_capture(request, warn);  // capture::CaptureError is a runtime_error
    std::error_code ec;
    std::filesystem::remove(pcap_path, ec);
    if (ec) throw std::runtime_error(pcap_path + ": cannot remove after writing " + out + ": " + ec.message());
    return out;
}

}  // namespace ftpsim::sim::run
