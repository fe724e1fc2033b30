// vnet_bench: the virtual network's throughput on the standard session (login, PWD, LIST,
// RETR 64 KiB, QUIT), run N times one after another in one process, each session writing its
// pcap (to the same path, overwritten), pinned to one core when it can be. Prints sessions/s,
// packets/s (frames written to the pcaps) and the peak RSS after N/10, N/2 and N sessions, so
// that "memory flat in the number of sessions" can be read off.
//
// The session is bench/standard_session.yaml (or --scenario FILE), loaded by the scenario loader
// and planned by plan_virtual exactly as `ftpsim run --net virtual` does; only the loop around
// the virtual network's session is the benchmark's own.
//
//   vnet_bench [--sessions N] [--scenario FILE] [--pcap-dir DIR] [--cpu C] [--no-pin] [--json FILE]
//              [--type-i] [--no-pcap]   (diagnostics: not the standard figure)
#include <malloc.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "sim/config/memory_tree.hpp"
#include "sim/run/virtual_runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/vnet/ftp_driver.hpp"

namespace fs = std::filesystem;
using namespace ftpsim;
using namespace ftpsim::sim;
using namespace ftpsim::sim::vnet;

namespace {

// --type-i: TYPE I before the first LIST, so the RETR runs binary. The standard session has no
// TYPE: its RETR runs in the default TYPE A (ASCII, line ends converted by the server).
void insert_type_i(std::vector<ClientOp>& ops) {
    ClientOp type;
    type.kind = ClientOp::Kind::kType;
    type.arg = "I";
    auto at = ops.begin();
    while (at != ops.end() && at->kind != ClientOp::Kind::kList) ++at;
    ops.insert(at, type);
}

long peak_rss_kib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;  // KiB on Linux
}

long current_rss_kib() {
    std::ifstream in("/proc/self/statm");
    long size = 0, resident = 0;
    in >> size >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Records in a classic pcap file (24-byte header, 16-byte record headers), or -1.
long long pcap_records(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char gh[24];
    if (!in.read(reinterpret_cast<char*>(gh), 24)) return -1;
    std::uint32_t magic;
    std::memcpy(&magic, gh, 4);
    const bool swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
    if (!swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) return -1;
    long long n = 0;
    unsigned char rh[16];
    while (in.read(reinterpret_cast<char*>(rh), 16)) {
        std::uint32_t incl;
        std::memcpy(&incl, rh + 8, 4);
        if (swap) incl = __builtin_bswap32(incl);
        in.seekg(incl, std::ios::cur);
        if (!in) return -1;
        ++n;
    }
    return n;
}

void usage() {
    std::cerr << "usage: vnet_bench [--sessions N] [--scenario FILE] [--pcap-dir DIR] [--cpu C] [--no-pin]\n"
                 "                  [--json FILE]\n"
                 "  --sessions N   standard sessions to run one after another (default 10000)\n"
                 "  --scenario F   the session (default " FTPSIM_BENCH_SCENARIO ")\n"
                 "  --pcap-dir DIR where each session writes its pcap, overwriting one file (default: a new\n"
                 "                 directory under $TMPDIR, removed at the end)\n"
                 "  --cpu C        pin to this CPU (default 0); --no-pin: do not pin\n"
                 "  --json FILE    also write the figures as JSON\n"
                 "diagnostics (not the standard figure):\n"
                 "  --type-i       send TYPE I before LIST/RETR (binary RETR, no ASCII conversion)\n"
                 "  --no-pcap      write no pcap (packets are still counted as the driver generates them)\n"
                 "  --unlink-each  remove the previous pcap before each session, so the writer's rename does not\n"
                 "                 replace an existing file (the writer now removes it itself)\n"
                 "  --client-hash  the client hashes every byte it receives (SHA-256), as ftpsim run does\n";
}

}  // namespace

