package present

import (
	"fmt"

	"github.com/hookctl/hookctl/internal/delivery"
)

// Explain is an attempt's failure in one line: what went wrong, then what
// to do about it, worded with the flags of trigger and replay.
func Explain(r *delivery.Result) string {
	if r.Err == "" {
		return ""
	}
	port := ""
	if r.Request != nil {
		port = delivery.Port(r.Request.URL)
	}
	return advise(r.Err, r.Advice, port, "--to")
}

// advise adds to msg what to do about a failure; target names where the
// command takes the URL ("--to", or check's "the URL").
func advise(msg string, a delivery.Advice, port, target string) string {
	switch a {
	case delivery.AdviseStartApp:
		return fmt.Sprintf("%s: start your app, or run 'hookctl listen --port %s' to see what would arrive", msg, port)
	case delivery.AdviseCheckHost:
		return msg + ": check the host in " + target
	case delivery.AdviseInsecure:
		return msg + ": pass --insecure for a self-signed local certificate"
	case delivery.AdviseHTTP:
		return msg + ": use http:// instead of https:// in " + target
	case delivery.AdviseTimeout:
		return msg + " (--timeout changes the limit)"
	case delivery.AdviseFinalURL:
		return msg + ": point " + target + " at the final URL"
	}
	return msg
}
