#include "sim/run/truth_files.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "golden/atomic_file.hpp"
#include "hash/sha256.hpp"
#include "sim/truth/ground_truth.hpp"
#include "sim/truth/truth_json.hpp"

namespace ftpsim::sim::run {
namespace fs = std::filesystem;

std::string truth_path_for(const std::string& capture_path) {
    fs::path p(capture_path);
    p.replace_extension(".truth.json");
    return p.string();
}

TruthRecording::TruthRecording(std::vector<vnet::FrameTap*>& taps) {
    for (vnet::FrameTap*& tap : taps) {
        logs_.push_back(std::make_unique<truth::FrameLog>());
        tees_.push_back(std::make_unique<truth::TeeTap>(tap, logs_.back().get()));
        tap = tees_.back().get();
    }
}

namespace {

std::string file_sha256(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw std::runtime_error(path + ": cannot read");
    return analyzer::sha256_hex({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

}  // namespace

std::vector<std::string> TruthRecording::write(
    const scenario::Scenario& s, const std::vector<std::pair<std::string, std::string>>& published) const {
    std::vector<std::string> written;
    for (std::size_t i = 0; i < published.size() && i < logs_.size(); ++i) {
        const auto& [point, capture] = published[i];
        truth::GroundTruth t;
        try {
            t = truth::build_ground_truth(ledger_, *logs_[i]);
        } catch (const std::runtime_error& e) {
            throw std::runtime_error("capture point '" + point + "': no ground truth: " + e.what());
        }
        const truth::TruthHeader header{s.name, point, fs::path(capture).filename().string(), file_sha256(capture)};
        const std::string path = truth_path_for(capture);
        golden::write_file_atomically(path, truth::render_truth_json(t, header));
        written.push_back(path);
    }
    return written;
}

}  // namespace ftpsim::sim::run
