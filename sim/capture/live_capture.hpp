// Live capture of one interface inside a network namespace to a pcap file. The file is written
// as ".FILE.partial.PID.N" beside FILE (golden::partial_path_beside) and published as FILE only by
// a clean stop(), so a capture cut short (error, time bound, destruction without stop, a killed
// process) never looks complete; a killed process's temporary is removed by the next run there.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

struct pcap;
struct pcap_dumper;

namespace ftpsim::sim::capture {

struct CaptureOptions {
    std::string netns;      // namespace name under /var/run/netns ("" = this thread's namespace)
    std::string interface;  // e.g. "to-server"
    std::string output;     // final pcap path
    std::string filter;     // BPF capture filter, optional
    int snaplen = 262144;
    // The capture stops by itself after this long; stop() then reports it as truncated.
    std::chrono::milliseconds max_duration{60000};
};

struct CaptureStats {
    std::uint64_t packets = 0;   // written to the file
    std::uint64_t dropped = 0;   // by the kernel or the interface (pcap_stats)
};

class CaptureError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class LiveCapture {
public:
    // Opens the handle inside the namespace and starts capturing on a background thread.
    // Returns once the handle is active: packets sent after the constructor are captured.
    explicit LiveCapture(CaptureOptions options);
    // Without a prior stop(): ends the capture and deletes its temporary.
    ~LiveCapture();
    LiveCapture(const LiveCapture&) = delete;
    LiveCapture& operator=(const LiveCapture&) = delete;

    // Writes FILE from the finished temporary itself (and atomically: golden::AtomicFile), in
    // place of the plain rename; throws std::exception on failure.
    using Publish = std::function<void(const std::string& finished, const std::string& output)>;

    // Drains what the kernel has already queued, flushes and closes the temporary, then
    // publishes it: renamed to FILE, or given `publish`, handed to it and removed once FILE is
    // written (the kernel backend retimes the packets on the way, so FILE never holds the
    // capture before its timestamps are the scenario's). Throws CaptureError (leaving the
    // temporary, to be looked at) when the capture failed or hit max_duration, or publishing
    // failed. Call once; bounded by the drain timeout (~1 s).
    CaptureStats stop(const Publish& publish = {});

    const std::string& partial_path() const { return partial_; }
    const std::string& output_path() const { return options_.output; }

private:
    void loop();
    void close_handles() noexcept;

    CaptureOptions options_;
    std::string partial_;
    pcap* handle_ = nullptr;
    pcap_dumper* dumper_ = nullptr;
    std::atomic<bool> stop_requested_{false};
    std::atomic<std::uint64_t> packets_{0};
    bool timed_out_ = false;    // written by the loop thread, read after join
    std::string loop_error_;    // likewise
    bool stopped_ = false;
    std::thread thread_;
};

}  // namespace ftpsim::sim::capture
