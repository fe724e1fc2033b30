# shellcheck shell=bash
# The hostile clients of bench/server_soak.sh, in bash over /dev/tcp (sourced, not run): each
# speaks FTP on a raw control connection so that it can do what no well-behaved client does
# (never read a data connection, sit idle, open connections without end). Each one writes what
# happened to a status file as "key value" lines, which the soak checks at the end. Every read
# has a timeout, every loop a bound; they talk to 127.0.0.1 only.
#
# Needs from the soak: HOST, WORK, ROOT, SHA (sha256 by file name), HOLD_LIMIT, and for the PASV
# part RANGE_PORT, RANGE_LO, RANGE_HI, PASV_PORTS, FTPSIM.

# ftp_reply FD [SECONDS]: one reply, multi-line ones too (RFC 959 §4.2: "DDD-" ... "DDD ").
# Sets RCODE (three digits, or TIMEOUT / EOF) and RTEXT (the last line).
ftp_reply() {
  local fd=$1 t=${2:-10} line rc n
  RCODE="" RTEXT=""
  for ((n = 0; n < 200; n++)); do
    line=""   # a failed read leaves the variable as it was
    IFS= read -r -t "$t" line <&"$fd" 2>/dev/null   # a reset is rc 1 (bash would print it)
    rc=$?
    if ((rc != 0)); then
      if ((rc > 128)); then RCODE=TIMEOUT; else RCODE=EOF; fi
      RTEXT=${line%$'\r'}
      return 1
    fi
    line=${line%$'\r'}
    if [[ $line =~ ^([0-9]{3})(\ |$) ]]; then
      RCODE=${BASH_REMATCH[1]} RTEXT=$line
      return 0
    fi
  done
  RCODE=TOOLONG
  return 1
}

# ftp_cmd FD LINE [SECONDS]: sends LINE, reads the reply.
ftp_cmd() {
  printf '%s\r\n' "$2" 1>&"$1" 2>/dev/null || { RCODE=EPIPE RTEXT=""; return 1; }
  ftp_reply "$1" "${3:-10}"
}

# ftp_open VAR PORT: a connection to HOST:PORT in fd VAR (an error message is not printed).
ftp_open() {
  local -n _fd=$1
  { exec {_fd}<>"/dev/tcp/$HOST/$2"; } 2>/dev/null
}

# expect CODE-REGEX WHAT: the last reply matched, else "error WHAT: CODE TEXT" goes to STATUS.
expect() {
  [[ $RCODE =~ ^($1)$ ]] && return 0
  echo "error $2: $RCODE $RTEXT" >>"$STATUS"
  return 1
}

# login FD: greeting, USER, PASS (anonymous), TYPE I.
login() {
  ftp_reply "$1" && expect 220 greeting || return 1
  ftp_cmd "$1" "USER anonymous" && expect '230|331' USER || return 1
  if [[ $RCODE == 331 ]]; then ftp_cmd "$1" "PASS soak@example.com" && expect 230 PASS || return 1; fi
  ftp_cmd "$1" "TYPE I" && expect 200 "TYPE I" || return 1
}

# passive FD epsv|pasv: the command and its reply; sets DPORT.
passive() {
  if [[ $2 == epsv ]]; then
    ftp_cmd "$1" EPSV && [[ $RTEXT =~ \(\|\|\|([0-9]+)\|\) ]] && DPORT=${BASH_REMATCH[1]}
  else
    ftp_cmd "$1" PASV && [[ $RTEXT =~ \(([0-9]+),([0-9]+),([0-9]+),([0-9]+),([0-9]+),([0-9]+)\) ]] &&
      DPORT=$((BASH_REMATCH[5] * 256 + BASH_REMATCH[6]))
  fi
}

# hold FD: until the soak says stop (at most HOLD_LIMIT s), watching FD for anything the server
# says unasked; the first such line goes to STATUS as "unasked EPOCH LINE" (EOF: "unasked EPOCH EOF").
hold() {
  local s line rc
  for ((s = 0; s < HOLD_LIMIT; s++)); do
    [[ -e $WORK/stop ]] && return 0
    line=""
    IFS= read -r -t 1 line <&"$1" 2>/dev/null
    rc=$?
    if ((rc == 0)); then
      echo "unasked $EPOCHSECONDS ${line%$'\r'}" >>"$STATUS"
      return 0
    elif ((rc <= 128)); then
      echo "unasked $EPOCHSECONDS EOF" >>"$STATUS"
      return 0
    fi
  done
}

