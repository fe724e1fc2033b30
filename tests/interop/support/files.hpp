// Temporary directories that clean up after themselves, files of deterministic content with a
// known SHA-256, and SHA-256 of files (OpenSSL EVP, streamed, independent of ftpsim's hashing).
#pragma once

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "support/read_file.hpp"

namespace ftpsim::interop {

namespace fs = std::filesystem;

inline std::string hex_of(const unsigned char* d, unsigned n) {
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned i = 0; i < n; ++i) {
        hex += digits[d[i] >> 4];
        hex += digits[d[i] & 15];
    }
    return hex;
}

inline std::string sha256_bytes(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
    return hex_of(digest, len);
}

// SHA-256 of a file's bytes, read in 1 MiB pieces; "" if it cannot be read.
inline std::string sha256_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return {};
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &len);
    return hex_of(digest, len);
}

// `size` bytes that depend only on `seed` (xorshift64*): binary, with every byte value, and
// CR/LF pairs in places, so an ASCII-mode mangling would show.
inline std::string pattern_bytes(std::uint64_t seed, std::size_t size) {
    std::string out(size, '\0');
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (std::size_t i = 0; i < size; i += 8) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        std::uint64_t v = x * 0x2545F4914F6CDD1Dull;
        for (std::size_t k = 0; k < 8 && i + k < size; ++k) out[i + k] = static_cast<char>(v >> (8 * k));
    }
    for (std::size_t i = 100; i + 1 < size; i += 4099) {
        out[i] = '\r';
        out[i + 1] = '\n';
    }
    return out;
}

inline void write_file(const fs::path& p, std::string_view bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

using testsupport::read_file;

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction
// (FTPSIM_KEEP_TMP=1 keeps it for a post-mortem). Mode 0755, so vsftpd's unprivileged session
// processes can walk into it.
class TempDir {
public:
    explicit TempDir(const std::string& tag = "interop") {
        const char* base = std::getenv("TMPDIR");
        std::string tmpl = std::string(base && *base ? base : "/tmp") + "/ftpsim-" + tag + "-XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
        path_ = buf.data();
        ::chmod(path_.c_str(), 0755);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        const char* keep = std::getenv("FTPSIM_KEEP_TMP");
        if (keep && std::string_view(keep) == "1") return;
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& rel) const { return path_ / rel; }

private:
    fs::path path_;
};

// "N bytes" or "missing", for assertion messages.
inline std::string size_note(const fs::path& p) {
    std::error_code ec;
    auto n = fs::file_size(p, ec);
    return ec ? std::string("missing") : std::to_string(n) + " bytes";
}

// Relative path -> SHA-256 of the files written.
using FileHashes = std::map<std::string, std::string>;

// Writes `count` files of deterministic content under `dir` (sizes from 0 bytes to ~300 KiB,
// a few in subdirectories two levels deep) and returns their hashes by relative path.
inline FileHashes make_tree(const fs::path& dir, int count, std::uint64_t seed = 1) {
    FileHashes hashes;
    static const std::size_t sizes[] = {0, 1, 2, 511, 4096, 65536, 65537, 100000, 307200, 1 << 17};
    for (int i = 0; i < count; ++i) {
        std::string rel;
        if (i % 5 == 3) rel = "sub" + std::to_string(i % 3) + "/";
        if (i % 10 == 8) rel += "deeper/";  // i % 5 == 3 too: sub*/deeper/
        rel += "file" + std::to_string(i) + (i % 2 ? ".bin" : ".txt");
        std::string bytes = pattern_bytes(seed * 1000 + static_cast<std::uint64_t>(i),
                                          sizes[static_cast<std::size_t>(i) % std::size(sizes)] + static_cast<std::size_t>(i));
        write_file(dir / rel, bytes);
        hashes[rel] = sha256_bytes(bytes);
    }
    return hashes;
}

// Hashes of every regular file under `dir`, by relative path.
inline FileHashes hash_tree(const fs::path& dir) {
    FileHashes hashes;
    if (!fs::exists(dir)) return hashes;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) hashes[fs::relative(e.path(), dir).generic_string()] = sha256_file(e.path());
    }
    return hashes;
}

// Makes every directory under `dir` 0755 and every file 0644 (vsftpd serves an anonymous user
// only world-readable files).
inline void make_world_readable(const fs::path& dir) {
    ::chmod(dir.c_str(), 0755);
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_symlink()) continue;
        ::chmod(e.path().c_str(), e.is_directory() ? 0755 : 0644);
    }
}

}  // namespace ftpsim::interop
