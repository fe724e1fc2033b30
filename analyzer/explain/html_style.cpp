#include "explain/html_style.hpp"

namespace ftpsim::explain::html {

// No web fonts, no external resources: the page must open from a USB stick in a lab without
// network. Colours stay dark enough to read when printed in black and white.
const char* const kStyleSheet = R"css(
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 1.5rem auto;
       max-width: 1400px; padding: 0 1rem; color: #111; background: #fff; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.3rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid #1f4e9c; padding-bottom: 0.2rem; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.summary dt { font-weight: bold; }
dl.summary dd { margin: 0; }
.ladder-box { overflow-x: auto; border: 1px solid #ccc; padding: 0.5rem; }
svg.ladder a:hover text, svg.ladder a:focus text { text-decoration: underline; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.4rem; vertical-align: top; text-align: left; }
th { background: #e8edf5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.mono, code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }
td.mono { word-break: break-all; }
tr:target { background: #fff3b0; }
tr.ftp td.info { color: #1f4e9c; }
.digit { font-weight: bold; font-size: 1.1rem; font-family: monospace; }
ul.warnings li { color: #8a1c00; }
p.note { color: #333; font-size: 0.9rem; }
@media print {
  body { max-width: none; margin: 0; }
  .ladder-box { border: none; overflow: visible; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

}  // namespace ftpsim::explain::html
