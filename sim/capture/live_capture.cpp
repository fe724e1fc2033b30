// libpcap capture loop: nonblocking handle + poll(2) with a short timeout, so the loop sees a
// stop request within ~50 ms and never blocks past its deadline (pcap_breakloop alone cannot
// wake a thread sleeping in the kernel on every platform).
#include "sim/capture/live_capture.hpp"

#include <pcap/pcap.h>
#include <poll.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "golden/atomic_file.hpp"
#include "sim/netns/in_namespace.hpp"

namespace ftpsim::sim::capture {
namespace {

constexpr int kPollMs = 50;

// Creates and activates the handle; must run on a thread inside the target namespace, since the
// packet socket is bound to that namespace's interface at activation.
pcap_t* open_handle(const CaptureOptions& o) {
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_create(o.interface.c_str(), err);
    if (p == nullptr) throw CaptureError("pcap_create(" + o.interface + "): " + err);
    auto fail = [p](const std::string& what) {
        std::string msg = what + ": " + pcap_geterr(p);
        pcap_close(p);
        throw CaptureError(msg);
    };
    if (pcap_set_snaplen(p, o.snaplen) != 0) fail("pcap_set_snaplen");
    if (pcap_set_immediate_mode(p, 1) != 0) fail("pcap_set_immediate_mode");
    if (pcap_set_promisc(p, 0) != 0) fail("pcap_set_promisc");
    if (pcap_set_timeout(p, kPollMs) != 0) fail("pcap_set_timeout");
    const int act = pcap_activate(p);
    if (act < 0) fail("pcap_activate(" + o.interface + ")");
    if (!o.filter.empty()) {
        bpf_program prog{};
        if (pcap_compile(p, &prog, o.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) fail("pcap_compile");
        const int r = pcap_setfilter(p, &prog);
        pcap_freecode(&prog);
        if (r != 0) fail("pcap_setfilter");
    }
    if (pcap_setnonblock(p, 1, err) != 0) {
        pcap_close(p);
        throw CaptureError(std::string("pcap_setnonblock: ") + err);
    }
    return p;
}

void on_packet(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
    pcap_dump(user, h, bytes);
}

}  // namespace

LiveCapture::LiveCapture(CaptureOptions options)
    : options_(std::move(options)), partial_(golden::partial_path_beside(options_.output)) {
    if (options_.output.empty() || options_.interface.empty())
        throw CaptureError("LiveCapture needs an interface and an output path");
    handle_ = options_.netns.empty()
                  ? open_handle(options_)
                  : netns::in_namespace(options_.netns, [this] { return open_handle(options_); });
    std::error_code ec;
    std::filesystem::remove(options_.output, ec);  // a stale FILE must not pass for this run's
    dumper_ = pcap_dump_open(handle_, partial_.c_str());
    if (dumper_ == nullptr) {
        const std::string msg = std::string("pcap_dump_open(") + partial_ + "): " + pcap_geterr(handle_);
        close_handles();
        throw CaptureError(msg);
    }
    thread_ = std::thread([this] { loop(); });
}

LiveCapture::~LiveCapture() {
    if (stopped_) return;
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
    close_handles();
    std::error_code ec;
    std::filesystem::remove(partial_, ec);  // never finished: leave nothing that looks usable
}

void LiveCapture::loop() {
    const auto deadline = std::chrono::steady_clock::now() + options_.max_duration;
    const int fd = pcap_get_selectable_fd(handle_);
    auto dispatch = [this]() -> int {
        const int n = pcap_dispatch(handle_, -1, on_packet, reinterpret_cast<u_char*>(dumper_));
        if (n > 0) packets_ += static_cast<std::uint64_t>(n);
        if (n == PCAP_ERROR) loop_error_ = std::string("pcap_dispatch: ") + pcap_geterr(handle_);
        return n;
    };
    while (!stop_requested_) {
        if (std::chrono::steady_clock::now() >= deadline) {
            timed_out_ = true;
            return;
        }
        if (fd >= 0) {
            pollfd p{fd, POLLIN, 0};
            ::poll(&p, 1, kPollMs);
        }
        if (dispatch() < 0) return;
    }
    // Stop requested: drain what is already queued, bounded in rounds and time.
    const auto drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    for (int round = 0; round < 100 && std::chrono::steady_clock::now() < drain_deadline; ++round) {
        const int n = dispatch();
        if (n <= 0) break;
    }
}

CaptureStats LiveCapture::stop(const Publish& publish) {
    if (stopped_) throw CaptureError("LiveCapture::stop called twice");
    stopped_ = true;
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
    CaptureStats stats;
    stats.packets = packets_;
    pcap_stat ps{};
    if (handle_ != nullptr && pcap_stats(handle_, &ps) == 0) stats.dropped = ps.ps_drop + ps.ps_ifdrop;
    bool flushed = dumper_ != nullptr && pcap_dump_flush(dumper_) == 0;
    close_handles();
    if (!loop_error_.empty()) throw CaptureError(loop_error_ + " (left " + partial_ + ")");
    if (timed_out_)
        throw CaptureError("capture hit its time bound of " + std::to_string(options_.max_duration.count()) +
                           " ms (left " + partial_ + ")");
    if (!flushed) throw CaptureError("cannot flush " + partial_);
    std::error_code ec;
    if (!publish) {
        std::filesystem::rename(partial_, options_.output, ec);
        if (ec) throw CaptureError("rename " + partial_ + " -> " + options_.output + ": " + ec.message());
        return stats;
    }
    try {
        publish(partial_, options_.output);
    } catch (const std::exception& e) {
        throw CaptureError(std::string(e.what()) + " (left " + partial_ + ")");
    }
    std::filesystem::remove(partial_, ec);
    return stats;
}

void LiveCapture::close_handles() noexcept {
    if (dumper_ != nullptr) pcap_dump_close(dumper_);  // flushes and closes the file
    dumper_ = nullptr;
    if (handle_ != nullptr) pcap_close(handle_);
    handle_ = nullptr;
}

}  // namespace ftpsim::sim::capture
