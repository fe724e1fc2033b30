// The server engine fed arbitrary client bytes, clock ticks and data-connection events
// (engine_driver.hpp), for each personality, with accounts, an anonymous login and files to
// list, download, upload over and rename.
#include <cstdint>
#include <string>

#include "engine_driver.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "sim/engine/server_session.hpp"

namespace {

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
    ServerConfig config;
    config.personality = static_cast<Personality>(setup % 3);
    config.anonymous = (setup & 0x04) != 0;
    config.users = {{"user", "secret"}};
    config.max_command_line = (setup & 0x08) ? 64 : 500;
    config.allow_foreign_port = (setup & 0x10) != 0;
    config.pasv_port_min = 50000;
    config.pasv_port_max = 50999;
    MemoryFileSystem fs;
    fs.add_file("/pub/readme.txt", "hello\r\nworld\n");
    fs.add_dir("/pub/empty");
    fs.add_generated("/pub/big.bin", 200000, 7);
    ServerSession session(config, fs);
    const bool v6 = (setup & 0x20) != 0;
    ftpsim::fuzz::EngineDriver driver(session, in, ftpsim::fuzz::text_of({data, size}),
                                      v6 ? endpoint("2001:db8::1", 21) : endpoint("192.0.2.1", 21),
                                      v6 ? endpoint("2001:db8::10", 40000) : endpoint("192.0.2.10", 40000));
    driver.run();
    while (session.poll_log()) {
    }
    return 0;
}
