#!/usr/bin/env bash
# The virtual network against the kernel backend on the standard session (login, PWD, LIST,
# RETR 64 KiB, QUIT; bench/standard_session.yaml), in the same run:
#   1. vnet_bench: SESSIONS standard sessions one after another in one process, pinned to CPU 0,
#      each writing its pcap: sessions/s, packets/s, peak RSS at N/10, N/2, N.
#   2. `ftpsim run bench/standard_session.yaml --net kernel` K times in a loop (root: network
#      namespaces): the whole loop timed, the frames of the pcaps it wrote counted (capinfos).
#   3. the same CLI loop with --net virtual (KV times): the CLI-to-CLI comparison.
# Prints packets/s of each and the ratios; BENCH_CHECK=1: exit 1 unless vnet_bench >= 1e6
# packets/s and vnet_bench / kernel >= 20.
#
#   bench/vnet_bench.sh                       # build/ (or build-bench/) binaries
#   BUILD_DIR=build-bench SESSIONS=50000 K=20 KV=200 bench/vnet_bench.sh
#   BENCH_CHECK=1 bench/vnet_bench.sh
#   PIN_CLI=1 bench/vnet_bench.sh             # also pin the CLI loops to CPU 0 (taskset)
#
# Exit: 0 ran, 1 BENCH_CHECK=1 and a target missed, 2 setup problem, 3 a run failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo" || exit 2

SESSIONS="${SESSIONS:-10000}"
K="${K:-20}"
KV="${KV:-100}"
PIN_CLI="${PIN_CLI:-0}"
BENCH_CHECK="${BENCH_CHECK:-0}"
SCENARIO="$repo/bench/standard_session.yaml"

if [[ -z "${BUILD_DIR:-}" ]]; then
    for d in build build-bench; do
        if [[ -x "$repo/$d/bench/vnet_bench" && -x "$repo/$d/tools/ftpsim" ]]; then BUILD_DIR="$repo/$d"; break; fi
    done
fi
BUILD_DIR="${BUILD_DIR:-$repo/build}"
VNET_BENCH="${VNET_BENCH:-$BUILD_DIR/bench/vnet_bench}"
FTPSIM="${FTPSIM:-$BUILD_DIR/tools/ftpsim}"

die() { echo "vnet_bench.sh: $*" >&2; exit 2; }
[[ -x "$VNET_BENCH" ]] || die "no $VNET_BENCH (build it: cmake --build $BUILD_DIR --target vnet_bench)"
[[ -x "$FTPSIM" ]] || die "no $FTPSIM"
"$FTPSIM" run --help >/dev/null 2>&1 || die "$FTPSIM has no 'run' subcommand"
command -v capinfos >/dev/null || die "capinfos missing (Debian package tshark)"
[[ -f "$SCENARIO" ]] || die "no $SCENARIO"

work="$(mktemp -d /tmp/ftpsim-vnetbench.XXXXXX)" || die "mktemp failed"
cleanup() { rm -rf "$work"; rm -f /tmp/ftpsim-bench-standard_session.*.golden; }
trap cleanup EXIT
trap 'exit 130' INT TERM

pin=()
[[ "$PIN_CLI" == 1 ]] && command -v taskset >/dev/null && pin=(taskset -c 0)

now() { date +%s.%N; }
frames_in() {  # total frames of the pcaps under $1
    local total=0 n f
    while IFS= read -r f; do
        n="$(capinfos -c -M -T -r "$f" 2>/dev/null | awk -F'\t' 'NF>1 {print $2; exit}')"
        [[ "$n" =~ ^[0-9]+$ ]] || { echo "vnet_bench.sh: cannot count frames of $f" >&2; echo -1; return; }
        total=$((total + n))
    done < <(find "$1" -name '*.pcap' | sort)
    echo "$total"
}

# --- 1. vnet_bench -------------------------------------------------------------------------
echo "== 1. vnet_bench: $SESSIONS standard sessions in one process ($VNET_BENCH)"
"$VNET_BENCH" --sessions "$SESSIONS" --scenario "$SCENARIO" --pcap-dir "$work/vnet_bench" --json "$work/vnet.json" | tee "$work/vnet.txt"
[[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "vnet_bench.sh: vnet_bench failed" >&2; exit 3; }
vnet_pps="$(sed -n 's/.*"packets_per_s": \([0-9.e+]*\).*/\1/p' "$work/vnet.json")"
vnet_sps="$(sed -n 's/.*"sessions_per_s": \([0-9.e+]*\).*/\1/p' "$work/vnet.json")"
vnet_pkts="$(sed -n 's/.*"packets": \([0-9]*\).*/\1/p' "$work/vnet.json")"
vnet_per_session="$(awk -v p="$vnet_pkts" -v s="$SESSIONS" 'BEGIN {printf "%.1f", p / s}')"

# --- 2./3. the CLI loops --------------------------------------------------------------------
# One untimed run writes the golden file into a temporary --golden-dir; the timed runs check
# against it, each into its own --out directory, so every pcap written is counted.
cli_loop() {  # backend count -> prints "seconds frames failures"
    local net="$1" count="$2" gdir="$work/golden-$1" i rc fail=0 t0 t1
    mkdir -p "$gdir"
    if ! "${pin[@]}" "$FTPSIM" run "$SCENARIO" --net "$net" --out "$work/$net-warm" --golden-dir "$gdir" \
            --update-golden >"$work/$net-warm.log" 2>&1; then
        echo "vnet_bench.sh: ftpsim run --net $net (warm-up) failed:" >&2
        tail -20 "$work/$net-warm.log" >&2
        echo "0 0 -1"
        return
    fi
    t0="$(now)"
    for ((i = 1; i <= count; i++)); do
        "${pin[@]}" "$FTPSIM" run "$SCENARIO" --net "$net" --out "$work/$net/$i" --golden-dir "$gdir" \
            >>"$work/$net.log" 2>&1
        rc=$?
        [[ $rc -eq 0 ]] || fail=$((fail + 1))
    done
    t1="$(now)"
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}') $(frames_in "$work/$net") $fail"
}

