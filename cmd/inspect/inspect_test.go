package inspect_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
)

type run struct {
	dir         string
	out, errOut interface{ String() string }
	code        chan int
	cancel      func()
	readyFile   string
}

func start(t *testing.T, args ...string) *run {
	t.Helper()
	return startIn(t, t.TempDir(), args...)
}

func startIn(t *testing.T, dir string, args ...string) *run {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	env := map[string]string{"HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state"), "XDG_CONFIG_HOME": filepath.Join(dir, "config"), "PATH": filepath.Join(dir, "bin")}
	f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, IDs: ids.Seeded(1, 2), Getenv: func(k string) string { return env[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{dir: dir, out: out, errOut: errOut, code: make(chan int, 1), cancel: cancel, readyFile: filepath.Join(dir, "url.txt")}
	go func() { r.code <- cmd.Run(ctx, f, append([]string{"inspect", "--ready-file", r.readyFile}, args...)) }()
	t.Cleanup(cancel)
	return r
}

func (r *run) url(t *testing.T) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(r.readyFile); err == nil {
			return strings.TrimSpace(string(b))
		}
		select {
		case c := <-r.code:
			t.Fatalf("exited %d: %s", c, r.errOut)
		default:
		}
	}
	t.Fatalf("not ready: %s", r.errOut)
	return ""
}

func TestServesTheDefaultCaptureFileAndStopsCleanly(t *testing.T) {
	r := start(t, "--port", "0")
	u := r.url(t)
	if !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Fatalf("url %q", u)
	}
	res, err := http.Get(u + "api/captures")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		File  string `json:"file"`
		Total int    `json:"total"`
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err, string(b))
	}
	if want := filepath.Join(r.dir, "state", "hookctl", "captures.jsonl"); page.File != want || page.Total != 0 {
		t.Fatalf("page %+v, want file %s", page, want)
	}
	if !strings.Contains(r.out.String(), u) {
		t.Fatalf("stdout %q does not print the URL", r.out)
	}
	r.cancel()
	if c := <-r.code; c != 0 {
		t.Fatalf("exit %d: %s", c, r.errOut)
	}
}

func TestPortFallsBackOnlyWithoutPortFlag(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	r := start(t, "--port", strconv.Itoa(port))
	if c := <-r.code; c != 2 || !strings.Contains(r.errOut.String(), "pass another --port") {
		t.Fatalf("taken --port: exit %d: %s", c, r.errOut)
	}
}

func TestPortDefaultFallsBackWhenTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:4040")
	if err != nil {
		t.Skip("port 4040 is in use by something else; the fallback is what this test checks:", err)
	}
	defer ln.Close()
	r := start(t)
	if u := r.url(t); strings.HasSuffix(u, ":4040/") {
		t.Fatalf("url %s while 4040 is taken", u)
	}
}

func TestBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--port", "70000"}, "invalid --port 70000"},
		{[]string{"--port", "0", "--open"}, "--open: no xdg-open on PATH"},
		{[]string{"--port", "0", "--host", "256.1.1.1"}, "cannot serve on 256.1.1.1:0"},
		{[]string{"extra"}, "unknown command"},
	} {
		r := start(t, c.args...)
		if code := <-r.code; code != 2 || !strings.Contains(r.errOut.String(), c.want) {
			t.Errorf("%v: exit %d: %s", c.args, code, r.errOut)
		}
	}
}

func TestOpenRunsTheSystemBrowser(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the fake browser is an xdg-open shell script")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	os.Mkdir(bin, 0o755)
	opened := filepath.Join(dir, "opened")
	script := "#!/bin/sh\necho \"$1\" > " + opened + ".tmp && mv " + opened + ".tmp " + opened + "\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r := startIn(t, dir, "--port", "0", "--open")
	u := r.url(t)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(opened); err == nil {
			if got := strings.TrimSpace(string(b)); got != u {
				t.Fatalf("opened %q, want %q", got, u)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser was not opened: %s", r.errOut)
		}
	}
}
