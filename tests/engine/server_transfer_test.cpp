// Transfers once the data connection is up: listings, RETR with REST, TYPE A conversion,
// STOR/APPE/STOU, uploads that arrive before their command, big files in slices (the set-up
// itself is in server_data_connection_test.cpp).
#include <gtest/gtest.h>

#include "engine/server_harness.hpp"

namespace ftpsim::sim {
namespace {

using test::ServerHarness;

class ServerTransfer : public test::TransferFixture {};

TEST_F(ServerTransfer, PassiveListInVsftpdStyle) {
    start(Personality::kVsftpd);
    h.send("PASV");
    const ftp::Reply pasv = h.next();
    const ChannelId id = h.last_channel();
    ASSERT_EQ(h.actions.size(), 3u + 2u);  // greeting, 331, 230, ListenData, 227
    const auto& listen = std::get<ListenData>(h.actions[3]);
    EXPECT_EQ(listen.id, id);
    EXPECT_FALSE(listen.ipv6);
    // 50000 = 195 * 256 + 80.
    EXPECT_EQ(pasv.lines.at(0), "227 Entering Passive Mode (192,0,2,1,195,80).");
    h.connect(id);
    EXPECT_TRUE(h.no_reply());  // connected, but no command yet
    h.send("LIST pub");
    EXPECT_EQ(h.next_line(), "150 Here comes the directory listing.");
    EXPECT_EQ(h.next_line(), "226 Directory send OK.");
    EXPECT_EQ(h.channels[id].received,
              "-rw-r--r--    1 0        0              25 Dec 02  2019 dump.sql\r\n"
              "-rw-r--r--    1 0        0         5270987 Dec 03  2019 html.tar.gz\r\n");
    EXPECT_TRUE(h.channels[id].closed);
    EXPECT_FALSE(h.channels[id].reset);
    // The data connection was closed before the 226 was written (vsftpd's order).
    const auto close_at = std::find_if(h.actions.begin(), h.actions.end(), [](const Action& a) {
        return std::holds_alternative<CloseData>(a);
    });
    ASSERT_NE(close_at, h.actions.end());
    ASSERT_NE(close_at + 1, h.actions.end());
    EXPECT_EQ(std::get<SendControl>(*(close_at + 1)).bytes, "226 Directory send OK.\r\n");

    // The set-up is used up: the next transfer needs PORT or PASV again.
    h.send("LIST -la /pub");
    EXPECT_EQ(h.next_line(), "425 Use PORT or PASV first.");
}

TEST_F(ServerTransfer, ListOptionsNlstAndMlsd) {
    start();
    ChannelId id = h.pasv();
    h.connect(id);
    h.send("LIST -a /pub");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_NE(h.channels[id].received.find(".hidden"), std::string::npos);
    id = h.epsv();
    h.connect(id);
    h.send("NLST /pub");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received, "dump.sql\r\nhtml.tar.gz\r\n");
    id = h.pasv();
    h.connect(id);
    h.send("NLST /pub/*.sql");
    h.next();
    h.next();
    EXPECT_EQ(h.channels[id].received, "dump.sql\r\n");
    id = h.pasv();
    h.connect(id);
    h.send("MLSD /pub");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received,
              "type=file;size=1;modify=20191202120000;perm=adfrw; .hidden\r\n"
              "type=file;size=25;modify=20191202120000;perm=adfrw; dump.sql\r\n"
              "type=file;size=5270987;modify=20191203120000;perm=adfrw; html.tar.gz\r\n");
    h.pasv();
    h.send("MLSD /pub/dump.sql");  // RFC 3659 §7.2.2: MLSD wants a directory
    EXPECT_EQ(h.next_code(), 550);
    h.send("LIST /nothing");
    EXPECT_EQ(h.next_code(), 550);
}

TEST_F(ServerTransfer, VsftpdListsAMissingDirectoryAsEmpty) {
    start(Personality::kVsftpd);
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("LIST /nothing");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_line(), "226 Transfer done (but failed to open directory).");
    EXPECT_EQ(h.channels[id].received, "");
    h.send("MLSD");
    EXPECT_EQ(h.next_line(), "500 Unknown command.");  // vsftpd has no MLSD
}

TEST_F(ServerTransfer, RetrBinaryThenWithRest) {
    start(Personality::kVsftpd);
    h.send("TYPE I");
    h.next();
    ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR pub/dump.sql");
    EXPECT_EQ(h.next_line(), "150 Opening BINARY mode data connection for pub/dump.sql (25 bytes).");
    EXPECT_EQ(h.next_line(), "226 Transfer complete.");
    EXPECT_EQ(h.channels[id].received, "line one\nline two\r\nthree\n");
    EXPECT_NE(std::find(h.logs.begin(), h.logs.end(), "RETR /pub/dump.sql 25 bytes"), h.logs.end());

    h.send("REST 9");
    EXPECT_EQ(h.next_line(), "350 Restart position accepted (9).");
    id = h.pasv();
    h.connect(id);
    h.send("RETR /pub/dump.sql");
    // The full size is announced; the data starts at the offset.
    EXPECT_EQ(h.next_line(), "150 Opening BINARY mode data connection for /pub/dump.sql (25 bytes).");
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received, "line two\r\nthree\n");

    // REST applies to the next transfer only.
    id = h.pasv();
    h.connect(id);
    h.send("RETR /pub/dump.sql");
    h.next();
    h.next();
    EXPECT_EQ(h.channels[id].received.size(), 25u);

    h.pasv();
    h.send("RETR /pub/missing");
    EXPECT_EQ(h.next_line(), "550 Failed to open file.");
    h.send("RETR /pub");
    EXPECT_EQ(h.next_code(), 550);  // a directory; the PASV set-up survives failed opens
    EXPECT_EQ(h.channels.size(), 4u);
}

