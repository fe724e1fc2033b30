#include "scenario_options.hpp"

#include <map>

namespace ftpsim::tools {

void add_scenario_run_options(CLI::App& cmd, sim::run::ScenarioRunOptions& run, unsigned& deadline_s,
                              bool& skip_without_privilege) {
    cmd.footer(cmd.get_footer() +
               "\nNetwork backends (--net):\n"
               "  virtual  (the default) simulated TCP on a virtual clock in one process: byte-identical pcaps,\n"
               "           no privilege needed\n"
               "  kernel   real network namespaces and veth pairs on kernel TCP; as root, or else inside a user\n"
               "           namespace of its own where the kernel allows unprivileged ones\n"
               "Each capture point's pcap is OUT/<scenario>.<point>.pcap (.pcapng with --format pcapng), the\n"
               "run's log OUT/<scenario>.log.\n"
               "Exit: 0 every scenario passed, 1 one failed, 2 bad input or environment, 77 all skipped.");
    cmd.add_option("--out", run.out_dir, "directory for the captures and logs")->capture_default_str();
    cmd.add_option("--golden-dir", run.golden_dir,
                   "read and write golden files in this directory instead of golden/ (or expect.golden's)");
    cmd.add_flag("--update-golden", run.update_golden, "rewrite the golden files from this run's captures");
    cmd.add_option("--net", run.net, "network backend: virtual (default) or kernel")
        ->check(CLI::IsMember({"virtual", "kernel"}))
        ->capture_default_str();
    cmd.add_option("--deadline", deadline_s, "kernel backend: seconds a scenario may take before it is torn down")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    const std::map<std::string, sim::run::CaptureFormat> formats{{"pcap", sim::run::CaptureFormat::kPcap},
                                                                  {"pcapng", sim::run::CaptureFormat::kPcapng}};
    cmd.add_option("--format", run.format,
                   "capture files: pcap (default), or pcapng with a comment on every packet that explains it")
        ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
        ->default_str("pcap");
    cmd.add_option("--lessons", run.lessons_dir,
                   "also write each capture's lesson (ftpsim explain) as DIR/<scenario>.<point>.md and .html");
    cmd.add_flag("--truth", run.truth,
                 "virtual network: also write each capture's ground truth, OUT/<scenario>.<point>.truth.json "
                 "(docs/ground-truth.md)");
    cmd.add_flag("--skip-without-privilege", skip_without_privilege,
                 "exit 77 (skipped, for CTest) instead of 2 without the privilege, unless CI=true");
}

}  // namespace ftpsim::tools
