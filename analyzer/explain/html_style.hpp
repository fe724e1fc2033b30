// The HTML lesson page's inline stylesheet: screen and print (an instructor prints the lesson).
#pragma once

namespace ftpsim::explain::html {

extern const char* const kStyleSheet;

}  // namespace ftpsim::explain::html
