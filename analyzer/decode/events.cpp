#include "decode/events.hpp"

namespace ftpsim::analyzer {

const char* event_kind_name(const Event& e) {
    struct Visitor {
        const char* operator()(const ConnOpen&) const { return "conn"; }
        const char* operator()(const ConnClose&) const { return "conn"; }
        const char* operator()(const CommandEvent&) const { return "command"; }
        const char* operator()(const ReplyEvent&) const { return "reply"; }
        const char* operator()(const DataEvent&) const { return "data"; }
        const char* operator()(const TcpAnalysisEvent&) const { return "tcp"; }
        const char* operator()(const AnomalyEvent&) const { return "anomaly"; }
    };
    return std::visit(Visitor{}, e.body);
}

const char* conn_role_name(ConnRole r) {
    switch (r) {
        case ConnRole::kFtpControl: return "ftp-control";
        case ConnRole::kFtpData: return "ftp-data";
        case ConnRole::kTcp: break;
    }
    return "tcp";
}

const char* close_reason_name(tcp::CloseReason r) {
    switch (r) {
        case tcp::CloseReason::kFin: return "fin";
        case tcp::CloseReason::kRst: return "rst";
        case tcp::CloseReason::kCaptureEnd: break;
    }
    return "capture-end";
}

const char* kept_copy_name(const tcp::InconsistentBytes& b) { return b.later_copy_kept ? "later" : "first"; }

}  // namespace ftpsim::analyzer
