// ClientSession uploads (STOR, APPE, STOU; RFC 959 §4.1.3): the data goes after the 1yz reply,
// as MemorySlices of the op's buffer of at most 1 MiB, one outstanding at a time (the next
// after on_data_sent), then our close marks the end of file (RFC 959 §3.4, stream mode).
#include <gtest/gtest.h>

#include <memory>

#include "hash/sha256.hpp"
#include "engine/client_harness.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

std::shared_ptr<const std::string> content(std::size_t size) {
    std::string s(size, '\0');
    std::uint32_t x = 12345;
    for (auto& c : s) {
        x = x * 1103515245u + 12345u;  // deterministic, not all one byte
        c = static_cast<char>(x >> 24);
    }
    return std::make_shared<const std::string>(std::move(s));
}

ClientOp upload(Kind kind, std::string name, std::shared_ptr<const std::string> data) {
    ClientOp op = make_op(kind, std::move(name));
    op.upload = std::move(data);
    return op;
}

// Greeting, PASV, connect: channel 1 is up and the command is out.
void open_passive(ClientHarness& h, const std::string& command) {
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> PASV\r\n"});
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    EXPECT_EQ(h.take(), (Lines{"CONNECT #1 10.0.0.1:50000", "> " + command + "\r\n"}));
}

TEST(ClientUpload, StorChunksWithOneOutstandingAtATime) {
    const auto data = content(2 * 1024 * 1024 + 524288);  // 2.5 MiB
    ClientHarness h({upload(Kind::kStor, "up.bin", data), make_op(Kind::kNoop)});
    open_passive(h, "STOR up.bin");
    EXPECT_TRUE(h.take().empty());  // nothing is sent before the 150
    h.reply("150 Ok to send data.");
    auto actions = h.take_actions();
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(render(actions[0]), "SEND #1 0+1048576");
    // The slice is of the op's own buffer: no copy through the engine.
    EXPECT_EQ(std::get<MemorySlice>(std::get<SendData>(actions[0]).source).buffer, data);
    EXPECT_TRUE(h.take().empty());  // one outstanding until on_data_sent
    h.sent(1);
    EXPECT_EQ(h.take(), Lines{"SEND #1 1048576+1048576"});
    h.sent(1);
    EXPECT_EQ(h.take(), Lines{"SEND #1 2097152+524288"});
    h.sent(1);
    EXPECT_EQ(h.take(), Lines{"CLOSEDATA #1"});
    EXPECT_TRUE(h.results().empty());  // the 226 is not in yet
    h.reply("226 Transfer complete.");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok) << r[0].error;
    EXPECT_EQ(r[0].bytes, data->size());
    EXPECT_EQ(r[0].sha256, analyzer::sha256_hex(bytes_of(*data)));
    EXPECT_EQ(codes(r[0]), (std::vector<int>{227, 150, 226}));
}

TEST(ClientUpload, SmallAndEmptyUploads) {
    {
        ClientHarness h({upload(Kind::kAppe, "log.txt", std::make_shared<const std::string>("abc"))});
        open_passive(h, "APPE log.txt");
        h.reply("150 Ok to send data.");
        EXPECT_EQ(h.take(), Lines{"SEND #1 0+3"});
        h.sent(1);
        EXPECT_EQ(h.take(), Lines{"CLOSEDATA #1"});
        h.reply("226 Transfer complete.");
        const auto r = h.results();
        ASSERT_EQ(r.size(), 1u);
        EXPECT_EQ(r[0].sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
    for (auto data : {std::shared_ptr<const std::string>(), std::make_shared<const std::string>()}) {
        ClientHarness h({upload(Kind::kStou, "", data)});
        open_passive(h, "STOU");
        h.reply("150 FILE: ftpsim.1");
        EXPECT_EQ(h.take(), Lines{"CLOSEDATA #1"});  // nothing to send: end of file at once
        h.reply("226 Transfer complete.");
        const auto r = h.results();
        ASSERT_EQ(r.size(), 1u);
        EXPECT_TRUE(r[0].ok);
        EXPECT_EQ(r[0].bytes, 0u);
    }
}

TEST(ClientUpload, ActiveUploadStartsOnceConnectedAndAnswered) {
    ClientConfig config;
    config.mode = DataMode::kActive;
    ClientHarness h({upload(Kind::kStor, "a", std::make_shared<const std::string>("hello"))},
                    config);
    h.connect();
    h.reply("220 hi");
    h.listening(1, 45000);
    h.reply("200 ok");
    EXPECT_EQ(h.take(), (Lines{"LISTEN #1 0-0", "> PORT 10,0,0,2,175,200\r\n", "> STOR a\r\n"}));
    h.reply("150 Ok to send data.");
    EXPECT_TRUE(h.take().empty());  // not connected yet
    h.connected(1);
    EXPECT_EQ(h.take(), Lines{"SEND #1 0+5"});
    h.sent(1);
    h.reply("226 ok");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    EXPECT_TRUE(h.results()[0].ok);
}

TEST(ClientUpload, RefusedUploadSendsNothing) {
    ClientHarness h({upload(Kind::kStor, "/ro/a", content(10)), make_op(Kind::kNoop)});
    open_passive(h, "STOR /ro/a");
    h.reply("553 Could not create file.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "> NOOP\r\n"}));
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error, "STOR failed: 553 Could not create file.");
    EXPECT_EQ(r[0].bytes, 0u);
}

TEST(ClientUpload, ServerClosingMidUploadIsAnError) {
    ClientHarness h({upload(Kind::kStor, "a", content(3 * 1024 * 1024))});
    open_passive(h, "STOR a");
    h.reply("150 ok");
    h.take();
    h.sent(1);
    h.take();
    h.data_closed(1);
    EXPECT_EQ(h.take(), Lines{"CLOSEDATA #1"});
    h.reply("451 Failure writing to local file.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].error, "STOR failed: 451 Failure writing to local file.");
    EXPECT_EQ(r[0].bytes, 1024u * 1024u);  // the chunk confirmed before the close
}

TEST(ClientUpload, ServerClosingMidUploadThen226StillFails) {
    ClientHarness h({upload(Kind::kStor, "a", content(2 * 1024 * 1024))});
    open_passive(h, "STOR a");
    h.reply("150 ok");
    h.sent(1);
    h.data_closed(1);
    h.reply("226 ok");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].error, "the server closed the data connection after 1048576 bytes of the upload");
}

TEST(ClientUpload, FinalReplyBeforeTheUploadBeganFails) {
    ClientHarness h({upload(Kind::kStor, "a", content(5))});
    open_passive(h, "STOR a");
    h.reply("226 Nothing to do.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    EXPECT_EQ(h.results()[0].error, "the server answered 226 Nothing to do. before the upload began");
}

}  // namespace
}  // namespace ftpsim::sim::test
