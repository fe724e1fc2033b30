// The bytes of one transfer on the client side: what came in (counted, hashed, listings kept)
// or what goes out (an upload cut into chunks, one outstanding at a time), and the byte
// thresholds at which the op stalls or aborts. Knows nothing of replies or connections.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "hash/sha256.hpp"
#include "sim/engine/actions.hpp"
#include "sim/engine/client_session.hpp"

namespace ftpsim::sim::client {

// Listings are kept as text up to this size (OpResult::listing); bytes past it are still
// counted and hashed.
constexpr std::uint64_t kMaxListing = 1024 * 1024;
// Largest SendData of an upload: big enough for few round trips through the driver, small
// enough that one op never pins a whole large buffer in a socket queue.
constexpr std::uint64_t kUploadChunk = 1024 * 1024;

class DataStream {
public:
    // `hash`: keep a SHA-256 of the bytes (digest() is "" without).
    DataStream(const ClientOp& op, bool download, bool keep_listing, bool hash = true);

    bool download() const { return download_; }

    // Download: bytes that arrived.
    void received(std::span<const std::uint8_t> bytes);

    // Upload: the next chunk to send, or nullopt when one is outstanding, all was sent, or the
    // op's abort point was reached. Chunks end at the abort point so exactly that many bytes go.
    std::optional<MemorySlice> next_chunk();
    void chunk_sent();  // the outstanding chunk was written: count and hash it
    bool chunk_outstanding() const { return outstanding_ > 0; }
    bool upload_complete() const;  // every byte of the upload was written

    // The op asked to stop reading after `stall_after` bytes: true once, when that is reached.
    bool take_stall_due();
    // The op asked to abort after `abort_after` bytes and they have moved (once).
    bool take_abort_due();

    std::uint64_t bytes() const { return bytes_; }
    std::string digest() { return hashing_ ? hash_.hex_digest() : std::string(); }  // once, at the end
    std::string take_listing() { return std::move(listing_); }

private:
    std::uint64_t upload_size() const;

    bool download_;
    bool keep_listing_;
    bool hashing_;
    std::shared_ptr<const std::string> upload_;
    std::uint64_t stall_after_;
    bool stall_wanted_;
    std::uint64_t abort_after_;
    bool stall_done_ = false;
    bool abort_done_ = false;

    std::uint64_t bytes_ = 0;        // received, or written and confirmed
    std::uint64_t outstanding_ = 0;  // upload: length of the SendData not confirmed yet
    analyzer::Sha256 hash_;
    std::string listing_;
};

}  // namespace ftpsim::sim::client
