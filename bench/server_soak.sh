#!/usr/bin/env bash
# Soak test of `ftpsim serve` on 127.0.0.1 under hostile load (prints figures; exit 3 on any
# failed check). While SESSIONS workers each run `ftpsim client` sessions one after another for
# DURATION seconds (PASV, PORT and EPSV in turn; six downloads checked by SHA-256 against the
# files served, two uploads checked on disk, per session), the server also carries:
#   - SLOW_READERS clients that start a RETR of a 256 MiB file and never read the data
#     connection (at the end: ABOR must still be answered, 426 then 226);
#   - IDLE control connections held open doing nothing (half logged in);
#   - at 10 % of DURATION, a flood of FLOOD connections at once, more than the session limit
#     (each gets 220 while slots are free, then 421 or a close; never a hang; sessions in
#     progress go on);
#   - a probe every 2 s: connect, greeting, NOOP, QUIT; its latencies say how long a new
#     client waits, whatever the hostile clients do;
# and, at 50 %, a second server with a PASV range of PASV_PORTS ports is exhausted: one more
# PASV/EPSV must be refused (425), a PORT session on it still works, and PASV works again
# once a port is free. VmRSS of the main server is sampled every second: start, peak and end
# are printed, and its growth under steady load (the highest sample of the last fifth of the
# load against the highest of 20-40 %, after the ramp and the flood) is bounded. Afterwards the server must still
# serve (one verified session per mode) and its open descriptors must come back to the number
# it had before the load.
#
# Usage: bench/server_soak.sh [path/to/ftpsim]        (default build/tools/ftpsim)
# Environment (defaults: the full soak; the CTest version runs SESSIONS=20 DURATION=5 ...):
#   SESSIONS=500        concurrent client workers, each one session at a time
#   DURATION=600        seconds of load
#   SLOW_READERS=8      RETRs never read
#   IDLE=32             idle control connections
#   FLOOD               connections opened at once (default: the session limit + 100)
#   HEADROOM            session slots above SESSIONS+SLOW_READERS+IDLE (default SESSIONS/10+8)
#   PASV_PORTS=8        size of the second server's passive range
#   RSS_GROWTH_MIB=16   bound on VmRSS growth from 20-40 % of the load to its last fifth
#   SESSION_LIMIT=300   seconds, each client session (timeout)
#   REPLY_TIMEOUT=120   seconds a client waits for a reply (`ftpsim client --reply-timeout-ms`)
#   CLIENT_NICE=5       the workers run this much nicer than the server: on a shared 2-core
#                       machine, 500 client processes at the server's priority starve it
#   TIME_LIMIT          the whole script's limit (default DURATION+SESSION_LIMIT+300)
#   BENCH_JSON=FILE     also write the figures as JSON
#   KEEP_WORK=1         keep the working directory (/tmp/ftpsim-serversoak.*: logs, samples)
# Exit: 0 every check passed; 2 setup problem; 3 a check failed (the reasons are printed).
# Loopback only; every loop is bounded in count and time; an EXIT trap stops every process.
set -uo pipefail
export LC_ALL=C   # EPOCHREALTIME with a dot
set -m   # each background job gets its own process group: a worker stops with its client
cd "$(dirname "$0")/.." || exit 2

FTPSIM=${1:-build/tools/ftpsim}
SESSIONS=${SESSIONS:-500}
DURATION=${DURATION:-600}
SLOW_READERS=${SLOW_READERS:-8}
IDLE=${IDLE:-32}
HEADROOM=${HEADROOM:-$((${SESSIONS:-500} / 10 + 8))}
FLOOD=${FLOOD:-$((${SESSIONS:-500} + ${SLOW_READERS:-8} + ${IDLE:-32} + ${HEADROOM:-58} + 100))}
PASV_PORTS=${PASV_PORTS:-8}
RSS_GROWTH_MIB=${RSS_GROWTH_MIB:-16}
SESSION_LIMIT=${SESSION_LIMIT:-300}
REPLY_TIMEOUT=${REPLY_TIMEOUT:-120}
CLIENT_NICE=${CLIENT_NICE:-5}
TIME_LIMIT=${TIME_LIMIT:-$((${DURATION:-600} + ${SESSION_LIMIT:-300} + 300))}
BENCH_JSON=${BENCH_JSON:-}
IDLE_TIMEOUT_S=300   # ftpsim serve's default idle_timeout_ms (docs/server-config.md)

