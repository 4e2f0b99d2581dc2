package listen

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/secrets"
)

// BenchmarkServeHTTP is one verified, captured request through the handler
// (no network), with parallel callers so group commit batches them.
func BenchmarkServeHTTP(b *testing.B) {
	cat, err := catalog.New()
	if err != nil {
		b.Fatal(err)
	}
	res, _ := secrets.New(cat, secrets.CommandLine{Values: []string{"notify=bench"}}, secrets.Sources{})
	w, err := capture.OpenWriter(filepath.Join(b.TempDir(), "c.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	srv, err := New(Config{Catalog: cat, Secrets: res, Capture: w, IDs: ids.Seeded(1, 2)})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.ln.Close()
	body := `{"event_id":"evt_ck7qhp33c68tov35spng","event":"connection.updated","timestamp":"2024-01-19T17:25:03.114Z","data":{"user_id":"usr_ck76b3r3c68otqfg5c3g","status":"paused","connection_id":"con_ck76b3r3c68otqfg5c3g","name":"Zoë Ångström","scopes":["read:profile","read:email"]}}`
	mac := hmac.New(sha256.New, []byte("bench"))
	mac.Write([]byte(body))
	sig := hex.EncodeToString(mac.Sum(nil))
	b.SetParallelism(16)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Notify-Signature", sig)
			rw := httptest.NewRecorder()
			srv.ServeHTTP(rw, req)
			if rw.Code != 200 {
				b.Fatalf("status %d", rw.Code)
			}
		}
	})
}
