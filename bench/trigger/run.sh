#!/usr/bin/env bash
# Load benchmark of 'hookctl trigger --count N --concurrency C' beside wrk,
# against the same trivial 200 server (okserver) in the same run.
# Target: hookctl reaches at least 0.55x wrk's requests per second at C=64.
#
#   bench/trigger/run.sh              # N=80000 C=64, wrk for 5s, 2 rounds
#   N=20000 DURATION=3s ROUNDS=1 bench/trigger/run.sh
#
# The machine's other work skews both figures alike; run it on a quiet
# machine, once, and record the figures in bench/README.md.
set -euo pipefail

N=${N:-80000}
C=${C:-64}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-2}
EVENT=${EVENT:-message.created}
TARGET_RATIO=${TARGET_RATIO:-0.55}

root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v wrk >/dev/null 2>&1; then
	echo "wrk is not installed; on Debian or Ubuntu: apt-get update && apt-get install -y wrk" >&2
	exit 2
fi

tmp=$(mktemp -d)
srv_pid=""
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "building hookctl and okserver..."
(cd "$root" && go build -o "$tmp/hookctl" . && go build -o "$tmp/okserver" ./bench/trigger/okserver)

"$tmp/okserver" -ready "$tmp/addr" -dump "$tmp/sample" &
srv_pid=$!
for _ in $(seq 100); do [ -s "$tmp/addr" ] && break; sleep 0.05; done
addr=$(cat "$tmp/addr")
url="http://$addr/"

# wrk posts what hookctl sends: okserver keeps the first request of a
# single trigger (body and headers, signature included).
export HOOKCTL_SECRET=bench XDG_STATE_HOME="$tmp/state" HOME="$tmp"
"$tmp/hookctl" trigger "$EVENT" --to "$url" >/dev/null
for _ in $(seq 100); do [ -s "$tmp/sample" ] && break; sleep 0.05; done
{
	echo "local f = io.open(\"$tmp/sample\", \"rb\")"
	echo 'wrk.method = "POST"'
	echo 'wrk.body = f:read("*a")'
	echo 'f:close()'
	echo 'wrk.headers["User-Agent"] = "wrk"'
	while IFS= read -r line; do
		name=${line%%: *}
		value=${line#*: }
		printf 'wrk.headers["%s"] = "%s"\n' "$name" "$value"
	done <"$tmp/sample.headers"
} >"$tmp/post.lua"
echo "request: $(wc -c <"$tmp/sample") byte body, headers: $(cut -d: -f1 "$tmp/sample.headers" | tr '\n' ' ')"

# wrk and hookctl take turns, ROUNDS times: on a shared machine a burst of
# other work then hits both sides rather than one. Each round prints its
# figures; the ratio is the best hookctl run over the best wrk run.
best_wrk=0
best_hk=0
for round in $(seq "$ROUNDS"); do
	echo "round $round: wrk -t2 -c$C -d$DURATION POST $url"
	wrk_out=$(wrk -t2 -c"$C" -d"$DURATION" -s "$tmp/post.lua" "$url")
	echo "$wrk_out" | sed 's/^/    /'
	wrk_rps=$(echo "$wrk_out" | awk '/^Requests\/sec:/ {print $2}')

	echo "round $round: hookctl trigger $EVENT --count $N --concurrency $C"
	hk_json=$("$tmp/hookctl" trigger "$EVENT" --to "$url" --count "$N" --concurrency "$C" --json)
	echo "    $hk_json"
	hk_rps=$(echo "$hk_json" | sed -n 's/.*"requests_per_second":\([0-9.]*\).*/\1/p')
	echo "round $round: wrk $wrk_rps req/s, hookctl $hk_rps req/s, ratio $(awk -v h="$hk_rps" -v w="$wrk_rps" 'BEGIN { printf "%.2f", h / w }')x"
	best_wrk=$(awk -v a="$best_wrk" -v b="$wrk_rps" 'BEGIN { print (b > a ? b : a) }')
	best_hk=$(awk -v a="$best_hk" -v b="$hk_rps" 'BEGIN { print (b > a ? b : a) }')
done

ratio=$(awk -v h="$best_hk" -v w="$best_wrk" 'BEGIN { printf "%.2f", h / w }')
echo
echo "wrk:     $best_wrk req/s (best of $ROUNDS)"
echo "hookctl: $best_hk req/s (best of $ROUNDS; a fresh render and HMAC signature per request)"
echo "ratio:   ${ratio}x (target >= ${TARGET_RATIO}x)"
awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { exit !(r >= t) }' || { echo "below target"; exit 1; }
