// `ftpsim explain CAPTURE --format md|html [--out FILE] [--force]`: the lesson of a capture
// (analyzer/explain), on stdout or into FILE, which appears complete or not at all.
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "capture/capture_error.hpp"
#include "commands.hpp"
#include "explain/lesson.hpp"
#include "golden/atomic_file.hpp"

namespace ftpsim::tools {
namespace {

namespace fs = std::filesystem;

// Whether `output` names the file `input` names (also through another spelling or a link).
bool same_file(const std::string& input, const std::string& output) {
    std::error_code ec, in_ec, out_ec;
    if (fs::equivalent(input, output, ec)) return true;
    const fs::path in = fs::weakly_canonical(input, in_ec), out = fs::weakly_canonical(output, out_ec);
    return !in_ec && !out_ec && in == out;
}

std::string render(const explain::Lesson& lesson, const std::string& format) {
    if (format == "md") return explain::render_markdown(lesson);
#ifdef FTPSIM_EXPLAIN_HTML
    return explain::render_html(lesson);
#else
    throw std::runtime_error("--format html: this ftpsim was built without the HTML renderer");
#endif
}

}  // namespace

Subcommand add_explain_command(CLI::App& app) {
    struct Options {
        std::string input, output, format = "md", title;
        bool force = false;
    };
    auto opt = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "explain", "Write a lesson about a capture: packet table, ladder diagram, address "
                   "arithmetic, reply codes and TCP events");
    cmd->add_option("CAPTURE", opt->input, "pcap or pcapng file to explain")->required();
    cmd->add_option("--format", opt->format, "md (Markdown with a Mermaid diagram) or html")
        ->check(CLI::IsMember({"md", "html"}));
    cmd->add_option("--out", opt->output, "file to write (default: standard output)");
    cmd->add_option("--title", opt->title, "the lesson's title (default: \"Lesson: \" and the file name)");
    cmd->add_flag("--force", opt->force, "replace --out's file if it exists (never CAPTURE itself)");
    return {cmd, [opt] {
        try {
            // Nothing the user gave is lost silently: the capture is never replaced, an
            // existing output only when asked.
            if (!opt->output.empty()) {
                if (same_file(opt->input, opt->output))
                    throw std::runtime_error(opt->output + ": is the input capture; refusing to overwrite it");
                std::error_code ec;
                if (!opt->force && fs::exists(opt->output, ec))
                    throw std::runtime_error(opt->output + ": exists; use --force to replace it");
            }
            const explain::Lesson lesson = explain::build_lesson(
                opt->input, opt->title,
                [](const std::string& w) { std::cerr << "ftpsim explain: warning: " << w << "\n"; });
            const std::string text = render(lesson, opt->format);
            if (opt->output.empty()) {
                std::cout << text;
                std::cout.flush();
                return std::cout ? 0 : 2;
            }
            golden::AtomicFile file(opt->output, opt->force ? golden::AtomicFile::Replace::kYes
                                                            : golden::AtomicFile::Replace::kNo);
            file.write(text);
            file.commit();
            std::cerr << "ftpsim explain: " << opt->output << ": lesson of " << lesson.summary.frames
                      << " frames written\n";
            return 0;
        } catch (const capture::CaptureError& e) {
            std::cerr << "ftpsim explain: " << e.what() << "\n";
            return 2;
        } catch (const std::runtime_error& e) {
            std::cerr << "ftpsim explain: " << e.what() << "\n";
            return 2;
        }
    }};
}

}  // namespace ftpsim::tools
