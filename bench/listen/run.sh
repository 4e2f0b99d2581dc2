#!/usr/bin/env bash
# Load benchmark of 'hookctl listen' with signature verification and the
# durable capture log on (every answer waits for its record's fdatasync;
# group commit), against the durable limit: a minimal net/http server that
# checks the HMAC and appends each record through one writer with
# continuous group commit, answering after its batch's sync (baseline/),
# both driven by wrk at the same concurrency in the same run, their
# capture files on the same disk. Then listen's memory after 100k captured
# requests.
#
# Targets (issue 10): listen >= 0.85x the baseline's requests per second at
# 64 connections, p99 latency <= 2x the baseline's, VmRSS <= 64 MB after
# 100k captured requests.
#
#   bench/listen/run.sh                 # C=64, 3 rounds of wrk 10s per server
#   C=64 DURATION=5s ROUNDS=5 bench/listen/run.sh
#
# The capture file goes to a temporary folder under $BENCH_TMPDIR (default
# /var/tmp, a real disk: on tmpfs fsync costs nothing and the figures would
# flatter listen). Run it once, on a quiet machine.
set -euo pipefail

C=${C:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
RECORDS=${RECORDS:-100000}
TARGET_RATIO=${TARGET_RATIO:-0.85}
TARGET_P99=${TARGET_P99:-2}
TARGET_RSS_MB=${TARGET_RSS_MB:-64}

root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/bench/listen/tmp.sh" listen

echo "building hookctl and the baseline..."
(cd "$root" && go build -o "$tmp/hookctl" . && go build -o "$tmp/baseline" ./bench/listen/baseline)

. "$root/bench/listen/request.sh"

# wrk prints latency percentiles with --latency; p99 is converted to ms.
p99_ms() {
	awk '$1 == "99%" {
		v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
		if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
		printf "%.2f", v }'
}
rps() { awk '/^Requests\/sec:/ {print $2}'; }
non2xx() { awk '/Non-2xx or 3xx responses:/ {print $5} END {}'; }

run_wrk() { # name url
	echo "wrk: -t$THREADS -c$C -d$DURATION --latency POST $2 ($1)" >&2
	wrk -t"$THREADS" -c"$C" -d"$DURATION" --latency -s "$tmp/post.lua" "$2"
}

"$tmp/baseline" -secret bench -ready "$tmp/baseline.addr" -capture "$tmp/baseline.jsonl" &
pids+=($!)
capture="$tmp/captures.jsonl"
"$tmp/hookctl" listen --port 0 --ready-file "$tmp/listen.url" --secret notify=bench --capture "$capture" -q >/dev/null 2>"$tmp/listen.err" &
listen_pid=$!
pids+=($listen_pid)
wait_file "$tmp/baseline.addr"
wait_file "$tmp/listen.url"
base_url="http://$(cat "$tmp/baseline.addr")/"
listen_url=$(cat "$tmp/listen.url")

# Both servers run all along and wrk takes turns between them, ROUNDS
# times, the order swapped every round: a burst of other work on this
# shared machine then lands on both. Each round's ratio pairs its two
# runs; the summary is the median round.
rounds=()
for r in $(seq "$ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then
		b=$(run_wrk baseline "$base_url"); l=$(run_wrk listen "$listen_url")
	else
		l=$(run_wrk listen "$listen_url"); b=$(run_wrk baseline "$base_url")
	fi
	echo "$b" >"$tmp/base.$r"; echo "$l" >"$tmp/listen.$r"
	ratio=$(awk -v l="$(echo "$l" | rps)" -v b="$(echo "$b" | rps)" 'BEGIN { printf "%.4f", l / b }')
	rounds+=("$ratio $r")
	echo "round $r: baseline $(echo "$b" | rps) req/s p99 $(echo "$b" | p99_ms) ms, listen $(echo "$l" | rps) req/s p99 $(echo "$l" | p99_ms) ms: ${ratio}x" >&2
done
median=$(printf '%s\n' "${rounds[@]}" | sort -n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) {print $2}')
base_out=$(cat "$tmp/base.$median")
listen_out=$(cat "$tmp/listen.$median")
echo "$base_out"
echo "$listen_out"
kill "${pids[0]}"

# Keep posting until RECORDS requests are captured, then read listen's memory.
while [ "$(wc -l <"$capture")" -lt "$RECORDS" ]; do
	wrk -t"$THREADS" -c"$C" -d5s -s "$tmp/post.lua" "$listen_url" >/dev/null
done
records=$(wc -l <"$capture")
valid=$(grep -c '"verified":true' "$capture" || true)
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$listen_pid/status")
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$listen_pid/status")
kill -TERM "$listen_pid"
wait "$listen_pid" || true
summary=$(tail -n 1 "$tmp/listen.err")

base_rps=$(echo "$base_out" | rps)
listen_rps=$(echo "$listen_out" | rps)
base_p99=$(echo "$base_out" | p99_ms)
listen_p99=$(echo "$listen_out" | p99_ms)
base_bad=$(echo "$base_out" | non2xx)
listen_bad=$(echo "$listen_out" | non2xx)
ratio=$(awk -v l="$listen_rps" -v b="$base_rps" 'BEGIN { printf "%.2f", l / b }')
p99_ratio=$(awk -v l="$listen_p99" -v b="$base_p99" 'BEGIN { printf "%.2f", l / b }')
rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
hwm_mb=$(awk -v k="$hwm_kb" 'BEGIN { printf "%.1f", k / 1024 }')

cat <<REPORT

| | req/s | p99 | non-2xx |
|---|---|---|---|
| durable limit (net/http + HMAC check + group-committed fdatasync'ed append) | $base_rps | $base_p99 ms | ${base_bad:-0} |
| hookctl listen (verify + fsynced capture) | $listen_rps | $listen_p99 ms | ${listen_bad:-0} |
| ratio (median of $ROUNDS rounds: round $median) | ${ratio}x (target >= ${TARGET_RATIO}x) | ${p99_ratio}x (target <= ${TARGET_P99}x) | |

memory after $records captured requests ($valid verified valid): VmRSS $rss_mb MB, VmHWM $hwm_mb MB (target VmRSS <= $TARGET_RSS_MB MB)
listen: $summary
machine: $(nproc) cores, $(uname -sr), $(go version | cut -d' ' -f3), capture on $(df -T "$tmp" | awk 'NR==2 {print $2}')
REPORT

fail=0
awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { exit !(r >= t) }' || { echo "below target: req/s ratio"; fail=1; }
awk -v r="$p99_ratio" -v t="$TARGET_P99" 'BEGIN { exit !(r <= t) }' || { echo "above target: p99 ratio"; fail=1; }
awk -v m="$rss_mb" -v t="$TARGET_RSS_MB" 'BEGIN { exit !(m <= t) }' || { echo "above target: memory"; fail=1; }
exit $fail
