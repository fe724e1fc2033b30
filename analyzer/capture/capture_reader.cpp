#include "capture/capture_reader.hpp"

#include <pcap/pcap.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>

#include "capture/capture_error.hpp"
#include "capture/link_layer.hpp"

namespace ftpsim::capture {

namespace {

// tv_sec * 10^9 + tv_nsec (the handle was opened with nanosecond precision), or nothing when
// that does not fit: pcapng's 64-bit timestamps, or a corrupt one, can name a second past what
// int64 nanoseconds hold (2262) or before 1970, and a time before the epoch has no use here.
std::optional<tcp::TimeNs> nanoseconds_since_epoch(const timeval& ts) {
    tcp::TimeNs ns = 0;
    if (ts.tv_sec < 0 || ts.tv_usec < 0) return std::nullopt;
    if (__builtin_mul_overflow(static_cast<tcp::TimeNs>(ts.tv_sec), tcp::TimeNs{1'000'000'000}, &ns)) return std::nullopt;
    if (__builtin_add_overflow(ns, static_cast<tcp::TimeNs>(ts.tv_usec), &ns)) return std::nullopt;
    return ns;
}

}  // namespace

CaptureReader::CaptureReader(const std::string& path, WarningFn warn)
    : path_(path), warn_(std::move(warn)) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw CaptureError(path + ": cannot open: " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw CaptureError(path + ": is a directory, not a capture file");

    char errbuf[PCAP_ERRBUF_SIZE] = {};
    // Nanosecond precision: pcapng and nanosecond pcap keep their resolution, microsecond
    // pcap is scaled up by libpcap.
    handle_ = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO,
                                                      errbuf);
    if (handle_ == nullptr) {
        std::string why = errbuf;
        if (why.find("unknown file format") != std::string::npos || why.find("truncated") != std::string::npos)
            throw CaptureError(path + ": not a pcap or pcapng capture (" + why + ")");
        throw CaptureError(path + ": cannot read: " + why);
    }
    link_type_ = pcap_datalink(handle_);
    if (!link_layer_supported(link_type_)) {
        const char* name = pcap_datalink_val_to_name(link_type_);
        std::string msg = path + ": unsupported link type " + std::to_string(link_type_);
        if (name != nullptr) msg += std::string(" (") + name + ")";
        msg += "; supported: Ethernet (with VLAN tags), Linux cooked v1/v2, raw IP, BSD loopback";
        pcap_close(handle_);
        handle_ = nullptr;
        throw CaptureError(msg);
    }
}

CaptureReader::~CaptureReader() {
    if (handle_ != nullptr) pcap_close(handle_);
}

bool CaptureReader::next(RawFrame& frame) {
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    int rc = pcap_next_ex(handle_, &hdr, &data);
    if (rc == 1) {
        frame.link_type = link_type_;
        frame.number = ++count_;
        if (const auto ns = nanoseconds_since_epoch(hdr->ts)) {
            frame.time = *ns;
        } else {
            // Keeps times in order and every difference between two of them representable.
            frame.time = last_time_;
            warn_(path_ + ": frame " + std::to_string(count_) + ": timestamp " + std::to_string(hdr->ts.tv_sec) +
                  " s cannot be represented (before 1970 or after 2262); given the previous frame's time");
        }
        last_time_ = frame.time;
        frame.wire_length = hdr->len;
        frame.bytes = std::span<const std::uint8_t>(data, hdr->caplen);
        return true;
    }
    if (rc == PCAP_ERROR) warn_(unreadable_record_warning());
    return false;  // PCAP_ERROR_BREAK: end of file
}

// libpcap stops at a record it cannot read: cut short by the end of the file (a capture copied
// while it was written), or with a corrupt length in the middle. What came before it is good,
// so it is a warning and the analysis goes on with what was read; it says how much was left.
std::string CaptureReader::unreadable_record_warning() const {
    std::string what = path_ + ": frame " + std::to_string(count_ + 1) + ": ";
    const std::string why = pcap_geterr(handle_);
    long offset = -1;
    struct stat st {};
    if (FILE* f = pcap_file(handle_); f != nullptr) {
        offset = std::ftell(f);
        if (::fstat(::fileno(f), &st) != 0) st.st_size = -1;
    }
    if (offset >= 0 && st.st_size > offset) {
        what += "unreadable record (" + why + "); reading stopped at byte " + std::to_string(offset) + " of " +
                std::to_string(st.st_size) + ", " + std::to_string(st.st_size - offset) + " bytes left unread";
    } else {
        what += "truncated record at end of file (" + why + ")";
    }
    return what + "; analysed the " + std::to_string(count_) + " frames before it";
}

}  // namespace ftpsim::capture
