// docs/scenario-format.md's step table names exactly the client operation table's steps
// (client_op_table.hpp), so a step added to the table and not documented, or documented and
// gone, fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "sim/engine/client_op_table.hpp"

namespace {

// The backquoted names in the first column of the table headed "| step | sends | argument |".
std::multiset<std::string> documented_steps() {
    std::ifstream in(std::string(FTPSIM_DOCS_DIR) + "/scenario-format.md");
    std::string line;
    while (std::getline(in, line) && line.rfind("| step | sends |", 0) != 0) {
    }
    std::getline(in, line);  // |---|---|
    std::multiset<std::string> steps;
    while (std::getline(in, line) && line.rfind("|", 0) == 0) {
        const std::string first = line.substr(1, line.find('|', 1) - 1);
        for (auto open = first.find('`'); open != std::string::npos; open = first.find('`', open + 1)) {
            const auto close = first.find('`', open + 1);
            if (close == std::string::npos) break;
            steps.insert(first.substr(open + 1, close - open - 1));
            open = close;
        }
    }
    return steps;
}

TEST(StepTableDoc, ListsExactlyTheOperationTablesSteps) {
    std::multiset<std::string> table;
    for (const auto& spec : ftpsim::sim::client_op_table()) table.insert(spec.step);
    const auto doc = documented_steps();
    ASSERT_FALSE(doc.empty()) << "no step table in docs/scenario-format.md";
    EXPECT_EQ(doc, table);
}

}  // namespace
