// The client engine fed arbitrary server bytes, clock ticks and data-connection events
// (engine_driver.hpp), running a list of operations the input also chooses: logins, listings,
// transfers both ways in every data mode, aborts, stalls, raw commands.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine_driver.hpp"
#include "sim/engine/client_session.hpp"

namespace {

using ftpsim::sim::ClientOp;
using ftpsim::sim::DataMode;

std::vector<ClientOp> ops_from(ftpsim::fuzz::FuzzInput& in) {
    static const char* const kArgs[] = {"/pub/readme.txt", "dir with spaces", "..", "", "A", "x\r\nDELE y"};
    static const auto kUpload = std::make_shared<const std::string>("line one\r\nline two\n");
    std::vector<ClientOp> ops;
    const int n = 1 + in.byte() % 8;
    for (int i = 0; i < n; ++i) {
        const std::uint8_t kind = in.byte(), detail = in.byte();
        ClientOp op;
        op.kind = static_cast<ClientOp::Kind>(kind % (static_cast<int>(ClientOp::Kind::kRaw) + 1));
        op.arg = kArgs[detail % 6];
        op.arg2 = kArgs[(detail >> 3) % 6];
        if (op.kind == ClientOp::Kind::kStor || op.kind == ClientOp::Kind::kAppe || op.kind == ClientOp::Kind::kStou)
            op.upload = kUpload;
        if (kind & 0x20) op.mode = static_cast<DataMode>((detail >> 5) % 5);
        if (kind & 0x40) op.abort_after = detail;
        if (kind & 0x80) {
            op.stall_after = detail;
            op.stall_for = 3 * ftpsim::sim::kSecond;
        }
        op.rest = (detail & 0x01) ? 3 : 0;
        op.pipelined = (detail & 0x02) != 0;
        ops.push_back(std::move(op));
    }
    return ops;
}

ftpsim::net::Endpoint endpoint(const char* ip, std::uint16_t port) {
    ftpsim::net::Endpoint e;
    ftpsim::net::IpAddress::parse(ip, e.addr);
    e.port = port;
    return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ftpsim::sim;
    ftpsim::fuzz::FuzzInput in(data, size);
    const std::uint8_t setup = in.byte();
    ClientConfig config;
    config.mode = static_cast<DataMode>(setup % 5);
    config.account = (setup & 0x08) ? "acct" : "";
    config.reply_timeout = 5 * kSecond;
    ClientSession session(config, ops_from(in));
    ftpsim::fuzz::EngineDriver driver(session, in, ftpsim::fuzz::text_of({data, size}),
                                      endpoint("192.0.2.10", 40000), endpoint("192.0.2.1", 21));
    driver.run();
    while (session.poll_result()) {
    }
    return 0;
}
