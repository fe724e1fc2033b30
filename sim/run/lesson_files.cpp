#include "sim/run/lesson_files.hpp"

#include <filesystem>
#include <stdexcept>

#include "explain/lesson.hpp"
#include "golden/atomic_file.hpp"

namespace ftpsim::sim::run {

namespace {

// "active_filezilla, capture point client: FileZilla personality, active mode (PORT)".
std::string lesson_title(const scenario::Scenario& s, const std::string& point) {
    std::string title = s.name + ", capture point " + point;
    if (!s.description.empty()) title += ": " + s.description;
    return title;
}

}  // namespace

std::vector<std::string> write_lessons(const scenario::Scenario& s, const std::string& point,
                                       const std::string& capture_path, const std::string& lessons_dir,
                                       const std::function<void(const std::string&)>& warn) {
    std::error_code ec;
    std::filesystem::create_directories(lessons_dir, ec);
    if (ec) throw std::runtime_error(lessons_dir + ": cannot create the lessons directory: " + ec.message());
    const explain::Lesson lesson = explain::build_lesson(capture_path, lesson_title(s, point), warn);
    const std::string stem = (std::filesystem::path(lessons_dir) / (s.name + "." + point)).string();
    golden::write_file_atomically(stem + ".md", explain::render_markdown(lesson));
    golden::write_file_atomically(stem + ".html", explain::render_html(lesson));
    return {stem + ".md", stem + ".html"};
}

}  // namespace ftpsim::sim::run
