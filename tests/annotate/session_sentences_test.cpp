// The sentences of whole FTP sessions: handshakes of the control and data connections (who
// opens which, in which mode), commands with their arithmetic, replies with their code's class
// (RFC 959 §4.2.1), data segments with their byte ranges, ACKs and FINs.
#include <gtest/gtest.h>

#include "annotate/annotation_test_support.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

const std::string kListing = "-rw-r--r-- 1 ftp ftp 5000 Jan 01 12:00 file.bin\r\n";

TEST(SessionSentences, ActiveListExplainsEveryStep) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    std::size_t syn = ctrl.handshake();
    reply_acked(ctrl, "220 FileZilla Server 1.7.0");
    std::size_t user = exchange(ctrl, "USER anonymous", "331 Please, specify the password.");
    std::size_t pass = exchange(ctrl, "PASS s3cret", "230 Login successful.");
    std::size_t port = exchange(ctrl, "PORT 192,168,1,5,8,156", "200 Port command successful");
    std::size_t list = command(ctrl, "LIST");
    Connection& data = cap.connect({"192.168.1.10", 20}, {"192.168.1.5", 2204}, 5'000'000, 6'000'000);
    std::size_t data_syn = data.handshake();
    reply(ctrl, "150 Opening data channel");
    std::size_t listing = data.send(kListing, kFromClient);  // the FTP server is the TCP client
    std::size_t listing_ack = data.ack(kFromServer);
    std::size_t data_fin = data.fin(kFromClient);
    std::size_t done = reply_acked(ctrl, "226 Transfer complete");
    quit(ctrl);
    Sentences s = annotate_built(cap);
    ASSERT_EQ(s.all.size(), cap.size());

    EXPECT_EQ(s.at(syn), "client opens the control connection: SYN to port 21") << s.dump();
    EXPECT_EQ(s.at(syn + 1), "server accepts the control connection: SYN/ACK");
    EXPECT_EQ(s.at(syn + 2), "client completes the three-way handshake: the control connection is open");
    EXPECT_EQ(s.at(syn + 3), "220: positive completion, the server's greeting: ready for a new user");
    EXPECT_EQ(s.at(user), "USER: the client logs in as anonymous");
    EXPECT_EQ(s.at(user + 1),
              "331: positive intermediate, the server wants the password (answers USER)");
    EXPECT_EQ(s.at(pass), "PASS: the client sends the password (not shown here)");
    EXPECT_EQ(s.at(pass + 1), "230: positive completion, the user is logged in (answers PASS)");
    EXPECT_EQ(s.at(port),
              "PORT 192,168,1,5,8,156: the client will listen on 192.168.1.5 port 8*256+156 = 2204 "
              "and the server will connect to it (active mode)");
    EXPECT_EQ(s.at(list), "LIST: the client asks for a directory listing");
    EXPECT_EQ(s.at(data_syn), "server opens the data connection from port 20 to 2204 (active mode): SYN");
    EXPECT_EQ(s.at(data_syn + 1), "client accepts the data connection: SYN/ACK");
    EXPECT_EQ(s.at(listing), "data of LIST: bytes 1.." + std::to_string(kListing.size()) +
                                 ", server to client");
    EXPECT_EQ(s.at(listing_ack), "ACK: the client has received the server's bytes up to " +
                                     std::to_string(kListing.size()) + " on the data connection");
    EXPECT_EQ(s.at(data_fin),
              "server closes its side of the data connection: FIN (it will send nothing more)");
    EXPECT_EQ(s.at(done).rfind("226: positive completion, the transfer is complete", 0), 0u)
        << s.at(done);
    EXPECT_EQ(s.all.back(), "ACK of the server's FIN: the client knows the server will send nothing "
                            "more on the control connection");
    for (const auto& sentence : s.all) {
        EXPECT_FALSE(sentence.empty()) << s.dump();
        EXPECT_EQ(sentence.find("s3cret"), std::string::npos) << sentence;
    }
}

TEST(SessionSentences, PassiveRetrSpellsOutThe227Arithmetic) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t pasv = exchange(ctrl, "PASV", std::string(kPasvReply));
    Connection& data = cap.connect(kClientData, kServerPasv);
    std::size_t data_syn = data.handshake();
    std::size_t retr = start_transfer(ctrl, "RETR file.bin");
    std::size_t first = data.send(file_bytes(2000), kFromServer);
    Sentences s = annotate_built(cap);

    EXPECT_EQ(s.at(pasv), "PASV: the client asks the server to listen for the data connection "
                          "(passive mode)") << s.dump();
    EXPECT_EQ(s.at(pasv + 1), "227: positive completion, the server will listen on 192.168.1.10 "
                              "port 195*256+80 = 50000 for the data connection (passive mode)");
    EXPECT_EQ(s.at(data_syn), "client opens the data connection from port 50124 to 50000 (passive mode): SYN");
    EXPECT_EQ(s.at(data_syn + 2), "client completes the three-way handshake: the data connection is open");
    EXPECT_EQ(s.at(retr), "RETR: the client asks to download file.bin");
    EXPECT_EQ(s.at(retr + 1), "150: positive preliminary, the data connection is about to be opened "
                              "(answers RETR)");
    EXPECT_EQ(s.at(first), "data of RETR file.bin: bytes 1..1460, server to client");
    EXPECT_EQ(s.at(first + 1), "data of RETR file.bin: bytes 1461..2000, server to client");
}

TEST(SessionSentences, EpsvReplyNamesThePortOnTheControlServersAddress) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t epsv = exchange(ctrl, "EPSV", "229 Entering Extended Passive Mode (|||50000|)");
    Sentences s = annotate_built(cap);
    EXPECT_EQ(s.at(epsv + 1), "229: positive completion, the server will listen on port 50000 of "
                              "its own address 192.168.1.10 for the data connection (extended "
                              "passive mode)") << s.dump();
}

TEST(SessionSentences, NegativeRepliesSayTheirClass) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t retr = exchange(ctrl, "RETR missing.txt", "550 Failed to open file.");
    std::size_t bad = exchange(ctrl, "PORT 1,2,3", "501 Illegal PORT command.");
    Sentences s = annotate_built(cap);
    EXPECT_EQ(s.at(retr + 1), "550: permanent negative, the file is not available (not found, or "
                              "no access) (answers RETR)") << s.dump();
    EXPECT_EQ(s.at(bad), "PORT 1,2,3: an address for the data connection that does not parse");
    EXPECT_EQ(s.at(bad + 1), "501: permanent negative, syntax error in the arguments (answers PORT)");
}

}  // namespace
}  // namespace ftpsim::testsupport
