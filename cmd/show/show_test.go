package show

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/httpraw"
	"github.com/hookctl/hookctl/internal/iostreams"
)

func TestShowPrintsRawHTTP(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	w, err := capture.OpenWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	rec := &capture.Record{V: capture.Version, ID: "cap_0001", Time: time.Now(), Method: "POST", Host: "127.0.0.1:8787", Path: "/hooks", Query: "a=1",
		Headers: http.Header{"X-Sig": {"abc"}, "Content-Length": {"3"}}}
	rec.SetBody([]byte("{}\n"))
	big := &capture.Record{V: capture.Version, ID: "cap_0002", Time: time.Now(), Method: "POST", Path: "/", BodyTruncated: true, BodySize: 99 << 20}
	for _, r := range []*capture.Record{rec, big} {
		if err := w.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	ios, _, out, _ := iostreams.Test()
	opts := &Options{IO: ios, Getenv: os.Getenv, CaptureArgs: cmdutil.CaptureArgs{From: path, ID: "cap_0001"}}
	if err := showRun(opts); err != nil {
		t.Fatal(err)
	}
	req, err := httpraw.Parse(strings.NewReader(out.String()))
	if err != nil || req.RequestURI != "/hooks?a=1" || req.Header.Get("X-Sig") != "abc" || string(req.Body) != "{}\n" || req.Header.Get("Host") != "127.0.0.1:8787" {
		t.Fatalf("read back %+v %v from %q", req, err, out)
	}
	opts.ID, opts.Last = "", true
	if err := showRun(opts); cmdutil.ExitCode(err) != 2 || !strings.Contains(err.Error(), "has no body: it was 99.0 MiB") {
		t.Errorf("a capture without its body: %v", err)
	}
	out.Reset()
	opts.JSON = true
	if err := showRun(opts); err != nil || !strings.Contains(out.String(), `"id":"cap_0002"`) {
		t.Errorf("--json: %v %s", err, out)
	}
}
