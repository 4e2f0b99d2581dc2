package listen

import (
	"net/url"
	"strings"
)

// cleanPath cleans an escaped request path before it is joined to a
// forwarding target: empty segments (doubled slashes) go, "." segments go,
// ".." removes the segment before it and never climbs above the root, so a
// forwarded request stays under the target's path. Segments that decode to
// "." or ".." (%2e%2e) count as such, since the app may decode them; other
// escapes, %2F included, are kept as they came. A trailing slash is kept.
func cleanPath(escaped string) string {
	if !strings.Contains(escaped, "//") && !strings.Contains(escaped, "/.") && !strings.Contains(escaped, "%") {
		return escaped // the usual path: nothing to clean
	}
	segs := strings.Split(escaped, "/")
	out := make([]string, 0, len(segs))
	for _, seg := range segs {
		dec := seg
		if strings.Contains(seg, "%") {
			if d, err := url.PathUnescape(seg); err == nil {
				dec = d
			}
		}
		switch dec {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	clean := "/" + strings.Join(out, "/")
	if last := segs[len(segs)-1]; len(out) > 0 && (last == "" || last == "." || last == "..") {
		clean += "/"
	}
	return clean
}
