#!/usr/bin/env bash
# Load benchmark of `ftpsim serve` (prints figures; not a test).
#
#  1. SESSIONS (200) concurrent client sessions against `ftpsim serve` on 127.0.0.1, each one
#     control connection that logs in, lists, downloads 1 MiB and uploads 1 MiB (its own file).
#     Prints sessions/s, MB/s, failures and the server's peak RSS (VmHWM). Every byte is checked
#     by SHA-256: the downloaded files on the client side, the uploaded ones on the server side.
#  2. One 1 GiB RETR over loopback, timed against ftpsim serve and against vsftpd in the same run
#     (curl -o /dev/null, best of REPEAT), and the ratio. Target: ftpsim >= vsftpd.
#
# Usage: bench/server_load.sh [path/to/ftpsim]        (default build/tools/ftpsim)
# Environment:
#   SESSIONS=200        concurrent sessions in part 1
#   CLIENT=ftpsim       ftpsim (`ftpsim client`) or curl, for part 1
#   MODE=passive        part 1 data mode for `ftpsim client`: passive|epsv|active|eprt
#   LOAD_VSFTPD=0       1: run part 1 against vsftpd too, as a reference
#   BIG_MB=1024         size of the big file in part 2 (MiB); 0 skips part 2
#   REPEAT=3            part 2: timed runs per server (best counts)
#   BENCH_CHECK=0       1: exit 1 unless failures are 0 and ftpsim >= vsftpd in part 2
#   BENCH_JSON=FILE     also write the results as JSON
#   TIME_LIMIT=900      the whole script's limit, seconds (every process has its own too)
# Exit: 0 ran; 1 BENCH_CHECK and a target missed; 2 setup problem; 3 a session failed.
# Loopback only. Needs curl; part 2 (and LOAD_VSFTPD) need vsftpd and root.
set -uo pipefail
cd "$(dirname "$0")/.."

FTPSIM=${1:-build/tools/ftpsim}
SESSIONS=${SESSIONS:-200}
CLIENT=${CLIENT:-ftpsim}
MODE=${MODE:-passive}
LOAD_VSFTPD=${LOAD_VSFTPD:-0}
BIG_MB=${BIG_MB:-1024}
REPEAT=${REPEAT:-3}
BENCH_CHECK=${BENCH_CHECK:-0}
BENCH_JSON=${BENCH_JSON:-}
TIME_LIMIT=${TIME_LIMIT:-900}
SESSION_LIMIT=${SESSION_LIMIT:-180}   # seconds, each client process

# shellcheck source=tests/fixtures/vsftpd_conf.sh
source tests/fixtures/vsftpd_conf.sh
# shellcheck source=bench/server_bench_lib.sh
source bench/server_bench_lib.sh
BENCH_NAME=server_load

if [[ $CLIENT == ftpsim ]]; then check_ftpsim client; else check_ftpsim; fi
for t in curl sha256sum timeout ss; do command -v "$t" >/dev/null || die "missing tool: $t"; done
[[ $SESSIONS =~ ^[0-9]+$ && $SESSIONS -ge 1 ]] || die "SESSIONS must be a positive number"
[[ $MODE =~ ^(passive|epsv|active|eprt)$ ]] || die "MODE must be passive, epsv, active or eprt"
[[ $CLIENT =~ ^(ftpsim|curl)$ ]] || die "CLIENT must be ftpsim or curl"

WORK=$(mktemp -d /tmp/ftpsim-serverbench.XXXXXX) || die "mktemp failed"
chmod 755 "$WORK"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
start_watchdog "$TIME_LIMIT"

vsftpd_ok() {
  command -v vsftpd >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
  command -v vsftpd >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]] && id ftp >/dev/null 2>&1
}