TEST_F(ServerTransfer, AsciiModeConvertsLineEnds) {
    start();
    ChannelId id = h.pasv();  // TYPE A is the default (RFC 959 §3.1.1.1)
    h.connect(id);
    h.send("RETR /pub/dump.sql");
    EXPECT_EQ(h.next().text, "Opening ASCII mode data connection for /pub/dump.sql (25 bytes).");
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received, "line one\r\nline two\r\nthree\r\n");

    id = h.pasv();
    h.connect(id);
    h.send("STOR /incoming/up.txt");
    EXPECT_EQ(h.next_code(), 150);
    // CRLF split across reads, a lone CR kept, a trailing CR kept.
    h.upload(id, "a\r");
    h.upload(id, "\nb\rc\r\n\r");
    h.client_closes(id);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(*h.memfs.content("/incoming/up.txt"), "a\nb\rc\n\r");

    // vsftpd refuses REST in ASCII mode.
    ServerHarness v;
    v.config.personality = Personality::kVsftpd;
    v.memfs.add_file("/f", "abc");
    v.start_logged_in();
    v.pasv();
    v.send("REST 1");
    v.next();
    v.send("RETR /f");
    EXPECT_EQ(v.next_line(), "550 No support for resume of ASCII transfer.");
}

TEST_F(ServerTransfer, BigFileGoesOutInSlicesOneAtATime) {
    start();
    h.send("TYPE I");
    h.next();
    h.auto_ack = false;
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /pub/html.tar.gz");
    EXPECT_EQ(h.next_code(), 150);
    test::Channel& ch = h.channels[id];
    std::size_t rounds = 0;
    while (!ch.closed && rounds < 100) {
        ASSERT_EQ(ch.outstanding, true) << "round " << rounds;
        const std::size_t before = ch.slices.size();
        h.pump();
        EXPECT_EQ(ch.slices.size(), before);  // nothing more until acknowledged
        h.ack(id);
        ++rounds;
    }
    EXPECT_EQ(h.max_outstanding_violations, 0u);
    EXPECT_EQ(ch.slices.size(), 21u);  // 5270987 bytes in 256 KiB slices
    EXPECT_EQ(ch.slices.front(), 256u * 1024u);
    std::string expected;
    MemoryFileSystem::generate(42, 0, 5270987, expected);
    EXPECT_EQ(ch.received, expected);
    EXPECT_EQ(h.next_code(), 226);
}

TEST_F(ServerTransfer, UploadsStorAppeStou) {
    start();
    h.send("TYPE I");
    h.next();
    ChannelId id = h.pasv();
    h.connect(id);
    h.send("STOR /incoming/a.bin");
    EXPECT_EQ(h.next_line(), "150 Ok to send data.");
    h.upload(id, "hello ");
    h.upload(id, "world");
    EXPECT_TRUE(h.no_reply());
    h.client_closes(id);
    EXPECT_EQ(h.next_line(), "226 Transfer complete.");
    EXPECT_TRUE(h.channels[id].closed);
    EXPECT_EQ(*h.memfs.content("/incoming/a.bin"), "hello world");

    id = h.pasv();
    h.connect(id);
    h.send("APPE /incoming/a.bin");
    EXPECT_EQ(h.next_code(), 150);
    h.upload(id, "!");
    h.client_closes(id);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(*h.memfs.content("/incoming/a.bin"), "hello world!");

    h.send("REST 6");
    h.next();
    id = h.pasv();
    h.connect(id);
    h.send("STOR /incoming/a.bin");  // REST + STOR: overwrite from the offset
    h.next();
    h.upload(id, "WORLD");
    h.client_closes(id);
    h.next();
    EXPECT_EQ(*h.memfs.content("/incoming/a.bin"), "hello WORLD!");

    // The name as asked for, suffixed (vsftpd's and wu-ftpd's scheme).
    for (const char* expected : {"FILE: /incoming/a.bin.1", "FILE: /incoming/a.bin.2"}) {
        id = h.pasv();
        h.connect(id);
        h.send("STOU /incoming/a.bin");
        EXPECT_EQ(h.next().text, expected);  // RFC 1123 §4.1.2.9
        h.upload(id, "u");
        h.client_closes(id);
        EXPECT_EQ(h.next_code(), 226);
    }
    EXPECT_EQ(*h.memfs.content("/incoming/a.bin.2"), "u");
    id = h.pasv();
    h.connect(id);
    h.send("CWD /incoming");
    h.next();
    h.send("STOU");
    EXPECT_EQ(h.next().text, "FILE: STOU.1");
    h.client_closes(id);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(*h.memfs.content("/incoming/STOU.1"), "");

    h.pasv();
    h.send("STOR /nodir/x");
    EXPECT_EQ(h.next_code(), 553);
}

TEST_F(ServerTransfer, UploadDataAndEofBeforeTheStorLine) {
    start();
    const ChannelId id = h.pasv();
    h.connect(id);
    // The data connection is not ordered with the control connection: all of a small upload
    // can be in before STOR is read.
    h.upload(id, "early bytes");
    h.client_closes(id);
    h.send("TYPE I\r\nSTOR /incoming/early.bin");
    EXPECT_EQ(h.next_code(), 200);
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(*h.memfs.content("/incoming/early.bin"), "early bytes");
}

}  // namespace
}  // namespace ftpsim::sim
