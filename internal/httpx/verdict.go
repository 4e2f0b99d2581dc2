package httpx

// Verdict is a signature verdict in words, as listen shows it and replay
// lists it: "valid", "invalid: <reason>" ("invalid" without one), or, when
// nothing was checked, the reason ("unsigned", "no secret for notify"; ""
// when none is known).
func Verdict(verified *bool, reason string) string {
	switch {
	case verified == nil:
		return reason
	case *verified:
		return "valid"
	case reason == "":
		return "invalid"
	}
	return "invalid: " + reason
}
