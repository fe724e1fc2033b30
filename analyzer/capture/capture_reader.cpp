#include "capture/capture_reader.hpp"

#include <pcap/pcap.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "capture/capture_error.hpp"
#include "capture/link_layer.hpp"

namespace ftpsim::capture {

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
        frame.time = static_cast<tcp::TimeNs>(hdr->ts.tv_sec) * 1'000'000'000 +
                     static_cast<tcp::TimeNs>(hdr->ts.tv_usec);  // nanoseconds: see the open call
        frame.wire_length = hdr->len;
        frame.bytes = std::span<const std::uint8_t>(data, hdr->caplen);
        return true;
    }
    if (rc == PCAP_ERROR) {
        // libpcap reports a record cut short by the end of the file this way; what came
        // before it is good, so it is a warning and the analysis goes on with what was read.
        warn_(path_ + ": frame " + std::to_string(count_ + 1) +
              ": truncated record at end of file (" + pcap_geterr(handle_) +
              "); analysed the " + std::to_string(count_) + " frames before it");
    }
    return false;  // PCAP_ERROR_BREAK: end of file
}

}  // namespace ftpsim::capture
