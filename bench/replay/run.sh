#!/usr/bin/env bash
# Memory of 'hookctl replay' over a large capture file: peak RSS of --list
# and of a full replay, for N captures and for N/10, so a reader sees that
# it stays flat (target: constant memory, the file is streamed).
#
#   bench/replay/run.sh              # N=100000
#   N=20000 bench/replay/run.sh
#
# The captures are real: 'hookctl trigger --count N' sends notify events to
# 'hookctl listen', which captures them. Replay then sends them to a
# trivial 200 server (bench/trigger/okserver). Needs GNU time
# (apt-get install -y time). Run it once on a quiet machine and record the
# figures in bench/replay/RESULTS.md. The in-process check that runs with
# the tests is TestStreamsInConstantMemory in cmd/replay.
set -euo pipefail

N=${N:-100000}
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x /usr/bin/time ]; then
	echo "GNU time is not installed; on Debian or Ubuntu: apt-get install -y time" >&2
	exit 2
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

cd "$root"
export CGO_ENABLED=0
go build -trimpath -ldflags '-s -w' -o "$tmp/hookctl" .
go build -o "$tmp/okserver" ./bench/trigger/okserver
hookctl=$tmp/hookctl
export XDG_STATE_HOME=$tmp/state HOME=$tmp

echo "== capturing $N requests (trigger --count $N -> listen)"
"$hookctl" listen --port 0 --ready-file "$tmp/url" --capture "$tmp/big.jsonl" --count "$N" -q >/dev/null &
listen_pid=$!
pids+=("$listen_pid")
while [ ! -s "$tmp/url" ]; do sleep 0.05; done
"$hookctl" trigger connection.created --to "$(cat "$tmp/url")" --secret s3cr3t --count "$N" --concurrency 16 >/dev/null
wait "$listen_pid"
head -n $((N / 10)) "$tmp/big.jsonl" >"$tmp/small.jsonl"
printf 'capture file: %d records, %s\n' "$(wc -l <"$tmp/big.jsonl")" "$(du -h "$tmp/big.jsonl" | cut -f1)"

"$tmp/okserver" -ready "$tmp/ok" &
pids+=("$!")
while [ ! -s "$tmp/ok" ]; do sleep 0.05; done
to=$(cat "$tmp/ok")

measure() { # measure LABEL ARGS...: prints peak RSS and wall time
	local label=$1
	shift
	/usr/bin/time -f '%M %e' -o "$tmp/time" "$hookctl" "$@" >/dev/null
	read -r rss secs <"$tmp/time"
	awk -v l="$label" -v r="$rss" -v s="$secs" 'BEGIN { printf "%-38s peak RSS %6.1f MB  %6.2f s\n", l, r / 1024, s }'
}

echo "== peak RSS"
measure "list, $((N / 10)) captures" replay --list --from "$tmp/small.jsonl"
measure "list, $N captures" replay --list --from "$tmp/big.jsonl"
measure "list --json, $N captures" replay --list --json --from "$tmp/big.jsonl"
measure "replay, $((N / 10)) captures" replay --from "$tmp/small.jsonl" --to "$to"
measure "replay, $N captures" replay --from "$tmp/big.jsonl" --to "$to"
measure "replay --resign, $N captures" replay --from "$tmp/big.jsonl" --to "$to" --resign --secret s3cr3t
measure "replay --last $((N - 1)), $N captures" replay --from "$tmp/big.jsonl" --to "$to" --last $((N - 1))
