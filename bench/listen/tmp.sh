# Sourced by run.sh and cpu.sh with $root set: checks for wrk, makes the
# run's temporary folder $tmp under $BENCH_TMPDIR (default /var/tmp, a real
# disk: on tmpfs fsync costs nothing and the figures would flatter listen)
# and, on exit, stops the servers in $pids and removes it.
if ! command -v wrk >/dev/null 2>&1; then
	echo "wrk is not installed; on Debian or Ubuntu: apt-get update && apt-get install -y wrk" >&2
	exit 2
fi
tmp=$(mktemp -d "${BENCH_TMPDIR:-/var/tmp}/hookctl-bench-$1.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
