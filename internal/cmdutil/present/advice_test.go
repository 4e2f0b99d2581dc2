package present

import (
	"testing"

	"github.com/hookctl/hookctl/internal/delivery"
)

// The command layer words each advice with trigger's and replay's flags.
func TestExplain(t *testing.T) {
	req := &delivery.Request{URL: "http://127.0.0.1:5000/hook"}
	for _, c := range []struct {
		advice delivery.Advice
		want   string
	}{
		{delivery.AdviseNone, "E"},
		{delivery.AdviseStartApp, "E: start your app, or run 'hookctl listen --port 5000' to see what would arrive"},
		{delivery.AdviseCheckHost, "E: check the host in --to"},
		{delivery.AdviseInsecure, "E: pass --insecure for a self-signed local certificate"},
		{delivery.AdviseHTTP, "E: use http:// instead of https:// in --to"},
		{delivery.AdviseTimeout, "E (--timeout changes the limit)"},
		{delivery.AdviseFinalURL, "E: point --to at the final URL"},
	} {
		if got := Explain(&delivery.Result{Request: req, Err: "E", Advice: c.advice}); got != c.want {
			t.Errorf("advice %d: got %q, want %q", c.advice, got, c.want)
		}
	}
	if got := Explain(&delivery.Result{Advice: delivery.AdviseTimeout}); got != "" {
		t.Errorf("no error: got %q", got)
	}
}
