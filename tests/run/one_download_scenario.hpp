// The smallest scenario the run tests need: two hosts on one link, a login, one RETR named
// "fetch", QUIT. `server` is the server's section; tests append sections of their own.
#pragma once

#include <string>

namespace ftpsim::sim::run::test {

inline std::string one_download_scenario(const std::string& server, const std::string& path) {
    return "topology:\n"
           "  hosts: [{name: c, addresses: [10.0.0.1/24]}, {name: s, addresses: [10.0.0.2/24]}]\n"
           "  links: [{between: [c, s]}]\n"
           "  capture: [{point: c, host: c}]\n"
           "server: " + server + "\n"
           "client:\n"
           "  host: c\n"
           "  user: u\n"
           "  password: p\n"
           "  steps:\n"
           "    - login\n"
           "    - retr: " + path + "\n"
           "      name: fetch\n"
           "    - quit\n";
}

}  // namespace ftpsim::sim::run::test
