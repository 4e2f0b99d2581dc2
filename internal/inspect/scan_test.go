package inspect

import (
	"encoding/json"
	"net/http"
	"testing"
)

// readHead agrees with encoding/json on whole records, and refuses every
// torn prefix of one.
func TestReadHeadAgreesWithJSON(t *testing.T) {
	no := false
	recs := []any{
		notifyRecord(t, "cap_1", "connection.created", "s", 200),
		map[string]any{"v": 1, "id": `cap_"quoted\\"`, "provider": "n\u00e9\\x", "event": "a\"b}", "verified": false, "reason": `sig "x" {]`, "status": 401, "headers": http.Header{"X": {`"}]{[`}}, "body": `{"a":"\\"}`},
		map[string]any{"id": "cap_2", "verified": nil, "reason": "unsigned", "status": 200, "forward": map[string]any{"url": "http://x", "latency_ms": 1.5e-3}, "nested": []any{[]any{}, map[string]any{}}},
		map[string]any{"id": "cap_3", "verified": &no, "body": "\x00\x01\u2028", "status": 500},
	}
	for _, r := range recs {
		line, _ := json.Marshal(r)
		var want, got head
		var w struct {
			ID, Provider, Event, Reason string
			Verified                    *bool
			Status                      int
		}
		if err := json.Unmarshal(line, &w); err != nil {
			t.Fatal(err)
		}
		want = head(w)
		if !readHead(line, &got) {
			t.Fatalf("refused %s", line)
		}
		if got.ID != want.ID || got.Provider != want.Provider || got.Event != want.Event || got.Reason != want.Reason || got.Status != want.Status ||
			(got.Verified == nil) != (want.Verified == nil) || (got.Verified != nil && *got.Verified != *want.Verified) {
			t.Errorf("%s:\n got %+v\nwant %+v", line, got, want)
		}
		for n := range len(line) - 1 {
			var h head
			if readHead(line[:n], &h) {
				t.Errorf("accepted the torn prefix %s", line[:n])
			}
		}
	}
}