# slow_reader I PORT STATUS: RETR of big.bin (PASV or EPSV in turn), the data connection never
# read. At the stop: the bytes waiting in its receive queue, then ABOR (426 and 226 expected),
# QUIT.
slow_reader() {
  local fd dfd recvq sendq
  STATUS=$3
  trap '' PIPE
  ftp_open fd "$2" || { echo "error connect" >>"$STATUS"; return; }
  login "$fd" || return
  if (($1 % 2)); then passive "$fd" epsv; else passive "$fd" pasv; fi || { expect 'x' "PASV/EPSV"; return; }
  ftp_open dfd "$DPORT" || { echo "error data connect" >>"$STATUS"; return; }
  ftp_cmd "$fd" "RETR big.bin" && expect '125|150' RETR || return
  echo "held $EPOCHSECONDS" >>"$STATUS"
  hold "$fd"
  # The client side of the data connection: Recv-Q is what arrived and was never read.
  # Both ends of the data connection: what arrived and was never read (the client's Recv-Q) and
  # what the server could not send (its Send-Q).
  recvq=$(ss -Htn "( dst $HOST:$DPORT )" 2>/dev/null | awk 'NR == 1 { print $2 }')
  sendq=$(ss -Htn "( src $HOST:$DPORT )" 2>/dev/null | awk 'NR == 1 { print $3 }')
  echo "queues ${recvq:-?}/${sendq:-?}" >>"$STATUS"
  local t0=$EPOCHREALTIME
  if grep -q '^unasked' "$STATUS"; then
    return   # the server ended the transfer itself; the soak reports the line
  fi
  ftp_cmd "$fd" ABOR 15 && expect 426 "ABOR (the transfer's reply)" && ftp_reply "$fd" 15 && expect '225|226' "ABOR" &&
    echo "abor_ok $(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))" >>"$STATUS"
  exec {dfd}>&-
  ftp_cmd "$fd" QUIT && expect 221 QUIT
  exec {fd}>&-
}

# idle_holder I PORT STATUS: connects (logs in when I is odd) and does nothing. At the stop: a
# connection still open must answer NOOP with 200; one the server closed must have said 421 first.
idle_holder() {
  local fd
  STATUS=$3
  trap '' PIPE
  ftp_open fd "$2" || { echo "error connect" >>"$STATUS"; return; }
  if (($1 % 2)); then
    login "$fd" || return
  else
    ftp_reply "$fd" && expect 220 greeting || return
  fi
  echo "held $EPOCHSECONDS" >>"$STATUS"
  hold "$fd"
  grep -q '^unasked' "$STATUS" && return
  ftp_cmd "$fd" NOOP && expect 200 "NOOP at the end" && echo "noop_ok" >>"$STATUS"
  ftp_cmd "$fd" QUIT && expect 221 QUIT
  exec {fd}>&-
}

