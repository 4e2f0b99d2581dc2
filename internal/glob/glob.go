// Package glob matches event types against patterns such as 'message.*',
// as listen's --expect and --forward-to and replay's --event do.
package glob

// Match reports whether an event type matches a pattern: '*' matches
// any run of characters (dots and slashes included, so 'message.*' matches
// message.created and 'orders/*' matches orders/create), '?' one character;
// everything else matches itself.
func Match(pattern, name string) bool {
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[n]):
			p++
			n++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
