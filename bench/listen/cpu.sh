#!/usr/bin/env bash
# CPU time per request of 'hookctl listen' (signature check, durable
# capture) and of the durable limit (baseline/), each under wrk in turn:
# the processes' user+system time (/proc/PID/stat) over the requests wrk
# completed. Unlike req/s this hardly moves with the machine's load, so it
# is the figure to compare builds by on a shared machine; run.sh gives the
# ratio the target is stated in. With PROFILE=1, listen is built with
# -tags pprof and both write CPU profiles (and listen its allocations) to
# $OUT (default bench/results/listen-cpu).
#
#   bench/listen/cpu.sh                      # 3 rounds of wrk -c64 -d5s per server
#   ROUNDS=5 DURATION=8s PROFILE=1 bench/listen/cpu.sh
#   HOOKCTL=/path/to/other/hookctl bench/listen/cpu.sh   # another build
#   OTHER="/path/to/older/hookctl ..." bench/listen/cpu.sh   # and those builds beside this one, in turn
set -euo pipefail

C=${C:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
PROFILE=${PROFILE:-}

root=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$root/bench/results/listen-cpu}
mkdir -p "$OUT"
. "$root/bench/listen/tmp.sh" cpu

tags=()
[ -n "$PROFILE" ] && tags=(-tags pprof)
echo "building hookctl${PROFILE:+ (pprof)} and the baseline..." >&2
(cd "$root" && go build "${tags[@]}" -o "$tmp/hookctl" . && go build -o "$tmp/baseline" ./bench/listen/baseline)
[ -n "${HOOKCTL:-}" ] && cp "$HOOKCTL" "$tmp/hookctl"

. "$root/bench/listen/request.sh"
prof=()
[ -n "$PROFILE" ] && prof=(-cpuprofile "$OUT/baseline.cpu")
"$tmp/baseline" -secret bench -ready "$tmp/baseline.addr" -capture "$tmp/baseline.jsonl" "${prof[@]}" &
base_pid=$!
pids+=($base_pid)
if [ -n "$PROFILE" ]; then
	export HOOKCTL_CPUPROFILE="$OUT/listen.cpu" HOOKCTL_MEMPROFILE="$OUT/listen.mem"
fi
"$tmp/hookctl" listen --port 0 --ready-file "$tmp/listen.url" --secret notify=bench --capture "$tmp/captures.jsonl" -q >/dev/null 2>"$tmp/listen.err" &
listen_pid=$!
pids+=($listen_pid)
unset HOOKCTL_CPUPROFILE HOOKCTL_MEMPROFILE
others=()
n=0
for o in ${OTHER:-}; do
	n=$((n + 1))
	"$o" listen --port 0 --ready-file "$tmp/other$n.url" --secret notify=bench --capture "$tmp/other$n.jsonl" -q >/dev/null 2>&1 &
	pids+=($!)
	others+=("$! $n $o")
	wait_file "$tmp/other$n.url"
done
wait_file "$tmp/baseline.addr"
wait_file "$tmp/listen.url"

tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in ticks
measure() { # name pid url
	local before after out n
	before=$(cpu "$2")
	out=$(wrk -t"$THREADS" -c"$C" -d"$DURATION" -s "$tmp/post.lua" "$3")
	after=$(cpu "$2")
	n=$(echo "$out" | awk '/requests in/ {print $1}')
	awk -v n="$n" -v t=$((after - before)) -v hz="$tick" -v name="$1" \
		-v rps="$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')" \
		'BEGIN { printf "%s: %d requests, %.0f req/s, %.2f s CPU, %.1f us CPU per request\n", name, n, rps, t / hz, t / hz / n * 1e6 }'
}
for r in $(seq "$ROUNDS"); do
	echo "round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
	measure baseline "$base_pid" "http://$(cat "$tmp/baseline.addr")/"
	measure listen "$listen_pid" "$(cat "$tmp/listen.url")"
	for o in "${others[@]}"; do
		set -- $o
		measure "$3" "$1" "$(cat "$tmp/other$2.url")"
	done
done
kill -TERM "${pids[@]}"
wait "${pids[@]}" 2>/dev/null || true
pids=()
[ -n "$PROFILE" ] && echo "profiles in $OUT: go tool pprof -top $tmp/hookctl $OUT/listen.cpu (the binary is removed at exit: use 'go tool pprof -top $OUT/listen.cpu')"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