# shellcheck source=bench/server_bench_lib.sh
source bench/server_bench_lib.sh
BENCH_NAME=server_soak

check_ftpsim client
for t in sha256sum timeout ss awk sort; do command -v "$t" >/dev/null || die "missing tool: $t"; done
for v in SESSIONS DURATION SLOW_READERS IDLE FLOOD HEADROOM PASV_PORTS RSS_GROWTH_MIB SESSION_LIMIT \
  REPLY_TIMEOUT CLIENT_NICE TIME_LIMIT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number"
done
((SESSIONS >= 1 && DURATION >= 1 && PASV_PORTS >= 1)) || die "SESSIONS, DURATION and PASV_PORTS must be at least 1"
((SESSIONS <= 5000 && DURATION <= 86400 && FLOOD <= 10000 && IDLE <= 5000 && SLOW_READERS <= 1000)) ||
  die "SESSIONS <= 5000, DURATION <= 86400, FLOOD <= 10000, IDLE <= 5000, SLOW_READERS <= 1000"
((REPLY_TIMEOUT >= 1 && REPLY_TIMEOUT < SESSION_LIMIT && CLIENT_NICE <= 19)) ||
  die "REPLY_TIMEOUT must be at least 1 and below SESSION_LIMIT; CLIENT_NICE at most 19"
# The server holds a control and up to two data sockets per session, the flood's and the
# holders' connections; the flooder holds FLOOD descriptors. Raise the soft limit if need be.
fds_needed=$((3 * SESSIONS + FLOOD + IDLE + 2 * SLOW_READERS + 2 * PASV_PORTS + 64))
(($(ulimit -n) > fds_needed)) || ulimit -n "$(ulimit -Hn)" 2>/dev/null
(($(ulimit -n) > fds_needed)) || die "ulimit -n $(ulimit -n) is too low for $fds_needed descriptors"

WORK=$(mktemp -d /tmp/ftpsim-serversoak.XXXXXX) || die "mktemp failed"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
start_watchdog "$TIME_LIMIT"

# shellcheck source=bench/server_soak_ftp.sh
source bench/server_soak_ftp.sh

FAILURES=0
fail() { log "  FAILED: $*"; FAILURES=$((FAILURES + 1)); }