# start_vsftpd ROOT -> sets SRV_PID SRV_PORT (anonymous, uploads into ROOT/incoming)
start_vsftpd() {
  local root=$1 conf empty="$WORK/vsftpd-empty"
  mkdir -p "$empty" "$root/incoming"
  chmod 755 "$empty" "$root"
  chown ftp:ftp "$root/incoming"
  SRV_PORT=$(free_port)
  local pasv=$((33000 - 1000 - RANDOM % 8000))
  conf="$WORK/vsftpd-$SRV_PORT.conf"
  # LOCAL_ENABLE=NO: anonymous only, as ftpsim serve --anonymous. ANON_MKDIR_WRITE_ENABLE=NO:
  # the sessions upload into incoming/ and make no directory.
  vsftpd_conf "$conf" "LISTEN_LINES=$(printf 'listen=YES\nlisten_ipv6=NO\nlisten_address=%s\npasv_address=%s' "$HOST" "$HOST")" \
    "LISTEN_PORT=$SRV_PORT" "ANON_ROOT=$root" "SECURE_CHROOT_DIR=$empty" \
    "PASV_MIN_PORT=$pasv" "PASV_MAX_PORT=$((pasv + 999))" LOCAL_ENABLE=NO \
    ANON_MKDIR_WRITE_ENABLE=NO CONNECT_FROM_PORT_20=YES \
    "FTPD_BANNER=ftpsim benchmark reference (vsftpd)" || die "cannot write $conf"
  chmod 600 "$conf"
  vsftpd "$conf" >"$WORK/vsftpd-$SRV_PORT.log" 2>&1 &
  SRV_PID=$!
  PIDS+=("$SRV_PID")
  wait_listening "$SRV_PID" "$SRV_PORT" || { cat "$WORK/vsftpd-$SRV_PORT.log" >&2; die "vsftpd did not start"; }
}

# ---------------------------------------------------------------- part 1: SESSIONS concurrent
ROOT1="$WORK/root1"
mkdir -p "$ROOT1/incoming" "$WORK/up" "$WORK/dl" "$WORK/out"
head -c $((1 << 20)) /dev/urandom >"$ROOT1/down.bin"
DOWN_SHA=$(sha256sum "$ROOT1/down.bin" | cut -d' ' -f1)
log "server_load: making $SESSIONS upload files of 1 MiB"
for ((i = 0; i < SESSIONS; i++)); do head -c $((1 << 20)) /dev/urandom >"$WORK/up/up_$i.bin"; done
(cd "$WORK/up" && sha256sum up_*.bin) >"$WORK/up.sha256"

session() {  # I PORT USER
  local i=$1 port=$2 user=$3 url="ftp://$3:bench%40example.com@$HOST:$2/"
  if [[ $CLIENT == ftpsim ]]; then
    timeout -k 5 "$SESSION_LIMIT" "$FTPSIM" client "$url" "--$MODE" \
      ls get down.bin "$WORK/dl/$i.bin" put "$WORK/up/up_$i.bin" "incoming/up_$i.bin" \
      >"$WORK/out/$i.log" 2>&1
  else
    # One curl, one control connection: --next starts the next transfer on it (an -T would
    # otherwise pair with the first URL).
    local o=(-sS --connect-timeout 10 --max-time "$((SESSION_LIMIT - 5))")
    timeout -k 5 "$SESSION_LIMIT" curl "${o[@]}" "$url" -o "$WORK/dl/$i.list" \
      --next "${o[@]}" "${url}down.bin" -o "$WORK/dl/$i.bin" \
      --next "${o[@]}" -T "$WORK/up/up_$i.bin" "${url}incoming/up_$i.bin" >"$WORK/out/$i.log" 2>&1
  fi
  echo $? >"$WORK/out/$i.rc"
}

