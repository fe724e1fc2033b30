// ClientSession against ServerSession (with a MemoryFileSystem) over the in-memory PairNetwork:
// whole sessions, passive and active, downloads checked by SHA-256 against the server's bytes,
// uploads checked in the server's tree, REST, ABOR, a refused login, a stalled reader.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include "hash/sha256.hpp"
#include "sim/engine/client_scripts.hpp"
#include "sim/engine/client_session.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "sim/engine/server_session.hpp"
#include "engine/pair_network.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

constexpr std::uint64_t kBigSize = 3 * 1024 * 1024 + 12345;  // several chunks on both sides

ClientOp op(Kind kind, std::string arg = {}, std::string arg2 = {}) {
    ClientOp o;
    o.kind = kind;
    o.arg = std::move(arg);
    o.arg2 = std::move(arg2);
    return o;
}

std::string sha_of(const std::string& s) {
    return analyzer::sha256_hex({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

std::shared_ptr<const std::string> pattern(std::size_t size) {
    std::string s(size, '\0');
    for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
    return std::make_shared<const std::string>(std::move(s));
}

class Pair : public ::testing::Test {
protected:
    Pair() {
        server_config.users = {{"alice", "secret"}};
        server_config.anonymous = true;
        fs.add_file("/pub/hello.txt", "hello world\n");
        fs.add_generated("/pub/big.bin", kBigSize, 7);
        fs.add_dir("/upload");
    }

    // Runs a whole session; returns the results, one per op.
    std::vector<OpResult> run(std::vector<ClientOp> ops, ClientConfig config = {}) {
        server = std::make_unique<ServerSession>(server_config, fs);
        client = std::make_unique<ClientSession>(config, std::move(ops));
        net = std::make_unique<PairNetwork>(*client, *server);
        net->start();
        EXPECT_TRUE(net->run()) << "the session did not settle";
        std::vector<OpResult> out;
        while (auto r = client->poll_result()) out.push_back(std::move(*r));
        return out;
    }

    std::string dump(const std::vector<OpResult>& results) const {
        std::ostringstream out;
        for (const auto& r : results) {
            out << (r.ok ? "ok   " : "FAIL ") << r.error << "\n";
            for (const auto& c : r.commands) out << "    > " << c << "\n";
            for (const auto& reply : r.replies) out << "    < " << reply.code << " " << reply.text << "\n";
        }
        out << "client sent:\n" << net->control_sent[0] << "server sent:\n" << net->control_sent[1];
        return out.str();
    }

    void expect_all_ok(const std::vector<OpResult>& results, std::size_t count) {
        ASSERT_EQ(results.size(), count) << dump(results);
        for (const auto& r : results) EXPECT_TRUE(r.ok) << dump(results);
        EXPECT_TRUE(client->finished());
        EXPECT_TRUE(server->finished());
        EXPECT_TRUE(net->finished());
    }

    ServerConfig server_config;
    MemoryFileSystem fs;
    std::unique_ptr<ServerSession> server;
    std::unique_ptr<ClientSession> client;
    std::unique_ptr<PairNetwork> net;
};

TEST_F(Pair, PassiveSession) {
    const auto r = run({op(Kind::kLogin), op(Kind::kSyst), op(Kind::kPwd), op(Kind::kCwd, "/pub"),
                        op(Kind::kType, "I"), op(Kind::kList), op(Kind::kNlst),
                        op(Kind::kRetr, "hello.txt"), op(Kind::kRetr, "big.bin"),
                        op(Kind::kSize, "big.bin"), op(Kind::kQuit)});
    expect_all_ok(r, 11);
    EXPECT_EQ(r[2].replies.back().code, 257);
    EXPECT_NE(r[5].listing.find("hello.txt"), std::string::npos) << r[5].listing;
    EXPECT_NE(r[5].listing.find("big.bin"), std::string::npos);
    EXPECT_NE(r[6].listing.find("hello.txt"), std::string::npos) << r[6].listing;
    EXPECT_EQ(r[7].bytes, 12u);
    EXPECT_EQ(r[7].sha256, sha_of("hello world\n"));
    const std::string big = fs.content("/pub/big.bin").value();
    EXPECT_EQ(r[8].bytes, kBigSize);
    EXPECT_EQ(r[8].sha256, sha_of(big));
    EXPECT_EQ(r[9].replies.back().text, std::to_string(kBigSize));
    EXPECT_EQ(r[10].replies.back().code, 221);
}

TEST_F(Pair, ActiveAndExtendedModes) {
    for (const DataMode mode : {DataMode::kActive, DataMode::kExtendedActive,
                                DataMode::kExtendedPassive, DataMode::kEpsvThenPasv}) {
        SCOPED_TRACE(static_cast<int>(mode));
        ClientConfig config;
        config.mode = mode;
        config.active_first_port = 30000;
        const auto r = run({op(Kind::kLogin), op(Kind::kType, "I"), op(Kind::kList, "/pub"),
                            op(Kind::kRetr, "/pub/big.bin"), op(Kind::kMlsd, "/pub"),
                            op(Kind::kQuit)},
                           config);
        expect_all_ok(r, 6);
        EXPECT_NE(r[2].listing.find("big.bin"), std::string::npos);
        EXPECT_EQ(r[3].sha256, sha_of(fs.content("/pub/big.bin").value()));
        EXPECT_NE(r[4].listing.find("type=file"), std::string::npos) << r[4].listing;
        if (mode == DataMode::kActive) {
            // Successive ports from the first one: 30000 = 117,48, then 30001, 30002.
            EXPECT_NE(net->control_sent[0].find("PORT 10,0,0,2,117,48\r\n"), std::string::npos);
            EXPECT_NE(net->control_sent[0].find("PORT 10,0,0,2,117,50\r\n"), std::string::npos);
        }
    }
}

TEST_F(Pair, UploadsLandInTheServersTree) {
    const auto data = pattern(2 * 1024 * 1024 + 777);
    ClientOp stor = op(Kind::kStor, "/upload/new.bin");
    stor.upload = data;
    ClientOp appe = op(Kind::kAppe, "/upload/new.bin");
    appe.upload = std::make_shared<const std::string>("tail");
    ClientOp active_stor = op(Kind::kStor, "/upload/active.bin");
    active_stor.upload = std::make_shared<const std::string>("over PORT");
    active_stor.mode = DataMode::kActive;
    const auto r = run({op(Kind::kLogin, "alice", "secret"), op(Kind::kType, "I"), stor, appe,
                        active_stor, op(Kind::kRetr, "/upload/new.bin"), op(Kind::kQuit)});
    expect_all_ok(r, 7);
    EXPECT_EQ(r[2].bytes, data->size());
    EXPECT_EQ(r[2].sha256, sha_of(*data));
    EXPECT_EQ(fs.content("/upload/new.bin"), *data + "tail");
    EXPECT_EQ(fs.content("/upload/active.bin"), "over PORT");
    EXPECT_EQ(r[5].sha256, sha_of(*data + "tail"));
}

TEST_F(Pair, RestResumesTheDownload) {
    ClientOp retr = op(Kind::kRetr, "/pub/big.bin");
    retr.rest = 1'000'000;
    const auto r = run({op(Kind::kLogin), op(Kind::kType, "I"), retr, op(Kind::kQuit)});
    expect_all_ok(r, 4);
    const std::string big = fs.content("/pub/big.bin").value();
    EXPECT_EQ(r[2].bytes, kBigSize - 1'000'000);
    EXPECT_EQ(r[2].sha256, sha_of(big.substr(1'000'000)));
    EXPECT_EQ(r[2].commands, (std::vector<std::string>{"PASV", "REST 1000000", "RETR /pub/big.bin"}));
}

TEST_F(Pair, AbortMidDownloadKeepsTheSessionInStep) {
    ClientOp retr = op(Kind::kRetr, "/pub/big.bin");
    retr.abort_after = 100'000;
    const auto r = run({op(Kind::kLogin), op(Kind::kType, "I"), retr, op(Kind::kPwd),
                        op(Kind::kRetr, "/pub/hello.txt"), op(Kind::kQuit)});
    expect_all_ok(r, 6);
    EXPECT_TRUE(r[2].aborted);
    EXPECT_GE(r[2].bytes, 100'000u);
    EXPECT_LT(r[2].bytes, kBigSize);
    ASSERT_GE(r[2].replies.size(), 2u);
    // RFC 959 §4.1.3: 426 for the interrupted RETR, then 226 for ABOR itself.
    EXPECT_EQ(r[2].replies[r[2].replies.size() - 2].code, 426) << dump(r);
    EXPECT_EQ(r[2].replies.back().code, 226) << dump(r);
    EXPECT_NE(net->control_sent[0].find(std::string("\xFF\xF4\xFF\xF2" "ABOR\r\n")),
              std::string::npos);
    EXPECT_EQ(r[3].replies.back().code, 257);  // the next reply is PWD's, not a stray one
    EXPECT_EQ(r[4].sha256, sha_of("hello world\n"));
}

TEST_F(Pair, WrongPasswordIs530ThenARightOneWorks) {
    const auto r = run({op(Kind::kLogin, "alice", "wrong"), op(Kind::kLogin, "alice", "secret"),
                        op(Kind::kPwd), op(Kind::kQuit)});
    ASSERT_EQ(r.size(), 4u) << dump(r);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].replies.back().code, 530) << dump(r);
    EXPECT_NE(r[0].error.find("530"), std::string::npos);
    EXPECT_TRUE(r[1].ok) << dump(r);
    EXPECT_TRUE(r[2].ok);
    EXPECT_TRUE(r[3].ok);
}

TEST_F(Pair, StalledReaderStillGetsEveryByte) {
    ClientOp retr = op(Kind::kRetr, "/pub/big.bin");
    retr.stall_after = 500'000;
    retr.stall_for = 20 * kSecond;
    const auto r = run({op(Kind::kLogin), op(Kind::kType, "I"), retr, op(Kind::kQuit)});
    expect_all_ok(r, 4);
    EXPECT_EQ(r[2].sha256, sha_of(fs.content("/pub/big.bin").value()));
    EXPECT_GE(net->now, 20 * kSecond);  // the pause really held the data back
}

TEST_F(Pair, FileOperations) {
    const auto r = run({op(Kind::kLogin, "alice", "secret"), op(Kind::kMkd, "/upload/d"),
                        op(Kind::kCwd, "/upload/d"), op(Kind::kCdup),
                        op(Kind::kRename, "/pub/hello.txt", "/upload/hi.txt"),
                        op(Kind::kMdtm, "/upload/hi.txt"), op(Kind::kDele, "/upload/hi.txt"),
                        op(Kind::kRmd, "/upload/d"), op(Kind::kFeat), op(Kind::kNoop),
                        op(Kind::kQuit)});
    expect_all_ok(r, 11);
    EXPECT_FALSE(fs.content("/upload/hi.txt").has_value());
    EXPECT_FALSE(fs.content("/pub/hello.txt").has_value());
}

TEST_F(Pair, Ftp1ScriptAgainstTheServer) {
    std::vector<ClientOp> ops = ftp1_login();
    for (auto& o : ftp1_ls("/pub")) ops.push_back(o);
    for (auto& o : ftp1_mget({"/pub/hello.txt", "/pub/big.bin"})) ops.push_back(o);
    ops.push_back(op(Kind::kQuit));
    const auto r = run(ops);
    // login, SYST, LIST, NLST x2, TYPE I, RETR x2, QUIT.
    expect_all_ok(r, 9);
    EXPECT_EQ(r[7].sha256, sha_of(fs.content("/pub/big.bin").value()));
}

TEST_F(Pair, ClientWithoutQuitJustCloses) {
    const auto r = run({op(Kind::kLogin), op(Kind::kNoop)});
    expect_all_ok(r, 2);
    EXPECT_EQ(net->control_sent[0].find("QUIT"), std::string::npos);
}

}  // namespace
}  // namespace ftpsim::sim::test
