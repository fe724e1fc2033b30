# shellcheck shell=bash
# shellcheck disable=SC2153 # T0, LOAD_END, MAX_SESSIONS ... are set by server_soak.sh, which sources this
# The figures and the checks of bench/server_soak.sh (sourced at its end, once every process
# is stopped): reads what the workers (res/), the RSS sampler (rss) and the hostile clients
# (hostile/) wrote, prints one paragraph per part and exits 0, or 3 when a check failed.

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
status_val() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$1" 2>/dev/null; }

# ---------------------------------------------------------------- the load
# Refusals of the load and of the probe are expected from the flood's start until FLOOD_GRACE
# seconds after the flooder closed its connections: the server sees those closes, and frees
# the slots, only as fast as a loaded machine lets it (under a load average of 100, seconds).
FLOOD_GRACE=30
FLOOD_START=$(status_val "$WORK/hostile/flood" start)
FLOOD_END=$(status_val "$WORK/hostile/flood" end)
read -r LOAD_OK LOAD_FAIL LOAD_REFUSED LOAD_REFUSED_OUTSIDE LOAD_BYTES MODES_OK < <(
  cat "$WORK"/res/* 2>/dev/null | awk -v fs="${FLOOD_START:-0}" -v fe="${FLOOD_END:-0}" -v grace="$FLOOD_GRACE" '
    $1 == "ok" { ok++; bytes += $4; m[$3]++ }
    $1 == "fail" { bad++ }
    $1 == "refused" { ref++; if (!(fs > 0 && $2 >= fs && $2 <= fe + grace)) out++ }
    END { printf "%d %d %d %d %.0f passive:%d,active:%d,epsv:%d\n", ok, bad, ref, out, bytes, m["passive"], m["active"], m["epsv"] }')
# Session times (microseconds in res/), sorted: median, 99th percentile, maximum, in seconds.
read -r P50 P99 PMAX < <(
  cat "$WORK"/res/* 2>/dev/null | awk '$1 == "ok" { print $2 }' | sort -n | awk '{ t[NR] = $1 }
    END { if (!NR) { print "0 0 0"; exit }
          printf "%.2f %.2f %.2f\n", t[int((NR - 1) * 0.50) + 1] / 1e6, t[int((NR - 1) * 0.99) + 1] / 1e6, t[NR] / 1e6 }')
read -r CONC_MED CONC_MAX < <(
  awk -v a="$T0" -v b="$LOAD_END" '$1 != "gone" && $1 >= a && $1 <= b { print $4 }' "$WORK/rss" | sort -n |
    awk '{ c[NR] = $1 } END { if (!NR) print "0 0"; else print c[int((NR + 1) / 2)], c[NR] }')
LOAD_SECS=$((T1 - T0))
log ""
log "server_soak: load: $SESSIONS workers for $DURATION s (all done $LOAD_SECS s after the start)"
awk -v ok="$LOAD_OK" -v s="$LOAD_SECS" -v b="$LOAD_BYTES" -v f="$LOAD_FAIL" -v m="$MODES_OK" 'BEGIN {
  printf "  sessions verified %d (%s), %.1f sessions/s; transfers verified %d (%d downloads by SHA-256, %d uploads on disk), %.1f MB/s; failed sessions %d\n",
    ok, m, ok / s, 8 * ok, 6 * ok, 2 * ok, b / s / 1e6, f }' >&2
log "  session time (connect to QUIT, 6 RETR + 2 STOR): median $P50 s, 99th percentile $P99 s, max $PMAX s"
awk -v a="${CPU0:-0}" -v b="${CPU1:-0}" -v hz="$(getconf CLK_TCK)" -v s="$LOAD_SECS" 'BEGIN {
  printf "  server CPU time (user + system) during the load: %.1f s of %d s (%.0f %% of one core)\n", (b - a) / hz, s, 100 * (b - a) / hz / s }' >&2
log "  control connections established at the server, sampled every second: median $CONC_MED, max $CONC_MAX" \
    "(workers $SESSIONS + slow readers $SLOW_READERS + idle $IDLE; a worker between two sessions has none)"
((LOAD_FAIL == 0)) || {
  fail "$LOAD_FAIL sessions failed their checks; first ones:"
  grep -h '^fail' "$WORK"/res/* | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /' >&2
  for f in $(find "$WORK/failed" -type f | head -3); do tail -4 "$f" | sed 's/^/      /' >&2; done
}
((LOAD_OK > 0)) || fail "no session was verified"
((LOAD_REFUSED_OUTSIDE == 0)) || fail "$LOAD_REFUSED_OUTSIDE session starts refused outside the flood (and its $FLOOD_GRACE s)"

# ---------------------------------------------------------------- RSS
read -r RSS_START RSS_PEAK RSS_END RSS_EARLY RSS_LATE RSS_N < <(
  awk -v a="$T0" -v b="$LOAD_END" '$1 != "gone" && $1 >= a && $1 <= b { n++; t[n] = $1; r[n] = $2 }
    END {
      if (!n) { print "0 0 0 0 0 0"; exit }
      fifth = (b - a) / 5
      for (i = 1; i <= n; i++) {
        if (r[i] > peak) peak = r[i]
        if (t[i] >= a + fifth && t[i] <= a + 2 * fifth && r[i] > early) early = r[i]
        if (t[i] >= b - fifth && r[i] > late) late = r[i]
      }
      print r[1], peak, r[n], early, late, n
    }' "$WORK/rss")
grep -q '^gone' "$WORK/rss" && fail "the server was gone at $(awk '$1 == "gone" { print $2 }' "$WORK/rss") (sampler)"
RSS_GROWTH=$((RSS_LATE - RSS_EARLY))
log "server_soak: server VmRSS, sampled every second ($RSS_N samples under load): idle before $(mib "$RSS_IDLE") MiB," \
    "start $(mib "$RSS_START"), peak $(mib "$RSS_PEAK"), end $(mib "$RSS_END") MiB; after the soak $(mib "$RSS_AFTER") MiB, VmHWM $(mib "$HWM") MiB"
log "  growth under steady load, highest sample of the last fifth minus highest of 20-40 %: $(mib "$RSS_GROWTH") MiB (bound $RSS_GROWTH_MIB MiB)"
((RSS_N > 0)) || fail "no RSS sample under load"
((RSS_GROWTH <= RSS_GROWTH_MIB * 1024)) || fail "VmRSS grew by $(mib "$RSS_GROWTH") MiB under steady load"

# ---------------------------------------------------------------- slow readers
SLOW_HELD=0 SLOW_ABOR=0 SLOW_QUEUES=() SLOW_ABOR_MS=0
for ((i = 0; i < SLOW_READERS; i++)); do
  st="$WORK/hostile/slow_$i"
  grep -q '^held' "$st" 2>/dev/null && SLOW_HELD=$((SLOW_HELD + 1))
  if grep -q '^abor_ok' "$st" 2>/dev/null; then
    SLOW_ABOR=$((SLOW_ABOR + 1))
    ms=$(status_val "$st" abor_ok)
    ((ms > SLOW_ABOR_MS)) && SLOW_ABOR_MS=$ms
  fi
  SLOW_QUEUES+=("$(status_val "$st" queues)")
  while read -r l; do fail "$l"; done < <(grep -h '^error' "$st" 2>/dev/null | head -1 | sed "s/^/slow reader $i: /")
  while read -r l; do fail "$l"; done < <(grep -h '^unasked' "$st" 2>/dev/null | sed "s/^/slow reader $i: the server said, unasked: /")
done
if ((SLOW_READERS > 0)); then
  log "server_soak: slow readers: $SLOW_HELD of $SLOW_READERS held a RETR of 256 MiB unread for the whole load;" \
      "bytes unread in the client's receive queue / unsent in the server's send queue, each: ${SLOW_QUEUES[*]}; ABOR answered (426, 226) by $SLOW_ABOR in at most $SLOW_ABOR_MS ms"
  ((SLOW_HELD == SLOW_READERS && SLOW_ABOR == SLOW_READERS)) || fail "slow readers: $SLOW_HELD held, $SLOW_ABOR ABOR answered, of $SLOW_READERS"
fi

# ---------------------------------------------------------------- idle connections
IDLE_HELD=0 IDLE_NOOP=0 IDLE_TIMED_OUT=0
for ((i = 0; i < IDLE; i++)); do
  st="$WORK/hostile/idle_$i"
  held=$(status_val "$st" held)
  [[ -n $held ]] && IDLE_HELD=$((IDLE_HELD + 1))
  grep -q '^noop_ok' "$st" 2>/dev/null && IDLE_NOOP=$((IDLE_NOOP + 1))
  if u=$(status_val "$st" unasked) && [[ -n $u ]]; then
    read -r at what <<<"$u"
    if [[ $what == 421* ]] && ((at - held >= IDLE_TIMEOUT_S - 2)); then
      IDLE_TIMED_OUT=$((IDLE_TIMED_OUT + 1))
    else
      fail "idle connection $i: the server said, unasked, after $((at - held)) s: $what"
    fi
  fi
  while read -r l; do fail "$l"; done < <(grep -h '^error' "$st" 2>/dev/null | head -1 | sed "s/^/idle connection $i: /")
done
if ((IDLE > 0)); then
  log "server_soak: idle connections: $IDLE_HELD of $IDLE held ($((IDLE / 2)) logged in); $IDLE_TIMED_OUT closed by the" \
      "server's idle timeout with 421 (after >= $IDLE_TIMEOUT_S s), $IDLE_NOOP still open and answering NOOP at the end"
  ((IDLE_HELD == IDLE && IDLE_NOOP + IDLE_TIMED_OUT == IDLE)) || fail "idle connections: not all held and accounted for"
fi

# ---------------------------------------------------------------- flood
FL="$WORK/hostile/flood"
FREE_AT_MOST=$((MAX_SESSIONS - SLOW_READERS - IDLE))   # the holders keep their slots all along
if ((FLOOD > 0)); then
  for k in connected connect_failed admitted refused closed other unanswered; do
    declare "FLOOD_${k^^}=$(status_val "$FL" "$k")"
  done
  log "server_soak: flood at +$((${FLOOD_START:-T0} - T0)) s: $FLOOD connections at once, session limit $MAX_SESSIONS:" \
      "${FLOOD_ADMITTED:-?} admitted (the slots free then), ${FLOOD_REFUSED:-?} refused with 421" \
      "(\"$(status_val "$FL" refusal)\"), ${FLOOD_CLOSED:-?} closed without a reply (past the 64 refusals at once)," \
      "${FLOOD_UNANSWERED:-?} unanswered after 10 s, ${FLOOD_OTHER:-?} other; held $FLOOD_HOLD s;" \
      "load session starts refused meanwhile (to $FLOOD_GRACE s after it): $LOAD_REFUSED (retried a second later), at other times: $LOAD_REFUSED_OUTSIDE"
  [[ ${FLOOD_UNANSWERED:-x} == 0 && ${FLOOD_OTHER:-x} == 0 && ${FLOOD_CONNECT_FAILED:-x} == 0 ]] ||
    fail "flood: every connection must be answered (220, 421 or a close) within 10 s"
  ((${FLOOD_ADMITTED:-0} <= FREE_AT_MOST)) || fail "flood: ${FLOOD_ADMITTED} admitted, more than the $FREE_AT_MOST slots not held"
  if ((FLOOD > FREE_AT_MOST)); then
    ((${FLOOD_REFUSED:-0} + ${FLOOD_CLOSED:-0} >= FLOOD - FREE_AT_MOST)) || fail "flood: fewer refused than the excess"
    ((${FLOOD_REFUSED:-0} > 0)) || fail "flood: no 421"
  fi
fi

# ---------------------------------------------------------------- probe
PR="$WORK/hostile/probe"
# count, median, maximum of the numbers on stdin
count_median_max() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "0 0 0"; else print NR, v[int((NR + 1) / 2)], v[NR] }'; }
read -r PROBE_N PROBE_G50 PROBE_GMAX < <(awk '$1 == "probe" { print $3 }' "$PR" 2>/dev/null | count_median_max)
read -r _ PROBE_U50 PROBE_UMAX < <(awk '$1 == "probe" { print $4 }' "$PR" 2>/dev/null | count_median_max)
PROBE_REFUSED=$(grep -c '^probe_refused' "$PR" 2>/dev/null)
PROBE_REFUSED_OUTSIDE=$(awk -v fs="${FLOOD_START:-0}" -v fe="${FLOOD_END:-0}" -v grace="$FLOOD_GRACE" \
  '$1 == "probe_refused" && !(fs > 0 && $2 >= fs && $2 <= fe + grace) { n++ } END { print n + 0 }' "$PR" 2>/dev/null)
log "server_soak: probe every 2 s (a new client at the server's priority): $PROBE_N answered; greeting median $PROBE_G50 ms," \
    "max $PROBE_GMAX ms; USER's reply median $PROBE_U50 ms, max $PROBE_UMAX ms; refused (421) $PROBE_REFUSED, outside the flood $PROBE_REFUSED_OUTSIDE"
((PROBE_N > 0)) || fail "probe: no answer at all"
while read -r l; do fail "probe: $l"; done < <(grep '^probe_failed' "$PR" 2>/dev/null | head -5)
((PROBE_REFUSED_OUTSIDE == 0)) || fail "probe: refused outside the flood"

# ---------------------------------------------------------------- PASV range
PS="$WORK/hostile/pasv"
EX_PASV=$(status_val "$PS" exhausted_pasv)
log "server_soak: PASV range of $PASV_PORTS ports ($RANGE_LO-$RANGE_HI) on a second server, at +$(($(status_val "$PS" start) - T0)) s:" \
    "holders got ports $(status_val "$PS" holder_ports); one more PASV: ${EX_PASV#* } (in ${EX_PASV%% *} ms);" \
    "EPSV: $(status_val "$PS" exhausted_epsv); a PORT session meanwhile: $(grep -q '^port_session_ok' "$PS" && echo verified || echo FAILED);" \
    "after a holder quit: PASV $(status_val "$PS" pasv_again), RETR $(grep -q '^retr_again_ok' "$PS" && echo verified || echo FAILED)"
[[ ${EX_PASV#* } =~ ^4[0-9][0-9]\  ]] || fail "PASV with the range exhausted: expected a 4yz refusal, got: ${EX_PASV#* }"
[[ $(status_val "$PS" exhausted_epsv) =~ ^4[0-9][0-9]\  ]] || fail "EPSV with the range exhausted: expected a 4yz refusal"
for k in port_session_ok probe_noop_ok retr_again_ok; do grep -q "^$k" "$PS" || fail "PASV range: no $k"; done
while read -r l; do fail "PASV range: $l"; done < <(grep -h '^\(error\|port_session_failed\)' "$PS" 2>/dev/null)
read -ra hp <<<"$(status_val "$PS" holder_ports)"
(($(printf '%s\n' "${hp[@]}" | sort -u | awk -v lo="$RANGE_LO" -v hi="$RANGE_HI" '$1 >= lo && $1 <= hi' | wc -l) == PASV_PORTS)) ||
  fail "PASV range: the holders did not get $PASV_PORTS distinct ports of the range"

# ---------------------------------------------------------------- afterwards
log "server_soak: afterwards: $AFTER_OK of ${#MODES[@]} sessions (passive, active, epsv) verified;" \
    "descriptors $FDS_END, back to the $BASE_FDS before the load after ${FDS_BACK_S} s"

if [[ -n $BENCH_JSON ]]; then
  cat >"$BENCH_JSON" <<EOF
{"sessions": $SESSIONS, "duration_s": $DURATION, "sessions_verified": $LOAD_OK, "transfers_verified": $((8 * LOAD_OK)),
 "failed_sessions": $LOAD_FAIL, "control_connections": {"median": $CONC_MED, "max": $CONC_MAX}, "bytes": $LOAD_BYTES, "session_time_s": {"p50": $P50, "p99": $P99, "max": $PMAX},
 "rss_kib": {"idle": $RSS_IDLE, "start": $RSS_START, "peak": $RSS_PEAK, "end": $RSS_END, "after": $RSS_AFTER, "growth": $RSS_GROWTH},
 "slow_readers": {"n": $SLOW_READERS, "held": $SLOW_HELD, "abor_ok": $SLOW_ABOR},
 "idle": {"n": $IDLE, "held": $IDLE_HELD, "noop_ok": $IDLE_NOOP, "timed_out": $IDLE_TIMED_OUT},
 "flood": {"n": $FLOOD, "refused": ${FLOOD_REFUSED:-null}, "closed": ${FLOOD_CLOSED:-null}, "admitted": ${FLOOD_ADMITTED:-null}, "unanswered": ${FLOOD_UNANSWERED:-null}},
 "load_refused": $LOAD_REFUSED, "probe": {"n": $PROBE_N, "greeting_ms": {"median": $PROBE_G50, "max": $PROBE_GMAX}, "user_ms": {"median": $PROBE_U50, "max": $PROBE_UMAX}}, "server_cpu_s": $(awk -v a="${CPU0:-0}" -v b="${CPU1:-0}" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }'), "after_ok": $AFTER_OK, "checks_failed": $FAILURES}
EOF
fi
log "server_soak: checks failed: $FAILURES"
((FAILURES == 0)) || exit 3
exit 0
