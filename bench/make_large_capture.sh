#!/usr/bin/env bash
# Make a large (>= 300 MB by default) capture of REAL FTP traffic for the
# analyzer benchmark: vsftpd in one private network namespace, curl in
# another, joined by a veth pair (no host interface, no default route),
# tcpdump on the client veth. Many short sessions, alternating
#   PASV / PORT / EPSV / EPRT  (passive and active alternately),
# every 5th session over IPv6 (EPSV/EPRT), downloads of 100 KB..1 MB files,
# an upload (STOR) in every 3rd session.
#
# Usage: sudo bench/make_large_capture.sh [OUT.pcap]
#   OUT defaults to /tmp/ftpsim-bench/large.pcap
# Environment (all optional):
#   TARGET_MB=320      stop once the capture file reaches this size (MB, 10^6)
#   MAX_SESSIONS=4000  hard bound on the number of FTP sessions
#   TIME_LIMIT=240     hard bound on the traffic phase, seconds
#   PARALLEL=8         sessions run concurrently (rolling pool)
#   FILES_PER_SESSION=3
# Needs root. Cleans up namespaces and processes on exit, error, Ctrl-C.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
OUT=${1:-/tmp/ftpsim-bench/large.pcap}
TARGET_MB=${TARGET_MB:-320}
MAX_SESSIONS=${MAX_SESSIONS:-4000}
TIME_LIMIT=${TIME_LIMIT:-240}
PARALLEL=${PARALLEL:-8}
FILES_PER_SESSION=${FILES_PER_SESSION:-3}
NFILES=16 # data files: 100 KiB + i*60 KiB, i = 0..15  (100 KiB .. 1000 KiB)

# shellcheck source=tests/fixtures/ftp_netns_lib.sh
source "$REPO/tests/fixtures/ftp_netns_lib.sh"

fx_need_root
for t in curl openssl capinfos; do
  command -v "$t" >/dev/null 2>&1 || fx_die "missing tool: $t"
done
for v in TARGET_MB MAX_SESSIONS TIME_LIMIT PARALLEL FILES_PER_SESSION; do
  [[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || fx_die "$v must be a positive integer"
done
((TIME_LIMIT <= 1800)) || fx_die "TIME_LIMIT is capped at 1800 s"
mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
target_bytes=$((TARGET_MB * 1000000))
avail_kb=$(df -Pk "$(dirname "$OUT")" | awk 'NR==2 {print $4}')
((avail_kb > TARGET_MB * 1000 * 2)) || fx_die "not enough free space next to $OUT"

fx_install_trap
FX_TMP=$(mktemp -d /tmp/ftpfx-bench.XXXXXX)
chmod 755 "$FX_TMP"
ROOT=$FX_TMP/root
EMPTY=$FX_TMP/empty
WORK=$FX_TMP/client
mkdir -p "$ROOT/files" "$ROOT/upload" "$EMPTY" "$WORK"

fx_log "generating $NFILES files of 100 KiB .. 1000 KiB"
for ((i = 0; i < NFILES; i++)); do
  size=$(((100 + i * 60) * 1024))
  key=$(printf '%032x' $((i + 1)))
  head -c "$size" /dev/zero |
    openssl enc -aes-128-ctr -nosalt -K "$key" -iv 00000000000000000000000000000000 \
      >"$ROOT/files/f$(printf '%02d' "$i").bin"
done
cp "$ROOT/files/f00.bin" "$WORK/up0.bin"   # 100 KiB upload
cp "$ROOT/files/f07.bin" "$WORK/up1.bin"   # 520 KiB upload
chown -R root:root "$ROOT"
chmod -R a+rX,go-w "$ROOT"
chown ftp "$ROOT/upload"
chmod 555 "$EMPTY"

fx_log "namespaces $FX_NS_C / $FX_NS_S"
fx_setup_net
fx_vsftpd_conf "$FX_TMP/vsftpd4.conf" 4 "$ROOT" "$EMPTY"
fx_vsftpd_conf "$FX_TMP/vsftpd6.conf" 6 "$ROOT" "$EMPTY"
fx_start_vsftpd "$FX_TMP/vsftpd4.conf" 4
fx_start_vsftpd "$FX_TMP/vsftpd6.conf" 6

# One FTP session: LIST of files/, FILES_PER_SESSION downloads, maybe 1 upload.
session() { # session INDEX
  local i=$1 host mode opts=() k f
  if ((i % 5 == 4)); then host="[$FX_S6]"; else host=$FX_S4; fi
  case $((i % 4)) in
  0) mode=PASV opts=(--disable-epsv) ;;
  1) mode=PORT opts=(-P "$FX_C4" --disable-eprt) ;;
  2) mode=EPSV opts=() ;;
  3) mode=EPRT opts=(-P "$FX_C4") ;;
  esac
  if [[ $host != "$FX_S4" ]]; then # IPv6: curl uses EPSV / EPRT
    case $mode in PORT | EPRT) opts=(-P "$FX_C6") ;; *) opts=() ;; esac
  fi
  local args=(-sS -g --connect-timeout 5 --max-time 60 "${opts[@]}"
    "ftp://$host/files/" -o /dev/null)
  for ((k = 0; k < FILES_PER_SESSION; k++)); do
    f=$(printf 'f%02d.bin' $(((i * 7 + k * 5) % NFILES)))
    args+=("ftp://$host/files/$f" -o /dev/null)
  done
  ip netns exec "$FX_NS_C" timeout 70 curl "${args[@]}"
  if ((i % 3 == 0)); then
    ip netns exec "$FX_NS_C" timeout 70 curl -sS -g --connect-timeout 5 --max-time 60 \
      "${opts[@]}" -T "$WORK/up$((i % 2)).bin" "ftp://$host/upload/s$i.bin"
  fi
}

