#!/usr/bin/env bash
# Throughput / memory benchmark of `ftpsim nat-check` on a two-sided capture, next to
# `ftpsim analyze` on the same inside file.
#
# Usage: bench/nat_check_bench.sh [DIR] [FTPSIM]
#   DIR     default /tmp/ftpsim-nat-bench; holds big_inside.pcap and big_outside.pcap. When
#           missing they are recorded (needs root): one active-mode RETR of SIZE_MB through the
#           namespace NAT of tests/fixtures/nat_netns_lib.sh (masquerade, FTP helper attached),
#           tcpdump on both router interfaces.
#   FTPSIM  default build/tools/ftpsim
# Environment: SIZE_MB=300 (file size), RATE=100M (curl --limit-rate, so tcpdump keeps up),
#   REPEAT=3 runs per command: the fastest is reported, with the highest peak RSS of all,
#   BENCH_CHECK=1 exit 1 unless nat-check reaches half the analyzer's MB/s with peak RSS
#   under 64 MiB.
#
# Throughput: bytes read / wall seconds. The analyzer reads one file (inside), nat-check both,
# so its MB/s counts both files' bytes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
DIR=${1:-/tmp/ftpsim-nat-bench}
FTPSIM=${2:-$REPO/build/tools/ftpsim}
SIZE_MB=${SIZE_MB:-300}
RATE=${RATE:-100M}
GNU_TIME=/usr/bin/time
"$GNU_TIME" -f '%e' true >/dev/null 2>&1 || { echo "need GNU time at /usr/bin/time (Debian package 'time')" >&2; exit 2; }
[[ -x $FTPSIM ]] || { echo "no ftpsim at $FTPSIM (build it first)" >&2; exit 2; }
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
INSIDE=$DIR/big_inside.pcap
OUTSIDE=$DIR/big_outside.pcap

record() {
  # shellcheck source=tests/fixtures/ftp_netns_lib.sh
  source "$REPO/tests/fixtures/ftp_netns_lib.sh"
  # shellcheck source=tests/fixtures/nat_netns_lib.sh
  source "$REPO/tests/fixtures/nat_netns_lib.sh"
  fx_need_root
  fx_install_trap
  FX_TMP=$(mktemp -d /tmp/ftpfx-natbench.XXXXXX)
  chmod 755 "$FX_TMP"
  mkdir -p "$FX_TMP/root" "$FX_TMP/empty"
  head -c "${SIZE_MB}M" /dev/zero >"$FX_TMP/root/big.bin"
  chmod 755 "$FX_TMP/root" && chmod 644 "$FX_TMP/root/big.bin" && chmod 555 "$FX_TMP/empty"
  nat_setup_net
  nat_rules 1
  nat_start_vsftpd "$FX_TMP/root" "$FX_TMP/empty"
  NAT_CAP_BULK=1
  nat_cap_start "$DIR/big"
  fx_log "RETR big.bin ($SIZE_MB MB) in active mode through the NAT, at most $RATE/s"
  ip netns exec "$FX_NS_C" timeout 600 curl -sS --limit-rate "$RATE" -P "$FX_C4" --disable-eprt \
    "ftp://$FX_S4/big.bin" -o /dev/null
  nat_cap_stop
  fx_cleanup
}

if [[ ! -s $INSIDE || ! -s $OUTSIDE ]]; then
  [[ $(id -u) -eq 0 ]] || { echo "recording the captures needs root (network namespaces)" >&2; exit 2; }
  (record)
fi
cat "$INSIDE" "$OUTSIDE" >/dev/null # page cache warm for both tools

measure() { # measure OUTFILE CMD... -> "seconds peak_kib"
  "$GNU_TIME" -f '%e %M' -o "$1" "${@:2}" >/dev/null 2>"$1.err" || {
    local rc=$?
    [[ $rc -eq 1 ]] || { cat "$1.err" >&2; echo "command failed ($rc): ${*:2}" >&2; exit 2; }
  }
  tail -1 "$1"
}
TMPD=$(mktemp -d /tmp/ftpsim-natbench-run.XXXXXX)
trap 'rm -rf -- "$TMPD"' EXIT
IN_BYTES=$(stat -L -c %s "$INSIDE")
OUT_BYTES=$(stat -L -c %s "$OUTSIDE")
best() { # best NAME CMD... -> "fastest_seconds highest_kib" over REPEAT runs
  local i s k bs="" bk=0
  for ((i = 0; i < ${REPEAT:-3}; i++)); do
    read -r s k <<<"$(measure "$TMPD/$1" "${@:2}")"
    if [[ -z $bs ]] || awk -v a="$s" -v b="$bs" 'BEGIN { exit !(a < b) }'; then bs=$s; fi
    ((k > bk)) && bk=$k
  done
  echo "$bs $bk"
}
read -r A_S A_KIB <<<"$(best analyze "$FTPSIM" analyze "$INSIDE" --format json)"
read -r N_S N_KIB <<<"$(best natcheck "$FTPSIM" nat-check "$INSIDE" "$OUTSIDE" --format json)"
"$FTPSIM" nat-check "$INSIDE" "$OUTSIDE" | tail -1

awk -v ib="$IN_BYTES" -v ob="$OUT_BYTES" -v as="$A_S" -v ak="$A_KIB" -v ns="$N_S" -v nk="$N_KIB" \
  -v check="${BENCH_CHECK:-0}" 'BEGIN {
  amb = ib / 1e6 / (as > 0 ? as : 0.01); nmb = (ib + ob) / 1e6 / (ns > 0 ? ns : 0.01)
  printf "captures: inside %.1f MB, outside %.1f MB\n", ib / 1e6, ob / 1e6
  printf "%-34s %8.2f s %9.1f MB/s %8.1f MiB peak RSS\n", "ftpsim analyze (inside)", as, amb, ak / 1024
  printf "%-34s %8.2f s %9.1f MB/s %8.1f MiB peak RSS\n", "ftpsim nat-check (both sides)", ns, nmb, nk / 1024
  printf "nat-check / analyze throughput: %.2f\n", nmb / amb
  if (check == 1 && (nmb < amb / 2 || nk >= 64 * 1024)) { print "BENCH_CHECK: target missed"; exit 1 }
}'
