#!/usr/bin/env bash
# Benchmarks for 'hookctl sign' (see bench/README.md for the targets and the
# last figures):
#   1. start-up: 'hookctl sign' on a 1 KB body vs the libraries-only floor
#      (libsonly) and Go's hello world (hyperfine medians; target, issue 8:
#      hookctl <= 1.35x libsonly);
#   2. throughput: signing a 100 MB file vs 'openssl dgst -sha256 -hmac'
#      (target: notify at least 1.2x as fast; github's two signatures at
#      most 1.15x the time of notify's one);
#   3. memory: peak RSS signing 1 KB, 10 MB and 100 MB (target: constant).
# Run from anywhere: bench/sign/run.sh. Results go to bench/results/sign/
# (not committed). Needs hyperfine, openssl and GNU time; it says how to
# install what is missing (or installs it with apt-get when BENCH_INSTALL=1);
# valgrind, when present, adds instruction counts, which other load on the
# machine does not disturb. Times need an otherwise idle machine.
set -euo pipefail

cd "$(dirname "$0")/../.."
out=bench/results/sign
mkdir -p "$out"

need() { # need COMMAND DEBIAN-PACKAGE
	if command -v "$1" >/dev/null 2>&1; then return; fi
	if [ "${BENCH_INSTALL:-}" = 1 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench: installing $2 for $1"
		apt-get install -y -qq "$2" >/dev/null
		return
	fi
	echo "bench: $1 is missing: apt-get install -y $2 (or rerun with BENCH_INSTALL=1)" >&2
	exit 2
}
need hyperfine hyperfine
need openssl openssl
if [ ! -x /usr/bin/time ]; then need /usr/bin/time time; fi

echo "== build (same flags as the release: -trimpath -ldflags '-s -w', CGO_ENABLED=0)"
export CGO_ENABLED=0
go build -trimpath -ldflags '-s -w' -o "$out/hookctl" .
go build -trimpath -ldflags '-s -w' -o "$out/hello" ./bench/sign/hello
# initonly links what hookctl links and exits before main does any work;
# libsonly links only the libraries the product requires (cobra, viper,
# lipgloss, fatih/color, net/http, crypto/tls) and exits: the floor for any
# CLI built on them.
go build -trimpath -ldflags '-s -w' -o "$out/initonly" ./bench/sign/initonly
go build -trimpath -ldflags '-s -w' -o "$out/libsonly" ./bench/sign/libsonly
hookctl=$out/hookctl
ls -l "$hookctl" "$out/initonly" "$out/libsonly" "$out/hello" | awk '{print $5, $NF}'

echo "== inputs"
# A 1 KB JSON body (exactly 1024 bytes), and 10 MB / 100 MB files.
prefix='{"type":"connection.created","id":"evt_0123456789abcdefghij","data":{"note":"'
suffix='"}}'
{
	printf '%s' "$prefix"
	head -c $((1024 - ${#prefix} - ${#suffix})) /dev/zero | tr '\0' 'x'
	printf '%s' "$suffix"
} > "$out/body-1k.json"
head -c 10M /dev/urandom > "$out/body-10m.bin"
head -c 100M /dev/urandom > "$out/body-100m.bin"
wc -c "$out"/body-*
# Write the inputs back now: the kernel would otherwise write back their
# 110 MB of dirty pages ~30 s from now, in the middle of the timed runs.
sync

# The signature hookctl prints must be openssl's, or the comparison is moot.
want=$(openssl dgst -sha256 -hmac s -r "$out/body-10m.bin" | cut -d' ' -f1)
got=$("$hookctl" sign --provider notify --secret s "$out/body-10m.bin" | sed 's/^x-notify-signature: //')
if [ "$want" != "$got" ]; then
	echo "bench: hookctl and openssl disagree on the 10 MB file: $got vs $want" >&2
	exit 1
fi

median() { # median JSON-FILE INDEX -> seconds
	awk -v want="$2" '/"median":/ { gsub(/[ ",]/, ""); split($0, kv, ":"); if (n++ == want) print kv[2] }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }

echo "== 1. start-up: hookctl sign (1 KB) vs libsonly and hello world"
# initonly and 'hookctl version' split the difference: loading and initialising
# the binary, then building the tree and reading config and catalogue.
# Other work on a shared machine comes in bursts that one long hyperfine run
# lays on whichever command it is timing then: ROUNDS short runs (default
# 6) take turns instead, and each median is over every round's times.
rounds() { # rounds STEP WARMUP RUNS HYPERFINE-ARGS...: ROUNDS hyperfine runs that take turns
	local step=$1 warmup=$2 runs=$3
	shift 3
	rm -f "$out/$step"-*.json
	for round in $(seq "${ROUNDS:-6}"); do
		hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$out/$step-$round.json" "$@" >/dev/null
	done
}
rounds startup 10 50 \
	-n "hello" "$out/hello" \
	-n "libsonly" "$out/libsonly" \
	-n "initonly" "$out/initonly" \
	-n "hookctl version" "$hookctl version" \
	-n "hookctl sign 1k" "$hookctl sign --provider notify --secret s $out/body-1k.json"
rounds_median() { # rounds_median INDEX [STEP] -> seconds: the median of command INDEX's times in every round of STEP (startup)
	awk -v want="$1" '
		FNR == 1 { cmd = 0 }
		/"command":/ { cmd++ }
		/"times": \[/ { in_times = (cmd - 1 == want); next }
		in_times && /\]/ { in_times = 0 }
		in_times { gsub(/[ ,]/, ""); print }
	' "$out"/"${2:-startup}"-*.json | sort -g | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}
w=$(rounds_median 0)
l=$(rounds_median 1)
i=$(rounds_median 2)
v=$(rounds_median 3)
h=$(rounds_median 4)
startup_ratio=$(ratio "$h" "$w")
floor_ratio=$(ratio "$h" "$l")
faults() { /usr/bin/time -f %R "$@" 2>&1 >/dev/null | tail -1; }
pf_hello=$(faults "$out/hello")
pf_libs=$(faults "$out/libsonly")
pf_init=$(faults "$out/initonly")
pf_sign=$(faults "$hookctl" sign --provider notify --secret s "$out/body-1k.json")
# Instructions executed, counted by valgrind: unlike time, not disturbed by
# other work on the machine. Optional (apt-get install -y valgrind).
# Go's signals now and then upset valgrind: a failed count shows as "n/a".
ir() {
	local n
	n=$(GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
		awk '/Collected/ { printf "%.2fM", $4 / 1e6 }') || true
	echo "${n:-n/a}"
}
ir_line="(valgrind not installed)"
if command -v valgrind >/dev/null 2>&1; then
	ir_line="$(ir "$out/hello") / $(ir "$out/initonly") / $(ir "$hookctl" version) / $(ir "$hookctl" sign --provider notify --secret s "$out/body-1k.json")"
fi

echo "== 2. throughput: 100 MB, hookctl sign (notify: one HMAC-SHA256; github: SHA-256 + SHA-1) vs openssl dgst -sha256 -hmac"
# Rounds that take turns, as for start-up: medians over every round's times
# (60 runs of each command with ROUNDS=6: fewer left the github/notify
# ratio swinging by 0.1 between runs).
rounds throughput 1 10 \
	-n "hookctl sign notify 100M" "$hookctl sign --provider notify --secret s $out/body-100m.bin" \
	-n "hookctl sign github 100M" "$hookctl sign --provider github --secret s $out/body-100m.bin" \
	-n "openssl 100M" "openssl dgst -sha256 -hmac s $out/body-100m.bin"
# CPU time (user + sys, the mean over every round): unlike wall time it
# does not depend on what else the machine runs, and on two cores GitHub's
# two hashes cannot take less wall time than half their CPU time.
cpu_ms() { # cpu_ms INDEX -> ms: command INDEX's mean user + system time over the throughput rounds
	awk -v want="$1" '
		FNR == 1 { cmd = 0 }
		/"command":/ { cmd++ }
		cmd - 1 == want && /"(user|system)":/ { gsub(/[ ",]/, ""); split($0, kv, ":"); sum += kv[2]; n++ }
		END { printf "%.1f", sum / (n / 2) * 1000 }
	' "$out"/throughput-*.json
}
th=$(rounds_median 0 throughput)
tg=$(rounds_median 1 throughput)
to=$(rounds_median 2 throughput)
speed_ratio=$(ratio "$to" "$th")
github_ratio=$(ratio "$tg" "$th")

echo "== 3. peak RSS (GNU time, Maximum resident set size)"
rss() { # rss COMMAND... -> KiB
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}
rss_1k=$(rss "$hookctl" sign --provider notify --secret s "$out/body-1k.json")
rss_10m=$(rss "$hookctl" sign --provider notify --secret s "$out/body-10m.bin")
rss_100m=$(rss "$hookctl" sign --provider notify --secret s "$out/body-100m.bin")
rss_stdin=$(rss sh -c "exec $hookctl sign --provider notify --secret s - < $out/body-100m.bin")
rss_github=$(rss "$hookctl" sign --provider github --secret s "$out/body-100m.bin")
rss_ossl=$(rss openssl dgst -sha256 -hmac s "$out/body-100m.bin")

verdict() { awk -v r="$1" -v max="$2" 'BEGIN { print (r <= max) ? "ok" : "MISSED" }'; }
at_least() { awk -v r="$1" -v min="$2" 'BEGIN { print (r >= min) ? "ok" : "MISSED" }'; }
rss_growth=$((rss_100m - rss_10m))
{
	echo "sign benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(go version | cut -d' ' -f3-), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo
	echo "| measure | hookctl | baseline | ratio | target | verdict |"
	echo "| --- | --- | --- | --- | --- | --- |"
	echo "| start-up, sign 1 KB vs libsonly (median) | $(ms "$h") | $(ms "$l") | ${floor_ratio}x | <= 1.35x | $(verdict "$floor_ratio" 1.35) |"
	echo "| sign 1 KB vs hello world | | $(ms "$w") | ${startup_ratio}x | | |"
	echo "| floor: the required libraries alone (libsonly) vs hello | | | $(ratio "$l" "$w")x | | |"
	echo "| of which: load + init only (initonly) | $(ms "$i") | | $(ratio "$i" "$w")x | | |"
	echo "| of which: + tree, config, catalogue (hookctl version) | $(ms "$v") | | $(ratio "$v" "$w")x | | |"
	echo "| page faults: hello / libsonly / initonly / sign 1 KB | ${pf_hello} / ${pf_libs} / ${pf_init} / ${pf_sign} | | | | |"
	echo "| instructions: hello / initonly / version / sign 1 KB | ${ir_line} | | | | |"
	echo "| sign 100 MB (notify) speed vs openssl dgst -sha256 -hmac (median times) | $(ms "$th") | $(ms "$to") | ${speed_ratio}x as fast | >= 1.2x | $(at_least "$speed_ratio" 1.2) |"
	echo "| GitHub's two signatures vs one (sign 100 MB, github vs notify) | $(ms "$tg") | $(ms "$th") | ${github_ratio}x the time | <= 1.15x | $(verdict "$github_ratio" 1.15) |"
	echo "| CPU (user + sys) per 100 MB: notify / github / openssl | $(cpu_ms 0) / $(cpu_ms 1) ms | $(cpu_ms 2) ms | | | |"
	echo "| peak RSS, 1 KB / 10 MB / 100 MB file | ${rss_1k} / ${rss_10m} / ${rss_100m} KiB | openssl 100 MB: ${rss_ossl} KiB | 100 MB - 10 MB: ${rss_growth} KiB | constant | $( [ "$rss_growth" -lt 2048 ] && echo ok || echo MISSED ) |"
	echo "| peak RSS, 100 MB on stdin | ${rss_stdin} KiB | | | constant | $( [ $((rss_stdin - rss_10m)) -lt 2048 ] && echo ok || echo MISSED ) |"
	echo "| peak RSS, 100 MB, github (two hashes side by side) | ${rss_github} KiB | | | constant | $( [ $((rss_github - rss_10m)) -lt 2048 ] && echo ok || echo MISSED ) |"
} | tee "$out/summary.md"
