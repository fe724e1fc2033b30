#include <iostream>
#include <stdexcept>

#include "annotate/annotate_capture.hpp"
#include "capture/capture_error.hpp"
#include "commands.hpp"

namespace ftpsim::tools {

Subcommand add_annotate_command(CLI::App& app) {
    struct Options {
        std::string input, output;
        bool force = false;
    };
    auto opt = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "annotate", "Copy a capture into a pcapng file with a comment on every packet that explains it");
    cmd->add_option("CAPTURE", opt->input, "pcap or pcapng file to explain")->required();
    cmd->add_option("OUT", opt->output, "pcapng file to write (frame.comment in Wireshark)")->required();
    cmd->add_flag("--force", opt->force, "replace OUT if it exists (never CAPTURE itself)");
    return {cmd, [opt] {
        try {
            annotate::AnnotateRequest request;
            request.input = opt->input;
            request.output = opt->output;
            request.replace = opt->force;
            auto result = annotate::annotate_capture(
                request,
                [](const std::string& w) { std::cerr << "ftpsim annotate: warning: " << w << "\n"; });
            std::cerr << "ftpsim annotate: " << opt->output << ": " << result.frames
                      << " frames annotated\n";
            return 0;
        } catch (const capture::CaptureError& e) {
            std::cerr << "ftpsim annotate: " << e.what() << "\n";
            return 2;
        } catch (const std::runtime_error& e) {
            std::cerr << "ftpsim annotate: " << e.what() << "\n";
            return 2;
        }
    }};
}

}  // namespace ftpsim::tools
