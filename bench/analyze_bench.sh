#!/usr/bin/env bash
# Throughput / memory benchmark: `ftpsim analyze` against tshark on the same
# capture, in the same run.
#
# Usage: bench/analyze_bench.sh [CAPTURE] [FTPSIM]
#   CAPTURE  default /tmp/ftpsim-bench/large.pcap; made with
#            bench/make_large_capture.sh (needs root) when missing
#   FTPSIM   default build/tools/ftpsim (relative to the repo root)
# Environment (optional):
#   REPEAT=1        runs per tool; the fastest run is reported, and the
#                   highest peak RSS over all runs
#   BENCH_CHECK=1   exit 1 unless the targets are met (ftpsim >= 10x tshark
#                   throughput, ftpsim peak RSS < 64 MiB)
#   BENCH_JSON=F    also write the results as JSON to file F
#   SKIP_TSHARK=1   time only ftpsim (ratio not printed)
#
# Commands timed (output to /dev/null; GNU time gives wall seconds and
# peak RSS):
#   ftpsim analyze CAPTURE --format json
#   tshark -n -r CAPTURE -T fields -e frame.number -e ftp.request.command \
#          -e ftp.response.code
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
CAPTURE=${1:-/tmp/ftpsim-bench/large.pcap}
FTPSIM=${2:-$REPO/build/tools/ftpsim}
REPEAT=${REPEAT:-1}
[[ $REPEAT =~ ^[1-9][0-9]*$ && $REPEAT -le 20 ]] || { echo "REPEAT must be 1..20" >&2; exit 2; }

GNU_TIME=/usr/bin/time
if ! "$GNU_TIME" -f '%e' true >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "GNU time missing: installing Debian package 'time'" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null; }
  fi
  "$GNU_TIME" -f '%e' true >/dev/null 2>&1 ||
    { echo "need GNU time at /usr/bin/time (Debian package 'time')" >&2; exit 2; }
fi
for t in capinfos tshark; do
  command -v "$t" >/dev/null || { echo "missing tool: $t (Debian package tshark)" >&2; exit 2; }
done

if [[ ! -s $CAPTURE ]]; then
  echo "capture $CAPTURE missing: making it with bench/make_large_capture.sh" >&2
  [[ $(id -u) -eq 0 ]] || { echo "making the capture needs root (network namespaces)" >&2; exit 2; }
  "$HERE/make_large_capture.sh" "$CAPTURE" >&2
fi

BYTES=$(stat -L -c %s "$CAPTURE")
# Packet count, computed once (capinfos reads the whole file).
PACKETS=$(capinfos -c -M -T -r "$CAPTURE" 2>/dev/null | awk -F'\t' 'NR==1 {print $2}')
[[ $PACKETS =~ ^[0-9]+$ ]] || { echo "could not count packets in $CAPTURE" >&2; exit 2; }
# Warm the page cache so neither tool pays for the first read from disk.
cat "$CAPTURE" >/dev/null

TMPD=$(mktemp -d /tmp/ftpsim-bench-run.XXXXXX)
trap 'rm -rf -- "$TMPD"' EXIT

# run_timed NAME CMD... -> sets R_SECS R_RSS_KB R_STATUS (ok|failed (rc N)|...)
run_timed() {
  local name=$1 i rc secs rss
  shift
  R_SECS="" R_RSS_KB="" R_STATUS=ok
  for ((i = 1; i <= REPEAT; i++)); do
    rc=0
    "$GNU_TIME" -f '%e %M' -o "$TMPD/$name.time" -- "$@" >/dev/null 2>"$TMPD/$name.err" || rc=$?
    if [[ $rc -ne 0 ]]; then
      R_STATUS="failed (exit $rc)"
      echo "$name failed (exit $rc): $(head -c 300 "$TMPD/$name.err" | tr '\n' ' ')" >&2
      R_SECS="" R_RSS_KB=""
      return 0
    fi
    read -r secs rss < <(tail -n 1 "$TMPD/$name.time")
    if [[ -z $R_SECS ]] || awk -v a="$secs" -v b="$R_SECS" 'BEGIN { exit !(a < b) }'; then
      R_SECS=$secs
    fi
    if [[ -z $R_RSS_KB || $rss -gt $R_RSS_KB ]]; then R_RSS_KB=$rss; fi
  done
}

