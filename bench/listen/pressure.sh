#!/usr/bin/env bash
# 'hookctl listen' under hostile load, on loopback (issue 10, items 1-3): idle
# keep-alive connections, slowloris headers and uploads that declare 25 MB and
# trickle, while legitimate signed requests are sent one after the other; it
# prints their latency, what listen closed, and listen's memory meanwhile.
#
#   bench/listen/pressure.sh                                  # 5000 idle, 2000 slowloris, 200 trickle, 10 s
#   IDLE=20000 SLOW=0 TRICKLE=0 bench/listen/pressure.sh
#   MAXCONN=100000 bench/listen/pressure.sh                   # (nearly) no connection cap, to compare
#   HOOKCTL=/path/to/older/hookctl bench/listen/pressure.sh    # another build (MAXCONN unset for old ones)
#
# Targets: legitimate p99 well under 100 ms; listen under 150 MB RSS with 200
# trickling 25 MB uploads. Bounded: at most 20,000 connections, LEGIT <= 2m.
set -euo pipefail

IDLE=${IDLE:-5000}
SLOW=${SLOW:-2000}
TRICKLE=${TRICKLE:-200}
LEGIT=${LEGIT:-10s}
MAXCONN=${MAXCONN:-}

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/hookctl-bench-pressure.XXXXXX")
listen_pid=
cleanup() {
	[ -n "$listen_pid" ] && kill "$listen_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
# Both ends need a descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "building hookctl and the pressure tool..."
(cd "$root" && go build -o "$tmp/hookctl" . && go build -o "$tmp/pressure" ./bench/listen/pressure)
[ -n "${HOOKCTL:-}" ] && cp "$HOOKCTL" "$tmp/hookctl"

export XDG_STATE_HOME="$tmp/state" HOME="$tmp"
body='{"event_id":"evt_ck7qhp33c68tov35spng","event":"connection.updated","data":{"user_id":"usr_1"}}'
printf '%s' "$body" >"$tmp/body.json"
sig=$("$tmp/hookctl" sign --provider notify --secret bench "$tmp/body.json" | sed -n 's/^[^:]*: //p')

extra=()
[ -n "$MAXCONN" ] && extra+=(--max-connections "$MAXCONN")
"$tmp/hookctl" listen --port 0 --ready-file "$tmp/listen.url" --secret notify=bench \
	--capture "$tmp/captures.jsonl" -q "${extra[@]}" >/dev/null 2>"$tmp/listen.err" &
listen_pid=$!
for _ in $(seq 200); do [ -s "$tmp/listen.url" ] && break; sleep 0.05; done
url=$(cat "$tmp/listen.url")

"$tmp/pressure" -url "$url" -idle "$IDLE" -slowloris "$SLOW" -trickle "$TRICKLE" -legit "$LEGIT" \
	-body "$body" -sig "$sig" -pid "$listen_pid"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3), max-connections ${MAXCONN:-default}"
