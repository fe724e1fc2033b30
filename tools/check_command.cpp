#include <iostream>
#include <set>

#include "commands.hpp"
#include "capture/capture_error.hpp"
#include "decode/analyzer.hpp"
#include "golden/golden_check.hpp"

namespace ftpsim::tools {

Subcommand add_check_command(CLI::App& app) {
    struct Options {
        std::string capture;
        std::string golden;
        bool update = false;
        std::vector<std::uint16_t> keep_ports;
    };
    auto opt = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("check", "Compare a capture's decoded FTP sequence with a golden file");
    cmd->add_option("CAPTURE", opt->capture, "pcap or pcapng file")->required();
    cmd->add_option("--golden", opt->golden, "the golden file")->required();
    cmd->add_flag("--update", opt->update, "rewrite the golden file from the capture and show what changed");
    cmd->add_option("--keep-port", opt->keep_ports,
                    "a port at or above 1024 that the scenario fixed: kept as is, not normalised");
    return {cmd, [opt] {
        try {
            golden::CheckOptions o;
            o.update = opt->update;
            o.update_flag = "--update";
            o.keep_ports.insert(opt->keep_ports.begin(), opt->keep_ports.end());
            golden::CheckOutcome r = golden::check_golden(opt->capture, opt->golden, o, std::cerr);
            switch (r.status) {
                case golden::CheckStatus::kMatch:
                    std::cout << opt->golden << ": match\n";
                    return 0;
                case golden::CheckStatus::kUnchanged:
                    std::cout << opt->golden << ": unchanged\n";
                    return 0;
                case golden::CheckStatus::kUpdated:
                    std::cout << r.diff << opt->golden << ": updated\n";
                    return 0;
                case golden::CheckStatus::kMismatch:
                    std::cout << r.diff << opt->golden << ": MISMATCH\n";
                    return 1;
            }
            return 2;
        } catch (const capture::CaptureError& e) {
            std::cerr << "ftpsim check: " << e.what() << "\n";
            return 2;
        } catch (const std::runtime_error& e) {
            std::cerr << "ftpsim check: " << e.what() << "\n";
            return 2;
        }
    }};
}

}  // namespace ftpsim::tools
