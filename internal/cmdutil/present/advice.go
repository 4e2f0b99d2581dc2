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
	switch r.Advice {
	case delivery.AdviseStartApp:
		port := ""
		if r.Request != nil {
			port = delivery.Port(r.Request.URL)
		}
		return fmt.Sprintf("%s: start your app, or run 'hookctl listen --port %s' to see what would arrive", r.Err, port)
	case delivery.AdviseCheckHost:
		return r.Err + ": check the host in --to"
	case delivery.AdviseInsecure:
		return r.Err + ": pass --insecure for a self-signed local certificate"
	case delivery.AdviseHTTP:
		return r.Err + ": use http:// instead of https:// in --to"
	case delivery.AdviseTimeout:
		return r.Err + " (--timeout changes the limit)"
	case delivery.AdviseFinalURL:
		return r.Err + ": point --to at the final URL"
	}
	return r.Err
}
