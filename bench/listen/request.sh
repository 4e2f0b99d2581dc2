# Sourced by run.sh and cpu.sh, with $root and $tmp set and hookctl built
# in $tmp: the request both post (sample.json, 461 bytes, without its final
# newline, signed for notify with the secret "bench") as $tmp/post.lua for
# wrk, and wait_file.
export XDG_STATE_HOME="$tmp/state" HOME="$tmp"
sample="$tmp/sample.json"
printf '%s' "$(cat "$root/bench/listen/sample.json")" >"$sample"
sig=$("$tmp/hookctl" sign --provider notify --secret bench "$sample" | sed -n 's/^[^:]*: //p')
cat >"$tmp/post.lua" <<LUA
local f = io.open("$sample", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "wrk"
wrk.headers["X-Notify-Signature"] = "$sig"
LUA

wait_file() {
	for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done
	echo "$1 did not appear" >&2
	exit 1
}
