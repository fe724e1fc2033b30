// build_lesson(): a capture file read through the analyzer into a LessonBuilder.
#include <filesystem>

#include "explain/lesson.hpp"
#include "explain/lesson_builder.hpp"

namespace ftpsim::explain {

Lesson build_lesson(const std::string& capture_path, const std::string& title,
                    const std::function<void(const std::string&)>& warn) {
    LessonBuilder builder(warn);
    analyzer::analyze_file(capture_path, builder, LessonBuilder::options());
    const std::string name = std::filesystem::path(capture_path).filename().string();
    return builder.finish(title.empty() ? "Lesson: " + name : title, capture_path);
}

}  // namespace ftpsim::explain