# flood PORT N HOLD STATUS: N connections at once; the first line each gets within 10 s in all:
# 220 (admitted: a free slot), 421 (refused), nothing and closed, or nothing at all (a hang).
# The connections are polled in rounds (read -t 0), so that one slow answer does not eat the
# others' time. The admitted ones are held HOLD seconds, then everything is closed.
flood() {
  local port=$1 n=$2 hold_s=$3 i fd line rc round fds=() pending=() left
  local connected=0 admitted=0 refused=0 closed=0 other=0 cfail=0
  STATUS=$4
  trap '' PIPE
  echo "start $EPOCHSECONDS" >>"$STATUS"
  for ((i = 0; i < n; i++)); do
    if ftp_open fd "$port"; then fds+=("$fd"); connected=$((connected + 1)); else cfail=$((cfail + 1)); fi
  done
  pending=("${fds[@]}")
  for ((round = 0; round < 100 && ${#pending[@]} > 0; round++)); do
    left=()
    for fd in "${pending[@]}"; do
      if ! read -r -t 0 <&"$fd" 2>/dev/null; then left+=("$fd"); continue; fi   # nothing yet (EOF and RST count as ready)
      line=""
      IFS= read -r -t 1 line <&"$fd" 2>/dev/null
      rc=$?
      if ((rc != 0)) && [[ -z $line ]]; then
        closed=$((closed + 1))
      else
        case $line in
          220*) admitted=$((admitted + 1)) ;;
          421*) refused=$((refused + 1)); [[ -z ${refusal:-} ]] && refusal=${line%$'\r'} ;;
          *) other=$((other + 1)) ;;
        esac
      fi
    done
    pending=("${left[@]}")
    ((${#pending[@]} > 0)) && sleep 0.1
  done
  echo "answered $EPOCHSECONDS" >>"$STATUS"
  sleep "$hold_s"
  for fd in "${fds[@]}"; do exec {fd}>&-; done
  echo "end $EPOCHSECONDS" >>"$STATUS"
  printf 'connected %d\nconnect_failed %d\nadmitted %d\nrefused %d\nclosed %d\nother %d\nunanswered %d\nrefusal %s\n' \
    "$connected" "$cfail" "$admitted" "$refused" "$closed" "$other" "${#pending[@]}" "${refusal:-}" >>"$STATUS"
}

# probe PORT UNTIL STATUS: every 2 s until the epoch UNTIL (at most 100000 times): connect,
# greeting, USER, QUIT, timing the greeting and the USER's reply. One line per probe: "probe
# EPOCH GREETING_MS USER_MS", "probe_refused EPOCH" (a 421 or a close before the greeting: the
# server was full) or "probe_failed EPOCH WHY".
probe() {
  local port=$1 until=$2 fd n t0 t1 t2
  STATUS=$3
  trap '' PIPE
  for ((n = 0; n < 100000 && EPOCHSECONDS < until; n++)); do
    t0=${EPOCHREALTIME/./}
    if ftp_open fd "$port"; then
      ftp_reply "$fd" 60
      t1=${EPOCHREALTIME/./}
      if [[ $RCODE == 220 ]]; then
        ftp_cmd "$fd" "USER anonymous" 60
        t2=${EPOCHREALTIME/./}
        if [[ $RCODE =~ ^(230|331)$ ]]; then
          echo "probe $EPOCHSECONDS $(((t1 - t0) / 1000)) $(((t2 - t1) / 1000))" >>"$STATUS"
        else
          echo "probe_failed $EPOCHSECONDS USER: $RCODE $RTEXT" >>"$STATUS"
        fi
        ftp_cmd "$fd" QUIT 10
      elif [[ $RCODE == 421 || $RCODE == EOF ]]; then   # a 421, or past 64 refusals at once a close
        echo "probe_refused $EPOCHSECONDS" >>"$STATUS"
      else
        echo "probe_failed $EPOCHSECONDS greeting: $RCODE $RTEXT" >>"$STATUS"
      fi
      exec {fd}>&-
    else
      echo "probe_failed $EPOCHSECONDS connect" >>"$STATUS"
    fi
    sleep 2
  done
}

# pasv_exhaustion STATUS: against the range server (RANGE_PORT, passive ports RANGE_LO-RANGE_HI):
# PASV_PORTS sessions each hold a PASV listener; one more session's PASV and EPSV must be
# refused (4yz) at once; meanwhile a PORT session (`ftpsim client --active`) downloads and is
# checked; one holder quits, and the refused session's PASV then works and its RETR is checked.
pasv_exhaustion() {
  local i fd probe dfd t0 got ports=() holders=()
  STATUS=$1
  trap '' PIPE
  echo "start $EPOCHSECONDS" >>"$STATUS"
  for ((i = 0; i < PASV_PORTS; i++)); do
    ftp_open fd "$RANGE_PORT" || { echo "error holder connect" >>"$STATUS"; return; }
    login "$fd" || return
    passive "$fd" pasv || { expect x "holder PASV"; return; }
    holders+=("$fd")
    ports+=("$DPORT")
  done
  echo "holder_ports ${ports[*]}" >>"$STATUS"
  ftp_open probe "$RANGE_PORT" || { echo "error probe connect" >>"$STATUS"; return; }
  login "$probe" || return
  t0=$EPOCHREALTIME
  ftp_cmd "$probe" PASV
  echo "exhausted_pasv $(((${EPOCHREALTIME/./} - ${t0/./}) / 1000)) $RTEXT" >>"$STATUS"
  ftp_cmd "$probe" EPSV
  echo "exhausted_epsv $RTEXT" >>"$STATUS"
  # Another session, in active mode, while the range is full.
  local out="$WORK/pasv-port-session.log"
  timeout --foreground -k 5 60 "$FTPSIM" client "ftp://anonymous:x@$HOST:$RANGE_PORT/" --active \
    get f_1m.bin >"$out" 2>&1
  if grep -qxF "RETR f_1m.bin: 1048576 bytes sha256 ${SHA[f_1m.bin]}" "$out"; then
    echo "port_session_ok" >>"$STATUS"
  else
    echo "port_session_failed $(tail -2 "$out" | tr '\n' ' ')" >>"$STATUS"
  fi
  # The refused session is still usable: NOOP.
  ftp_cmd "$probe" NOOP && expect 200 "NOOP after the refused PASV" && echo "probe_noop_ok" >>"$STATUS"
  # One holder leaves; its port comes free (its listener closes as the session ends).
  fd=${holders[0]}
  ftp_cmd "$fd" QUIT
  exec {fd}>&-
  for ((i = 0; i < 50; i++)); do
    passive "$probe" pasv && break
    sleep 0.1
  done
  if [[ $RCODE != 227 ]]; then
    echo "error PASV after a port came free: $RCODE $RTEXT" >>"$STATUS"
  else
    echo "pasv_again $DPORT after $((i + 1)) tries" >>"$STATUS"
    ftp_open dfd "$DPORT" || { echo "error data connect" >>"$STATUS"; return; }
    ftp_cmd "$probe" "RETR f_64k.bin" && expect '125|150' "RETR after a port came free" || return
    got=$(timeout 10 cat <&"$dfd" | sha256sum | cut -d' ' -f1)
    exec {dfd}>&-
    ftp_reply "$probe" 10 && expect 226 "RETR's 226" || return
    [[ $got == "${SHA[f_64k.bin]}" ]] && echo "retr_again_ok" >>"$STATUS" ||
      echo "error RETR after a port came free: another SHA-256" >>"$STATUS"
  fi
  for fd in "${holders[@]:1}" "$probe"; do
    ftp_cmd "$fd" QUIT
    exec {fd}>&-
  done
  echo "end $EPOCHSECONDS" >>"$STATUS"
}
