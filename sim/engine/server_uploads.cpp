// An upload's bytes into its UploadSink (TYPE A: CRLF to LF), and its end: the commit that
// puts the file in place before the 226, in the engine for an in-memory sink, through the
// driver (CommitUpload, on_upload_committed) for one that blocks on a disk.
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

FsError ServerSession::Impl::write_upload(std::span<const std::uint8_t> bytes) {
    Transfer& x = *xfer;
    if (!x.ascii) return bytes.empty() ? FsError::kNone : x.sink->write(bytes);
    // TYPE A upload: CRLF -> LF.
    std::string out;
    x.from_network.convert(bytes, out);
    return out.empty() ? FsError::kNone
                       : x.sink->write({reinterpret_cast<const std::uint8_t*>(out.data()), out.size()});
}

void ServerSession::Impl::upload_bytes(std::span<const std::uint8_t> bytes) {
    Transfer& x = *xfer;
    std::size_t take = bytes.size();
    if (x.limit != UINT64_MAX && x.bytes + take > x.limit) {
        take = static_cast<std::size_t>(x.limit - std::min(x.limit, x.bytes));
    }
    x.bytes += take;
    if (const FsError e = write_upload(bytes.first(take)); e != FsError::kNone) {
        log(x.verb + " " + x.what + ": write failed after " + std::to_string(x.bytes) +
            " bytes (" + server::describe(e) + "); upload abandoned");
        fail_transfer(server::upload_failure(e), true);
        return;
    }
    if (x.limit == UINT64_MAX || x.bytes < x.limit) return;
    // A data fault on an upload: the server stops after `bytes` bytes, closing (short
    // transfer, then 226) or resetting (then 426) the data connection under the sender. The
    // file follows the reply: the short transfer's 226 claims success, so what arrived is
    // committed (the fault imitates a server that loses the tail and says nothing); the
    // reset's 426 says the transfer failed, so nothing is.
    if (x.reset_at_limit) {
        x.sink.reset();
        end_data(true);
        end_transfer();
        return;
    }
    // Committed here even when the sink blocks: only a configured fault comes this way.
    if (!commit_upload()) return;
    end_data(false);
    end_transfer();
}

bool ServerSession::Impl::commit_upload() {
    Transfer& x = *xfer;
    const FsError e = x.sink->commit();
    x.sink.reset();
    if (e == FsError::kNone) return true;
    log(x.verb + " " + x.what + ": could not put the upload in place (" + server::describe(e) +
        "); the file is as it was");
    fail_transfer(server::upload_failure(e), false);
    return false;
}

void ServerSession::Impl::finish_upload() {
    Transfer& x = *xfer;
    if (x.ascii) {
        std::string rest;
        x.from_network.finish(rest);  // a CR that no LF followed
        const FsError e = rest.empty() ? FsError::kNone
                                       : x.sink->write({reinterpret_cast<const std::uint8_t*>(rest.data()), rest.size()});
        if (e != FsError::kNone) {
            log(x.verb + " " + x.what + ": write failed after " + std::to_string(x.bytes) +
                " bytes (" + server::describe(e) + "); upload abandoned");
            fail_transfer(server::upload_failure(e), false);
            return;
        }
    }
    // The 226 only once the file is in place: a client that reads "complete" finds the file.
    if (x.sink->commit_blocks()) {
        // fsync and rename on a real disk: the driver does it away from the other sessions
        // and answers on_upload_committed. The data connection stays as it is until then.
        x.phase = Transfer::Phase::kCommitting;
        x.committing = data ? data->id : 0;
        push(CommitUpload{x.committing, std::shared_ptr<UploadSink>(std::move(x.sink))});
        return;
    }
    if (!commit_upload()) return;
    complete_upload();
}

void ServerSession::Impl::upload_committed(ChannelId id, FsError result) {
    if (closing || !xfer || xfer->phase != Transfer::Phase::kCommitting || xfer->committing != id) return;
    if (result != FsError::kNone) {
        log(xfer->verb + " " + xfer->what + ": could not put the upload in place (" +
            server::describe(result) + "); the file is as it was");
        fail_transfer(server::upload_failure(result), false);
        return;
    }
    complete_upload();
}

void ServerSession::Impl::complete_upload() {
    Transfer& x = *xfer;
    log(x.verb + " " + x.what + " " + std::to_string(x.bytes) + " bytes");
    close_data(false);
    verb = x.verb;
    reply(x.done_msg);
    end_transfer();
}

}  // namespace ftpsim::sim