int main(int argc, char** argv) {
    // A session allocates and frees a few hundred KiB (the file, the send and receive queues);
    // glibc would give the top of the heap back to the kernel after each one and fault it in
    // again in the next. Keeping it, as a long-running generator would, costs no memory growth
    // (peak RSS is printed below) and measures the simulator rather than the page-fault path.
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    long long sessions = 10000;
    std::string scenario_path = FTPSIM_BENCH_SCENARIO;
    std::string pcap_dir;
    std::string json_path;
    int cpu = 0;
    bool pin = true;
    bool type_i = false;
    bool no_pcap = false;
    bool unlink_each = false;
    bool client_hash = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto need = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--sessions") sessions = std::atoll(need().c_str());
        else if (a == "--scenario") scenario_path = need();
        else if (a == "--pcap-dir") pcap_dir = need();
        else if (a == "--cpu") cpu = std::atoi(need().c_str());
        else if (a == "--no-pin") pin = false;
        else if (a == "--type-i") type_i = true;
        else if (a == "--no-pcap") no_pcap = true;
        else if (a == "--unlink-each") unlink_each = true;
        else if (a == "--client-hash") client_hash = true;
        else if (a == "--json") json_path = need();
        else if (a == "-h" || a == "--help") {
            usage();
            return 0;
        } else {
            std::cerr << "vnet_bench: unknown argument " << a << "\n";
            usage();
            return 2;
        }
    }
    if (sessions < 1) {
        std::cerr << "vnet_bench: --sessions must be >= 1\n";
        return 2;
    }

    bool own_dir = false;
    if (pcap_dir.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "vnet_bench.XXXXXX").string();
        if (!mkdtemp(tmpl.data())) {
            std::perror("vnet_bench: mkdtemp");
            return 2;
        }
        pcap_dir = tmpl;
        own_dir = true;
    } else {
        std::error_code ec;
        fs::create_directories(pcap_dir, ec);
    }
    // The scenario as `ftpsim run --net virtual` sees it: loaded, then planned (network, server
    // with its faults, the client's operations).
    scenario::Scenario loaded;
    run::VirtualPlan plan;
    try {
        loaded = scenario::load_scenario(scenario_path);
        plan = run::plan_virtual(loaded);
    } catch (const std::exception& e) {
        std::cerr << "vnet_bench: " << e.what() << "\n";
        return 2;
    }
    const std::string pcap_file =
        (fs::path(pcap_dir) / (loaded.name + "." + plan.capture_points.front() + ".pcap")).string();
    const std::string pcap = no_pcap ? std::string() : pcap_file;

    std::string pinned = "not pinned";
    if (pin) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) == 0) pinned = "pinned to CPU " + std::to_string(cpu);
        else pinned = std::string("not pinned (sched_setaffinity: ") + std::strerror(errno) + ")";
    }

    const ServerConfig& server = plan.server;
    auto files = config::build_memory_tree(loaded.server->loaded.tree);
    ClientConfig client = loaded.client.config;
    // A generator does not check what it receives (the pcap holds it; the analyzer hashes it
    // there): no SHA-256 in the client, unless --client-hash asks for it.
    client.hash_transfers = client_hash;
    const VnetScenario& scenario = plan.network;
    std::vector<ClientOp> ops = plan.ops;
    if (type_i) insert_type_i(ops);

    // One warm-up session, checked: every op succeeded, the RETR moved the file, the pcap holds
    // as many records as the driver says it wrote.
    {
        VnetResult r = run_ftp_session(scenario, server, *files, client, ops, pcap);
        bool ok = r.client_finished && r.capture_ok && r.results.size() == ops.size();
        for (const auto& res : r.results) ok = ok && res.ok;
        const long long recs = no_pcap ? static_cast<long long>(r.frames) : pcap_records(pcap);
        if (!ok || recs != static_cast<long long>(r.frames)) {
            std::cerr << "vnet_bench: the warm-up session failed (finished=" << r.client_finished
                      << " capture_ok=" << r.capture_ok << " ops=" << r.results.size() << "/" << ops.size()
                      << " frames=" << r.frames << " pcap records=" << recs << ")\n";
            for (const auto& res : r.results)
                if (!res.ok) std::cerr << "  op failed: " << res.error << "\n";
            return 3;
        }
        std::cout << "vnet_bench: " << loaded.name << " (" << scenario_path << ")" << (type_i ? " with TYPE I" : "")
                  << ", RETR moved " << r.results[r.results.size() - 2].bytes << " bytes, " << r.frames
                  << " frames per session (pcap checked: " << recs << " records), "
                  << static_cast<double>(r.end_time) / 1e9 << " s virtual time\n";
    }

    const long long checkpoints[3] = {std::max(1LL, sessions / 10), std::max(1LL, sessions / 2), sessions};
    long rss_peak[3] = {0, 0, 0}, rss_now[3] = {0, 0, 0};
    std::uint64_t packets = 0, failures = 0;
    int next_cp = 0;

    std::cout << "vnet_bench: " << sessions << " sessions one after another, " << pinned << ", "
              << (no_pcap ? std::string("no pcap written (--no-pcap)") : "pcap " + pcap + " (overwritten each session)")
              << "\n";
    const auto t0 = std::chrono::steady_clock::now();
    for (long long i = 1; i <= sessions; ++i) {
        if (unlink_each && !no_pcap) ::unlink(pcap.c_str());
        VnetResult r = run_ftp_session(scenario, server, *files, client, ops, pcap);
        packets += r.frames;
        if (!r.client_finished || !r.capture_ok) ++failures;
        while (next_cp < 3 && i == checkpoints[next_cp]) {
            rss_peak[next_cp] = peak_rss_kib();
            rss_now[next_cp] = current_rss_kib();
            ++next_cp;
        }
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const long long last_recs = no_pcap ? -1 : pcap_records(pcap);

    const double sps = static_cast<double>(sessions) / elapsed;
    const double pps = static_cast<double>(packets) / elapsed;
    std::printf("sessions        %lld\n", sessions);
    std::printf("packets         %llu  (%.1f per session; last pcap: %lld records)\n",
                static_cast<unsigned long long>(packets), static_cast<double>(packets) / static_cast<double>(sessions),
                last_recs);
    std::printf("failures        %llu\n", static_cast<unsigned long long>(failures));
    std::printf("elapsed s       %.3f\n", elapsed);
    std::printf("sessions/s      %.1f\n", sps);
    std::printf("packets/s       %.0f\n", pps);
    const char* names[3] = {"N/10", "N/2", "N"};
    for (int k = 0; k < 3; ++k)
        std::printf("peak RSS after %-4s (%lld sessions): %.1f MiB (current %.1f MiB)\n", names[k], checkpoints[k],
                    static_cast<double>(rss_peak[k]) / 1024.0, static_cast<double>(rss_now[k]) / 1024.0);

    if (!json_path.empty()) {
        std::ofstream j(json_path, std::ios::trunc);
        j << "{\"sessions\": " << sessions << ", \"packets\": " << packets << ", \"failures\": " << failures
          << ", \"elapsed_s\": " << elapsed << ", \"sessions_per_s\": " << sps << ", \"packets_per_s\": " << pps
          << ", \"pinned\": " << (pinned.rfind("pinned to", 0) == 0 ? "true" : "false") << ", \"peak_rss_kib\": ["
          << rss_peak[0] << ", " << rss_peak[1] << ", " << rss_peak[2] << "], \"checkpoints\": [" << checkpoints[0]
          << ", " << checkpoints[1] << ", " << checkpoints[2] << "]}\n";
    }
    if (own_dir) {
        std::error_code ec;
        fs::remove_all(pcap_dir, ec);
    }
    return failures == 0 ? 0 : 3;
}