rm -f "$OUT"
# shellcheck disable=SC2034 # read by fx_start_capture / fx_stop_capture
FX_CAP_IMMEDIATE=0 # bulk capture: big kernel buffer, no per-packet flush
fx_start_capture "$OUT"
fx_log "capturing into $OUT until ${TARGET_MB} MB, ${MAX_SESSIONS} sessions or ${TIME_LIMIT} s"
start=$SECONDS
n=0
failed=0
running=0
# Rolling pool of PARALLEL concurrent sessions (curl 7.88 sometimes idles
# ~1 s before opening a passive data connection; concurrency hides that).
while ((n < MAX_SESSIONS)); do
  ((SECONDS - start < TIME_LIMIT)) || { fx_log "time limit reached"; break; }
  size=$(stat -c %s "$OUT" 2>/dev/null || echo 0)
  ((size < target_bytes)) || break
  session "$n" >/dev/null 2>"$FX_TMP/session.$n.err" &
  n=$((n + 1))
  running=$((running + 1))
  if ((running >= PARALLEL)); then
    wait -n || failed=$((failed + 1))
    running=$((running - 1))
  fi
  ((n % 50 == 0)) && fx_log "$n sessions, $((size / 1000000)) MB so far"
  # uploads pile up on the server side: drop them now and then
  ((n % 100 == 0)) && rm -f "$ROOT"/upload/*
done
while ((running > 0)); do # every session is bounded by its curl timeouts
  wait -n || failed=$((failed + 1))
  running=$((running - 1))
done
elapsed=$((SECONDS - start))
fx_stop_capture
if ((failed > 0)); then
  fx_log "WARNING: $failed session(s) had a failing curl; first errors:"
  cat "$FX_TMP"/session.*.err 2>/dev/null | sort | uniq -c | sort -rn | head -5 >&2
fi
size=$(stat -c %s "$OUT")
pkts=$(capinfos -c -M -T -r "$OUT" | awk -F'\t' '{print $2}')
drops=$(grep -o '[0-9]* packets dropped by kernel' "$FX_CAP_ERR" | awk '{print $1}')
echo "capture:  $OUT"
echo "sessions: $n (failed: $failed) in ${elapsed} s"
awk -v s="$size" 'BEGIN { printf "size:     %d bytes (%.1f MB)\n", s, s / 1e6 }'
echo "packets:  $pkts"
echo "kernel drops during capture: ${drops:-unknown}"
((size >= target_bytes)) || fx_log "WARNING: capture smaller than TARGET_MB=$TARGET_MB"