# run_load NAME ROOT PORT PID USER -> prints the figures, sets LOAD_* for the JSON
run_load() {
  local name=$1 root=$2 port=$3 pid=$4 user=$5 i t0 t1
  rm -f "$WORK"/dl/* "$WORK"/out/* "$root"/incoming/up_*.bin
  log "server_load: part 1 against $name: $SESSIONS concurrent sessions ($CLIENT client)"
  local hwm_before
  hwm_before=$(kib "$pid" VmHWM)
  t0=$(date +%s.%N)
  local jobs=()
  for ((i = 0; i < SESSIONS; i++)); do
    session "$i" "$port" "$user" &
    jobs+=($!)
  done
  wait "${jobs[@]}"
  t1=$(date +%s.%N)
  local hwm rss
  hwm=$(kib "$pid" VmHWM)
  rss=$(kib "$pid" VmRSS)

  # Verification: every session's exit code, the downloaded and the uploaded bytes.
  local failures=0 why
  for ((i = 0; i < SESSIONS; i++)); do
    why=""
    [[ $(cat "$WORK/out/$i.rc" 2>/dev/null) == 0 ]] || why="exit $(cat "$WORK/out/$i.rc" 2>/dev/null)"
    [[ -z $why && $(sha256sum <"$WORK/dl/$i.bin" 2>/dev/null | cut -d' ' -f1) != "$DOWN_SHA" ]] && why="download hash"
    if [[ -z $why ]]; then
      local want got
      want=$(grep " up_$i.bin\$" "$WORK/up.sha256" | cut -d' ' -f1)
      got=$(sha256sum <"$root/incoming/up_$i.bin" 2>/dev/null | cut -d' ' -f1)
      [[ $want == "$got" ]] || why="upload hash"
    fi
    if [[ -z $why && $CLIENT == ftpsim ]] && ! grep -q "RETR down.bin: 1048576 bytes sha256 $DOWN_SHA" "$WORK/out/$i.log"; then
      why="client's RETR report"
    fi
    if [[ -n $why ]]; then
      failures=$((failures + 1))
      if ((failures <= 3)); then
        log "  session $i failed ($why):"
        tail -5 "$WORK/out/$i.log" | sed 's/^/    /' >&2
      fi
    fi
  done
  local secs bytes
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  bytes=$((SESSIONS * 2 * (1 << 20)))
  awk -v n="$SESSIONS" -v s="$secs" -v b="$bytes" -v f="$failures" -v h="$hwm" -v h0="$hwm_before" \
      -v r="$rss" -v name="$name" 'BEGIN {
    printf "%-8s sessions %d in %.2f s: %.1f sessions/s, %.1f MB/s (10^6 B, down+up), failures %d, ", name, n, s, n / s, b / s / 1e6, f
    printf "server peak RSS %.1f MiB (%.1f before), RSS now %.1f MiB\n", h / 1024, h0 / 1024, r / 1024 }'
  LOAD_SECS=$secs LOAD_FAILURES=$failures LOAD_HWM_KIB=$hwm
}

start_ftpsim "$ROOT1" --max-sessions "$((SESSIONS + 16))" --max-per-ip "$((SESSIONS + 16))"
run_load ftpsim "$ROOT1" "$SRV_PORT" "$SRV_PID" anonymous
FT_LOAD_SECS=$LOAD_SECS FT_LOAD_FAILURES=$LOAD_FAILURES FT_LOAD_HWM=$LOAD_HWM_KIB
stop_server "$SRV_PID"
TOTAL_FAILURES=$FT_LOAD_FAILURES

VS_LOAD_SECS=null VS_LOAD_FAILURES=null
if [[ $LOAD_VSFTPD == 1 ]]; then
  if vsftpd_ok; then
    chmod -R a+rX "$ROOT1"
    start_vsftpd "$ROOT1"
    run_load vsftpd "$ROOT1" "$SRV_PORT" "$SRV_PID" anonymous
    VS_LOAD_SECS=$LOAD_SECS VS_LOAD_FAILURES=$LOAD_FAILURES
    stop_server "$SRV_PID"
  else
    log "server_load: LOAD_VSFTPD=1 but vsftpd cannot run here (needs vsftpd, root, the ftp account)"
  fi
fi
rm -rf "$WORK/up" "$WORK/dl" "$ROOT1/incoming"

# ---------------------------------------------------------------- part 2: one 1 GiB RETR
FT_BIG=null VS_BIG=null RATIO=null
if ((BIG_MB > 0)); then
  if ! vsftpd_ok; then
    log "server_load: part 2 skipped: vsftpd needs to be installed and this script run as root"
  else
    ROOT2="$WORK/root2"
    mkdir -p "$ROOT2"
    log "server_load: part 2: making a $BIG_MB MiB file"
    head -c $((BIG_MB << 20)) /dev/urandom >"$ROOT2/big.bin"
    chmod 644 "$ROOT2/big.bin"
    BIG_SHA=$(sha256sum "$ROOT2/big.bin" | cut -d' ' -f1)   # also warms the page cache
    BIG_BYTES=$((BIG_MB << 20))

    start_ftpsim "$ROOT2" --max-sessions "$((SESSIONS + 16))" --max-per-ip "$((SESSIONS + 16))"; FT_PID=$SRV_PID FT_PORT=$SRV_PORT
    start_vsftpd "$ROOT2"; VS_PID=$SRV_PID VS_PORT=$SRV_PORT

    # Once, not timed: ftpsim's bytes are the file's bytes.
    got=$(timeout 300 curl -sS --max-time 290 "ftp://anonymous:x@$HOST:$FT_PORT/big.bin" | sha256sum | cut -d' ' -f1)
    if [[ $got != "$BIG_SHA" ]]; then
      log "  ftpsim: the $BIG_MB MiB RETR came back with another SHA-256 ($got)"
      TOTAL_FAILURES=$((TOTAL_FAILURES + 1))
    fi

    retr_speed() {  # PORT -> bytes/s (0 on failure)
      local out
      out=$(timeout 300 curl -sS --max-time 290 -o /dev/null -w '%{speed_download} %{size_download}' \
        "ftp://anonymous:x@$HOST:$1/big.bin" 2>"$WORK/curl-big.err") || { cat "$WORK/curl-big.err" >&2; echo 0; return; }
      set -- $out
      [[ ${2%.*} == "$BIG_BYTES" ]] && echo "${1%.*}" || echo 0
    }
    best_ft=0 best_vs=0
    for ((k = 0; k < REPEAT; k++)); do   # alternate, so neither always runs on a warmer machine
      s=$(retr_speed "$FT_PORT"); ((s > best_ft)) && best_ft=$s
      s=$(retr_speed "$VS_PORT"); ((s > best_vs)) && best_vs=$s
    done
    FT_BIG_HWM=$(kib "$FT_PID" VmHWM)
    stop_server "$FT_PID"
    stop_server "$VS_PID"
    ((best_ft > 0)) || { log "  ftpsim: the big RETR failed"; TOTAL_FAILURES=$((TOTAL_FAILURES + 1)); }
    ((best_vs > 0)) || log "  vsftpd: the big RETR failed"
    FT_BIG=$best_ft VS_BIG=$best_vs
    RATIO=$(awk -v a="$best_ft" -v b="$best_vs" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "null" }')
    awk -v a="$best_ft" -v b="$best_vs" -v r="$RATIO" -v mb="$BIG_MB" -v n="$REPEAT" -v h="$FT_BIG_HWM" 'BEGIN {
      printf "RETR %d MiB over loopback (curl, EPSV, best of %d): ftpsim %.1f MB/s, vsftpd %.1f MB/s, ratio %s (target >= 1.00); ftpsim peak RSS %.1f MiB\n",
        mb, n, a / 1e6, b / 1e6, r, h / 1024 }'
  fi
fi

echo "ftpsim failures: $TOTAL_FAILURES"
if [[ -n $BENCH_JSON ]]; then
  cat >"$BENCH_JSON" <<EOF
{"sessions": $SESSIONS, "client": "$CLIENT", "mode": "$MODE",
 "ftpsim": {"seconds": $FT_LOAD_SECS, "failures": $FT_LOAD_FAILURES, "peak_rss_kib": ${FT_LOAD_HWM:-null}},
 "vsftpd_load": {"seconds": $VS_LOAD_SECS, "failures": $VS_LOAD_FAILURES},
 "big_retr_mib": $BIG_MB, "ftpsim_bytes_per_s": $FT_BIG, "vsftpd_bytes_per_s": $VS_BIG, "ratio": $RATIO,
 "failures": $TOTAL_FAILURES}
EOF
fi

((TOTAL_FAILURES == 0)) || exit 3
if [[ $BENCH_CHECK == 1 ]]; then
  [[ $RATIO != null ]] && awk -v r="$RATIO" 'BEGIN { exit !(r >= 1.0) }' || { log "server_load: ratio $RATIO < 1.00"; exit 1; }
fi
exit 0
