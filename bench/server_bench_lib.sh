# shellcheck shell=bash
# Shell pieces shared by the `ftpsim serve` benchmarks (server_load.sh, server_soak.sh).
# Sourced, not run. The sourcing script sets BENCH_NAME (the prefix of its messages), FTPSIM
# (the binary) and WORK (its temporary directory) before it calls these; it registers what it
# starts in PIDS (stopped by PID) or PGROUPS (process groups, stopped as a whole) for
# bench_cleanup. Everything here talks to 127.0.0.1 only.

HOST=127.0.0.1
PIDS=()
PGROUPS=()
WATCHDOG=0

log() { printf '%s\n' "$*" >&2; }
die() { log "$BENCH_NAME: $*"; exit 2; }

# check_ftpsim [client]: the binary exists and has `serve` (and `client`) subcommands.
check_ftpsim() {
  [[ -x $FTPSIM ]] || die "no ftpsim binary at $FTPSIM (build it first: cmake --build build --target ftpsim)"
  FTPSIM=$(readlink -f "$FTPSIM")
  "$FTPSIM" serve --help >/dev/null 2>&1 || die "$FTPSIM has no working 'serve' subcommand"
  if [[ ${1:-} == client ]]; then
    "$FTPSIM" client --help >/dev/null 2>&1 || die "$FTPSIM has no working 'client' subcommand"
  fi
}

# stop_pid PID: SIGTERM, then SIGKILL after 5 s.
stop_pid() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

# stop_group PGID: the same for every process of a group this script made (set -m jobs).
stop_group() {
  kill -TERM -- "-$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 -- "-$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

# The EXIT trap: the watchdog's sleep (by parent PID), the groups, the PIDs, then WORK (kept
# with KEEP_WORK=1, to look at the logs).
bench_cleanup() {
  local p
  trap '' INT TERM   # cleanup runs to its end
  set +m             # no job-control notices ("Terminated") for what is stopped here
  ((WATCHDOG > 0)) && pkill -P "$WATCHDOG" 2>/dev/null
  for p in "${PGROUPS[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PGROUPS[@]}"; do stop_group "$p"; done
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  if [[ ${KEEP_WORK:-0} == 1 && -n ${WORK:-} ]]; then
    log "$BENCH_NAME: kept $WORK (KEEP_WORK=1)"
  elif [[ -n ${WORK:-} && -d $WORK ]]; then
    rm -rf "$WORK"
  fi
  return 0
}

# start_watchdog SECONDS: after that long the script signals itself (its EXIT trap runs).
start_watchdog() {
  ( sleep "$1" && { log "$BENCH_NAME: TIME_LIMIT ($1 s) reached"; kill -TERM $$; } ) 2>/dev/null &
  WATCHDOG=$!
  PIDS+=("$WATCHDOG")
}

# A TCP port free on 127.0.0.1 now (random, below the ephemeral range).
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 12000))
    ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return 0; }
  done
  die "no free port"
}

# wait_listening PID PORT: up to 10 s for PID to listen on PORT (no probe connection is made).
wait_listening() {
  for _ in $(seq 100); do
    kill -0 "$1" 2>/dev/null || return 1
    ss -Hltn "sport = :$2" | grep -q . && return 0
    sleep 0.1
  done
  return 1
}

# kib PID FIELD: a /proc/PID/status figure in KiB (VmRSS, VmHWM).
kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null; }

# start_ftpsim ROOT [serve options...] -> sets SRV_PID SRV_PORT SRV_LOG (anonymous, on 127.0.0.1).
start_ftpsim() {
  local root=$1
  shift
  SRV_PORT=$(free_port)
  SRV_LOG="$WORK/ftpsim-serve-$SRV_PORT.log"
  "$FTPSIM" serve --listen "$HOST:$SRV_PORT" --root "$root" --anonymous "$@" >"$SRV_LOG" 2>&1 &
  SRV_PID=$!
  PIDS+=("$SRV_PID")
  wait_listening "$SRV_PID" "$SRV_PORT" || { tail -20 "$SRV_LOG" >&2; die "ftpsim serve did not start"; }
}

# stop_server PID: the server, and (vsftpd) its session processes still there, by their PIDs.
stop_server() {
  local kids
  kids=$(pgrep -P "$1" 2>/dev/null)
  stop_pid "$1"
  # shellcheck disable=SC2086 # one PID per word
  [[ -n $kids ]] && kill -KILL $kids 2>/dev/null
  return 0
}