# The timed run sends its output to /dev/null, so first make sure (on a small
# fixture) that "ftpsim analyze --format json" exists and prints JSON: a stub
# that exits 0 at once must not look like a fast analyzer.
SANITY_PCAP=$REPO/tests/data/curl_passive_ipv4.pcap
sanity_check() {
  local out="$TMPD/sanity.json" rc=0
  [[ -s $SANITY_PCAP ]] || SANITY_PCAP=$CAPTURE
  timeout 120 "$FTPSIM" analyze "$SANITY_PCAP" --format json >"$out" 2>"$TMPD/sanity.err" || rc=$?
  if [[ $rc -ne 0 ]]; then
    F_STATUS="skipped (analyze on $(basename "$SANITY_PCAP") exited $rc: $(head -c 120 "$TMPD/sanity.err" | tr '\n' ' '))"
    return 1
  fi
  if ! grep -q '[^[:space:]]' "$out" || [[ $(tr -d '[:space:]' <"$out" | head -c 1) != [\{\[] ]]; then
    F_STATUS="skipped (analyze --format json printed no JSON on $(basename "$SANITY_PCAP"))"
    return 1
  fi
  return 0
}

printf 'capture: %s\n  %d bytes (%.1f MB), %d packets\n' "$CAPTURE" "$BYTES" \
  "$(awk -v b="$BYTES" 'BEGIN { print b / 1e6 }')" "$PACKETS"
echo "host: $(nproc) cores, $(uname -r); tshark $(tshark --version 2>/dev/null | awk 'NR==1 {print $3}'); runs per tool: $REPEAT"
echo

# ftpsim
if [[ ! -x $FTPSIM ]]; then
  F_STATUS="skipped (no binary at $FTPSIM)"
  F_SECS="" F_RSS=""
  echo "ftpsim: $F_STATUS" >&2
elif ! sanity_check; then
  F_SECS="" F_RSS=""
  echo "ftpsim: $F_STATUS" >&2
else
  run_timed ftpsim "$FTPSIM" analyze "$CAPTURE" --format json
  F_STATUS=$R_STATUS F_SECS=$R_SECS F_RSS=$R_RSS_KB
fi

# tshark
if [[ ${SKIP_TSHARK:-0} == 1 ]]; then
  T_STATUS=skipped T_SECS="" T_RSS=""
else
  run_timed tshark tshark -n -r "$CAPTURE" -T fields -e frame.number \
    -e ftp.request.command -e ftp.response.code
  T_STATUS=$R_STATUS T_SECS=$R_SECS T_RSS=$R_RSS_KB
fi

row() { # row TOOL STATUS SECS RSS_KB
  if [[ -z $3 ]]; then
    printf '%-8s %10s %10s %14s %12s  %s\n' "$1" - - - - "$2"
    return
  fi
  awk -v t="$1" -v s="$3" -v r="$4" -v b="$BYTES" -v p="$PACKETS" 'BEGIN {
    if (s <= 0) s = 0.005   # GNU time resolution is 10 ms
    printf "%-8s %10.2f %10.1f %14.0f %12.1f\n", t, s, b / 1e6 / s, p / s, r / 1024 }'
}
printf '%-8s %10s %10s %14s %12s\n' tool seconds "MB/s" "packets/s" "peak RSS MiB"
printf '%-8s %10s %10s %14s %12s\n' -------- ---------- ---------- -------------- ------------
row ftpsim "$F_STATUS" "$F_SECS" "$F_RSS"
row tshark "$T_STATUS" "$T_SECS" "$T_RSS"
echo

RATIO=""
if [[ -n $F_SECS && -n $T_SECS ]]; then
  RATIO=$(awk -v f="$F_SECS" -v t="$T_SECS" 'BEGIN {
    if (f <= 0) f = 0.005; if (t <= 0) t = 0.005; printf "%.2f", t / f }')
  echo "throughput ratio ftpsim/tshark: ${RATIO}x   (target >= 10x)"
fi
MEETS=no
if [[ -n $F_RSS ]]; then
  echo "ftpsim peak RSS: $(awk -v r="$F_RSS" 'BEGIN { printf "%.1f", r / 1024 }') MiB   (target < 64 MiB)"
  if [[ -n $RATIO ]] && awk -v x="$RATIO" -v r="$F_RSS" 'BEGIN { exit !(x >= 10 && r < 65536) }'; then
    MEETS=yes
  fi
fi
echo "targets met: $MEETS"

if [[ -n ${BENCH_JSON:-} ]]; then
  num() { if [[ -n $1 ]]; then echo "$1"; else echo null; fi; }
  jstr() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr -d '\000-\037')"; }
  cat >"$BENCH_JSON" <<EOF
{
  "capture": $(jstr "$CAPTURE"),
  "bytes": $BYTES,
  "packets": $PACKETS,
  "runs_per_tool": $REPEAT,
  "ftpsim": {"status": $(jstr "$F_STATUS"), "seconds": $(num "$F_SECS"), "peak_rss_kb": $(num "$F_RSS")},
  "tshark": {"status": $(jstr "$T_STATUS"), "seconds": $(num "$T_SECS"), "peak_rss_kb": $(num "$T_RSS")},
  "ratio": $(num "$RATIO"),
  "targets_met": $([[ $MEETS == yes ]] && echo true || echo false)
}
EOF
  echo "results written to $BENCH_JSON"
fi

if [[ ${BENCH_CHECK:-0} == 1 && $MEETS != yes ]]; then
  exit 1
fi
# a tool that ran and failed is an error; a skipped one is not
[[ $F_STATUS == failed* || $T_STATUS == failed* ]] && exit 3
exit 0