# ---------------------------------------------------------------- files
ROOT="$WORK/root"
mkdir -p "$ROOT/incoming" "$WORK/up" "$WORK/res" "$WORK/out" "$WORK/failed" "$WORK/hostile"
DOWN_FILES=(f_1k.bin f_64k.bin f_300001.bin f_1m.bin f_3m.bin)
DOWN_SIZES=(1024 65536 300001 1048576 3145728)
declare -A SHA SIZE
for ((f = 0; f < ${#DOWN_FILES[@]}; f++)); do
  head -c "${DOWN_SIZES[f]}" /dev/urandom >"$ROOT/${DOWN_FILES[f]}"
  SIZE[${DOWN_FILES[f]}]=${DOWN_SIZES[f]}
  SHA[${DOWN_FILES[f]}]=$(sha256sum <"$ROOT/${DOWN_FILES[f]}" | cut -d' ' -f1)
done
UP_SIZES=(2048 65535 131072 262145 524288 1000000)
for ((u = 0; u < ${#UP_SIZES[@]}; u++)); do
  head -c "${UP_SIZES[u]}" /dev/urandom >"$WORK/up/u_$u.bin"
  SHA[u_$u]=$(sha256sum <"$WORK/up/u_$u.bin" | cut -d' ' -f1)
done
truncate -s 256M "$ROOT/big.bin"   # sparse: the slow readers' file, never sent whole

# ---------------------------------------------------------------- the main server
MAX_SESSIONS=$((SESSIONS + SLOW_READERS + IDLE + HEADROOM))
start_ftpsim "$ROOT" --max-sessions "$MAX_SESSIONS" --max-per-ip "$MAX_SESSIONS"
MAIN_PID=$SRV_PID MAIN_PORT=$SRV_PORT MAIN_LOG=$SRV_LOG
URL="ftp://anonymous:soak%40example.com@$HOST:$MAIN_PORT/"
# The second server, for the PASV range: PASV_PORTS free ports below the ephemeral range.
for ((r = 0; r < 100; r++)); do
  RANGE_LO=$((20000 + RANDOM % 12000)) RANGE_HI=$((RANGE_LO + PASV_PORTS - 1))
  ss -Htan "( sport >= :$RANGE_LO and sport <= :$RANGE_HI )" | grep -q . || break
done
((r < 100)) || die "no run of $PASV_PORTS free ports for the PASV range"
start_ftpsim "$ROOT" --pasv-ports "$RANGE_LO-$RANGE_HI" --max-sessions 64 --max-per-ip 64
RANGE_PORT=$SRV_PORT RANGE_PID=$SRV_PID
fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
sleep 0.5
BASE_FDS=$(fd_count "$MAIN_PID")
RSS_IDLE=$(kib "$MAIN_PID" VmRSS)
log "server_soak: ftpsim serve on $HOST:$MAIN_PORT (max $MAX_SESSIONS sessions), $SESSIONS workers for $DURATION s," \
    "$SLOW_READERS slow readers, $IDLE idle, flood $FLOOD, PASV range $PASV_PORTS"

# RSS, descriptors and established control connections once a second (on the second: a sample
# that comes late does not push the next ones) until the stop file appears, at most TIME_LIMIT
# samples. Builtins read /proc: one fork (ss) and a sleep per sample.
rss_sampler() {
  local s k v rest rss fds conns next now
  next=${EPOCHREALTIME/./}
  for ((s = 0; s < TIME_LIMIT; s++)); do
    [[ -e $WORK/stop_sampler ]] && return 0
    rss=""
    while read -r k v rest; do [[ $k == VmRSS: ]] && { rss=$v; break; }; done <"/proc/$MAIN_PID/status" 2>/dev/null
    [[ -n $rss ]] || { echo "gone $EPOCHSECONDS" >>"$WORK/rss"; return 0; }
    fds=("/proc/$MAIN_PID/fd/"*)
    mapfile -t conns < <(ss -Htn state established "( sport = :$MAIN_PORT )")
    echo "$EPOCHSECONDS $rss ${#fds[@]} ${#conns[@]}" >>"$WORK/rss"
    next=$((next + 1000000))
    now=${EPOCHREALTIME/./}
    while ((next <= now)); do next=$((next + 1000000)); done
    sleep "$(((next - now) / 1000000)).$(printf '%06d' $(((next - now) % 1000000)))"
  done
}
rss_sampler &
PGROUPS+=($!)
SAMPLER=$!

# ---------------------------------------------------------------- hostile clients, held all along
HOLD_LIMIT=$((DURATION + SESSION_LIMIT + 60))   # seconds a holder waits for the stop file at most
for ((i = 0; i < SLOW_READERS; i++)); do
  slow_reader "$i" "$MAIN_PORT" "$WORK/hostile/slow_$i" &
  PGROUPS+=($!)
done
for ((i = 0; i < IDLE; i++)); do
  idle_holder "$i" "$MAIN_PORT" "$WORK/hostile/idle_$i" &
  PGROUPS+=($!)
done
HOSTILE_GROUPS=("${PGROUPS[@]:1}")
# Every holder in place (or failed) before the load starts, at most 20 s.
for ((s = 0; s < 200; s++)); do
  n=$(grep -lE '^(held|error)' "$WORK"/hostile/slow_* "$WORK"/hostile/idle_* 2>/dev/null | wc -l)
  ((n >= SLOW_READERS + IDLE)) && break
  sleep 0.1
done

# ---------------------------------------------------------------- the load
MODES=(passive active epsv)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }   # utime + stime
CPU0=$(cpu_ticks "$MAIN_PID")
T0=$EPOCHSECONDS
LOAD_END=$((T0 + DURATION))

# worker I: sessions one after another until LOAD_END (and at most 100000 of them), each one
# control connection with 8 transfers: 6 downloads checked by the client's SHA-256 line against
# the file served, 2 uploads checked on disk. One line per session in res/I: "ok MICROSECONDS
# MODE BYTES", "fail MODE WHY" or "refused EPOCH" (a 421 greeting or a close before any: the
# server was full; retried a second later). The output is checked with builtins (mapfile, patterns): hundreds of workers
# must not fork more than they need.
worker() {
  local i=$1 k j mode f why t0 rc kept=0 bytes text ops gets=() ups=() lines=()
  local out="$WORK/out/$1.log" res="$WORK/res/$1" stat=()
  RANDOM=$((i * 7919 + 17))   # each worker its own sequence of files
  # Nicer than the server (renice -n sets the value, so add to the current one, field 19).
  read -ra stat <"/proc/$BASHPID/stat"
  renice -n "$((stat[18] + CLIENT_NICE > 19 ? 19 : stat[18] + CLIENT_NICE))" -p "$BASHPID" >/dev/null
  for ((k = 0; k < 100000 && EPOCHSECONDS < LOAD_END; k++)); do
    mode=${MODES[(i + k) % 3]}
    gets=() ups=() ops=()
    for ((j = 0; j < 6; j++)); do gets+=("${DOWN_FILES[RANDOM % 5]}"); done
    for ((j = 0; j < 2; j++)); do ups+=($((RANDOM % ${#UP_SIZES[@]}))); done
    ops=(get "${gets[0]}" ";" put "$WORK/up/u_${ups[0]}.bin" "incoming/w$i.0.bin" ";" get "${gets[1]}" ";"
      get "${gets[2]}" ";" put "$WORK/up/u_${ups[1]}.bin" "incoming/w$i.1.bin" ";" get "${gets[3]}" ";"
      get "${gets[4]}" ";" get "${gets[5]}")
    t0=${EPOCHREALTIME/./}
    timeout --foreground -k 5 "$SESSION_LIMIT" "$FTPSIM" client "$URL" "--$mode" \
      --reply-timeout-ms "$((REPLY_TIMEOUT * 1000))" "${ops[@]}" >"$out" 2>&1
    rc=$?
    mapfile -t -n 400 lines <"$out"
    printf -v text '\n%s' "${lines[@]}"
    text+=$'\n'
    # Refused at the door: a 421 greeting, or (past 64 refusals at once) a close without one.
    if ((rc != 0)) && [[ ($text == *$'\n< 421'* || $text == *"closed before the greeting"*) && $text != *$'\n< 230'* ]]; then
      echo "refused $EPOCHSECONDS" >>"$res"
      sleep 1
      continue
    fi
    why=""
    ((rc == 0)) || why="exit $rc"
    bytes=0
    for f in "${gets[@]}"; do
      [[ -z $why && $text != *$'\n'"RETR $f: ${SIZE[$f]} bytes sha256 ${SHA[$f]}"$'\n'* ]] && why="RETR $f: not the file's SHA-256"
      bytes=$((bytes + ${SIZE[$f]}))
    done
    if [[ -z $why ]] && ! sha256sum --quiet -c >/dev/null 2>&1 \
      <<<"${SHA[u_${ups[0]}]}  $ROOT/incoming/w$i.0.bin"$'\n'"${SHA[u_${ups[1]}]}  $ROOT/incoming/w$i.1.bin"; then
      why="STOR: a file on disk has another SHA-256 than the one sent"
    fi
    rm -f "$ROOT/incoming/w$i.0.bin" "$ROOT/incoming/w$i.1.bin"
    if [[ -z $why ]]; then
      bytes=$((bytes + UP_SIZES[ups[0]] + UP_SIZES[ups[1]]))
      echo "ok $((${EPOCHREALTIME/./} - t0)) $mode $bytes" >>"$res"
    else
      echo "fail $mode $why" >>"$res"
      ((kept++ < 3)) && cp "$out" "$WORK/failed/$i.$k.log"
    fi
  done
}

# Scheduled hostile parts, started before the workers (launching hundreds of them takes a
# while on a busy machine) and waiting for their time: the flood early, at 10 %, so that the
# memory it takes is behind the windows where RSS growth is measured (20-40 % and 80-100 %).
FLOOD_AT=$((T0 + DURATION / 10))
FLOOD_HOLD=$((DURATION / 20 < 2 ? 2 : (DURATION / 20 > 15 ? 15 : DURATION / 20)))
PASV_AT=$((T0 + DURATION / 2))
(
  sleep $((FLOOD_AT - EPOCHSECONDS > 0 ? FLOOD_AT - EPOCHSECONDS : 0))
  flood "$MAIN_PORT" "$FLOOD" "$FLOOD_HOLD" "$WORK/hostile/flood"
) &
PGROUPS+=($!)
FLOOD_JOB=$!
(
  sleep $((PASV_AT - EPOCHSECONDS > 0 ? PASV_AT - EPOCHSECONDS : 0))
  pasv_exhaustion "$WORK/hostile/pasv"
) &
PGROUPS+=($!)
PASV_JOB=$!

(probe "$MAIN_PORT" "$LOAD_END" "$WORK/hostile/probe") &
PGROUPS+=($!)
PROBE_JOB=$!

log "server_soak: load running until $(date -d "@$LOAD_END" +%T)"
WORKERS=()
for ((i = 0; i < SESSIONS; i++)); do
  worker "$i" &
  WORKERS+=($!)
  PGROUPS+=($!)
done

# wait_jobs SECONDS PID...: waits for them at most that long; prints the PIDs still running.
wait_jobs() {
  local limit=$1 p left
  shift
  for ((s = 0; s < limit * 10; s++)); do
    left=()
    for p in "$@"; do kill -0 "$p" 2>/dev/null && left+=("$p"); done
    ((${#left[@]} == 0)) && return 0
    sleep 0.1
  done
  echo "${left[@]}"
}

sleep $((LOAD_END - EPOCHSECONDS > 0 ? LOAD_END - EPOCHSECONDS : 0))
log "server_soak: load ends; waiting for the sessions in progress"
hung=$(wait_jobs $((SESSION_LIMIT + 15)) "${WORKERS[@]}")
[[ -n $hung ]] && fail "workers still running $((SESSION_LIMIT + 15)) s after the end: $hung"
T1=$EPOCHSECONDS
CPU1=$(cpu_ticks "$MAIN_PID")
hung=$(wait_jobs 120 "$FLOOD_JOB" "$PASV_JOB" "$PROBE_JOB")
[[ -n $hung ]] && fail "the flood or the PASV part still running"
touch "$WORK/stop"   # the holders let go: slow readers ABOR, idle ones NOOP and QUIT
hung=$(wait_jobs 60 "${HOSTILE_GROUPS[@]}")
[[ -n $hung ]] && fail "hostile clients still running 60 s after being told to stop"

# ---------------------------------------------------------------- the server still serves
kill -0 "$MAIN_PID" 2>/dev/null || fail "the server died (its log: $(tail -3 "$MAIN_LOG" | tr '\n' ' '))"
AFTER_OK=0
for mode in "${MODES[@]}"; do
  out="$WORK/after-$mode.log"
  timeout --foreground -k 5 60 "$FTPSIM" client "$URL" "--$mode" get f_1m.bin ";" \
    put "$WORK/up/u_5.bin" "incoming/after-$mode.bin" >"$out" 2>&1
  rc=$?
  if ((rc == 0)) && grep -qxF "RETR f_1m.bin: 1048576 bytes sha256 ${SHA[f_1m.bin]}" "$out" &&
    [[ $(sha256sum <"$ROOT/incoming/after-$mode.bin" | cut -d' ' -f1) == "${SHA[u_5]}" ]]; then
    AFTER_OK=$((AFTER_OK + 1))
  else
    fail "after the soak, a $mode session: exit $rc: $(tail -3 "$out" | tr '\n' ' ')"
  fi
done
# No descriptor left behind: back to the count before the load (closing data connections get
# up to 30 s to drain, DataChannel's kCloseDrainLimit).
FDS_END=0 FDS_BACK_S=-1
for ((s = 0; s < 450; s++)); do
  FDS_END=$(fd_count "$MAIN_PID")
  ((FDS_END <= BASE_FDS)) && { FDS_BACK_S=$((s / 10)); break; }
  sleep 0.1
done
((FDS_BACK_S >= 0)) || fail "the server holds $FDS_END descriptors 45 s after the last client left ($BASE_FDS before the load)"
RSS_AFTER=$(kib "$MAIN_PID" VmRSS)
HWM=$(kib "$MAIN_PID" VmHWM)
touch "$WORK/stop_sampler"
wait_jobs 5 "$SAMPLER" >/dev/null
stop_server "$MAIN_PID"
kill -0 "$RANGE_PID" 2>/dev/null || fail "the PASV-range server died (its log: $WORK/ftpsim-serve-$RANGE_PORT.log)"
stop_server "$RANGE_PID"

# ---------------------------------------------------------------- figures and checks
# shellcheck source=bench/server_soak_report.sh
source bench/server_soak_report.sh
