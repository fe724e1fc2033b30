#include <iostream>

#include "commands.hpp"
#include "capture/capture_error.hpp"
#include "decode/analyzer.hpp"
#include "render/renderers.hpp"

namespace ftpsim::tools {

Subcommand add_analyze_command(CLI::App& app) {
    struct Options {
        std::string capture;
        std::string format = "text";
        bool show_secrets = false;
    };
    auto opt = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("analyze", "Decode the FTP sessions in a pcap/pcapng capture");
    cmd->add_option("CAPTURE", opt->capture, "pcap or pcapng file")->required();
    cmd->add_option("--format", opt->format, "text (the decoded sequence), json, or table (one line per packet)")
        ->check(CLI::IsMember({"text", "json", "table"}));
    cmd->add_flag("--show-secrets", opt->show_secrets, "show PASS/ACCT arguments instead of ****");
    return {cmd, [opt] {
        try {
            analyzer::AnalyzeOptions a;
            a.show_secrets = opt->show_secrets;
            if (opt->format == "json") {
                render::JsonRenderer json(std::cout, std::cerr, opt->capture, opt->show_secrets);
                json.finish(analyzer::analyze_file(opt->capture, json, a));
            } else if (opt->format == "table") {
                a.packet_summaries = true;
                render::TableRenderer table(std::cout, std::cerr);
                analyzer::analyze_file(opt->capture, table, a);
            } else {
                render::TextRenderer text(std::cout, std::cerr, opt->show_secrets);
                analyzer::analyze_file(opt->capture, text, a);
            }
            std::cout.flush();
            return 0;
        } catch (const capture::CaptureError& e) {
            std::cerr << "ftpsim analyze: " << e.what() << "\n";
            return 2;
        }
    }};
}

}  // namespace ftpsim::tools
