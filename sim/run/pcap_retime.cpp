#include "sim/run/pcap_retime.hpp"

#include <pcap/pcap.h>

#include <memory>
#include <stdexcept>

#include "golden/atomic_file.hpp"

namespace ftpsim::sim::run {

void retime_capture(const std::string& from, const std::string& to, std::int64_t start_seconds,
                    std::uint32_t start_nanos) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    // Nanosecond precision on both sides: start_time may have nanoseconds, and a microsecond
    // file read this way keeps its values (libpcap scales them).
    std::unique_ptr<pcap_t, decltype(&pcap_close)> in(
        pcap_open_offline_with_tstamp_precision(from.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf), &pcap_close);
    if (!in) throw std::runtime_error(from + ": cannot read it back: " + errbuf);
    std::unique_ptr<pcap_t, decltype(&pcap_close)> dead(
        pcap_open_dead_with_tstamp_precision(pcap_datalink(in.get()), pcap_snapshot(in.get()),
                                             PCAP_TSTAMP_PRECISION_NANO),
        &pcap_close);
    golden::AtomicFile retimed(to);
    pcap_dumper_t* out = dead ? pcap_dump_open(dead.get(), retimed.temp_path().c_str()) : nullptr;
    if (out == nullptr) throw std::runtime_error(to + ": cannot write the capture retimed");

    constexpr std::int64_t kNs = 1'000'000'000;
    const std::int64_t target = start_seconds * kNs + start_nanos;
    std::int64_t offset = 0;
    bool first = true;
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    int rc = 0;
    while ((rc = pcap_next_ex(in.get(), &hdr, &data)) == 1) {
        // In nanosecond mode tv_usec holds nanoseconds.
        std::int64_t t = static_cast<std::int64_t>(hdr->ts.tv_sec) * kNs + hdr->ts.tv_usec;
        if (first) offset = target - t;
        first = false;
        t += offset;
        pcap_pkthdr h = *hdr;
        h.ts.tv_sec = static_cast<decltype(h.ts.tv_sec)>(t / kNs);
        h.ts.tv_usec = static_cast<decltype(h.ts.tv_usec)>(t % kNs);
        pcap_dump(reinterpret_cast<u_char*>(out), &h, data);
    }
    bool ok = rc == PCAP_ERROR_BREAK && pcap_dump_flush(out) == 0;
    pcap_dump_close(out);
    if (!ok) throw std::runtime_error(to + ": cannot write the capture retimed from " + from);
    retimed.commit();
}

}  // namespace ftpsim::sim::run
