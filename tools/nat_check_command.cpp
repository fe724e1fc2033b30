#include <iostream>

#include "commands.hpp"
#include "natcheck/nat_check.hpp"
#include "natcheck/nat_render.hpp"

namespace ftpsim::tools {

Subcommand add_nat_check_command(CLI::App& app) {
    struct Options {
        std::string inside, outside;
        std::string format = "text";
        std::string junit;
        std::vector<std::uint16_t> keep_ports;
    };
    auto opt = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "nat-check", "Judge a NAT/ALG device from captures taken on both of its sides (docs/nat-check.md)");
    cmd->add_option("INSIDE", opt->inside, "capture on the client's side of the device")->required();
    cmd->add_option("OUTSIDE", opt->outside, "capture on the server's side of the device")->required();
    cmd->add_option("--format", opt->format,
                    "text (one line per item), json, or golden (the normalised form of golden files)")
        ->check(CLI::IsMember({"text", "json", "golden"}));
    cmd->add_option("--junit", opt->junit, "also write a JUnit XML report (one testcase per item) to this file");
    cmd->add_option("--keep-port", opt->keep_ports,
                    "golden form: a port at or above 1024 that the scenario fixed, kept as is");
    return {cmd, [opt] {
        try {
            natcheck::Report report = natcheck::check_captures(opt->inside, opt->outside);
            for (const std::string& w : report.warnings) std::cerr << "ftpsim nat-check: warning: " << w << "\n";
            if (opt->format == "json")
                std::cout << natcheck::report_json(report).dump(2) << "\n";
            else if (opt->format == "golden")
                std::cout << natcheck::report_golden(report, {opt->keep_ports.begin(), opt->keep_ports.end()});
            else
                std::cout << natcheck::report_text(report);
            std::cout.flush();
            if (!opt->junit.empty()) natcheck::write_junit(report, opt->junit);
            return report.verdict() == natcheck::Verdict::kFail ? 1 : 0;
        } catch (const natcheck::BadInput& e) {
            std::cerr << "ftpsim nat-check: " << e.what() << "\n";
            return 2;
        } catch (const std::runtime_error& e) {
            std::cerr << "ftpsim nat-check: " << e.what() << "\n";
            return 2;
        }
    }};
}

}  // namespace ftpsim::tools