if [[ "$(id -u)" != 0 ]]; then
    echo "== 2. kernel backend: not root; ftpsim run moves itself into a user namespace where the kernel allows it"
fi
echo "== 2. ftpsim run --net kernel, $K runs in a loop (each run: namespaces, veth, server, client, capture)"
read -r k_secs k_frames k_fail < <(cli_loop kernel "$K")
echo "== 3. ftpsim run --net virtual, $KV runs in a loop (the same CLI, virtual network)"
read -r v_secs v_frames v_fail < <(cli_loop virtual "$KV")

status=0
if [[ "$k_fail" != 0 || "$v_fail" != 0 ]]; then
    echo "vnet_bench.sh: failed CLI runs: kernel $k_fail, virtual $v_fail (logs: see below)" >&2
    [[ "$k_fail" != 0 ]] && tail -20 "$work/kernel.log" >&2 2>/dev/null
    [[ "$v_fail" != 0 ]] && tail -20 "$work/virtual.log" >&2 2>/dev/null
    status=3
fi

rate() { awk -v n="$1" -v s="$2" 'BEGIN {if (s > 0) printf "%.1f", n / s; else print 0}'; }
k_pps="$(rate "$k_frames" "$k_secs")"; k_rps="$(rate "$K" "$k_secs")"
v_pps="$(rate "$v_frames" "$v_secs")"; v_rps="$(rate "$KV" "$v_secs")"
k_per="$(rate "$k_frames" "$K")"; v_per="$(rate "$v_frames" "$KV")"
ratio="$(awk -v a="$vnet_pps" -v b="$k_pps" 'BEGIN {if (b > 0) printf "%.1f", a / b; else print 0}')"
ratio_cli="$(awk -v a="$v_pps" -v b="$k_pps" 'BEGIN {if (b > 0) printf "%.1f", a / b; else print 0}')"

echo
echo "== results (standard session: login, PWD, LIST, RETR 64 KiB, QUIT)"
printf '%-44s %9s %10s %12s %12s %14s\n' "what" "runs" "seconds" "sessions/s" "frames/sess" "packets/s"
printf '%-44s %9s %10s %12.1f %12s %14.0f\n' "vnet_bench (in process, 1 core)" "$SESSIONS" \
    "$(awk -v p="$vnet_pkts" -v r="$vnet_pps" 'BEGIN {printf "%.3f", p / r}')" "$vnet_sps" "$vnet_per_session" "$vnet_pps"
printf '%-44s %9s %10s %12s %12s %14s\n' "ftpsim run --net virtual (CLI loop)" "$KV" "$v_secs" "$v_rps" "$v_per" "$v_pps"
printf '%-44s %9s %10s %12s %12s %14s\n' "ftpsim run --net kernel (CLI loop)" "$K" "$k_secs" "$k_rps" "$k_per" "$k_pps"
echo "ratio vnet_bench / kernel packets/s:          $ratio   (target >= 20)"
echo "ratio CLI virtual / CLI kernel packets/s:     $ratio_cli"
[[ "${#pin[@]}" -gt 0 ]] && echo "(CLI loops pinned to CPU 0 with taskset)" || echo "(CLI loops not pinned)"
grep '^peak RSS' "$work/vnet.txt"
[[ "$v_per" != "$vnet_per_session" ]] &&
    echo "note: vnet_bench writes $vnet_per_session frames per session, the CLI's virtual run $v_per"

met_pps="$(awk -v a="$vnet_pps" 'BEGIN {print (a >= 1000000) ? 1 : 0}')"
met_ratio="$(awk -v a="$ratio" 'BEGIN {print (a >= 20) ? 1 : 0}')"
echo "target >= 1,000,000 packets/s (vnet_bench): $([[ $met_pps == 1 ]] && echo met || echo NOT met)"
echo "target >= 20x kernel packets/s:             $([[ $met_ratio == 1 ]] && echo met || echo NOT met)"

if [[ -n "${BENCH_JSON:-}" ]]; then
    cat >"$BENCH_JSON" <<EOF
{"vnet_bench": $(cat "$work/vnet.json"),
 "cli_virtual": {"runs": $KV, "seconds": $v_secs, "frames": $v_frames, "packets_per_s": $v_pps},
 "cli_kernel": {"runs": $K, "seconds": $k_secs, "frames": $k_frames, "packets_per_s": $k_pps},
 "ratio_vnet_kernel": $ratio, "ratio_cli_virtual_kernel": $ratio_cli}
EOF
fi

if [[ "$status" == 0 && "$BENCH_CHECK" == 1 && ( "$met_pps" != 1 || "$met_ratio" != 1 ) ]]; then status=1; fi
exit "$status"
