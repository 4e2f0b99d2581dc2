package listen_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// On a terminal each request is one styled line and the Notion token sits
// in a box; the same run without a terminal has no escape codes.
func TestTerminalOutput(t *testing.T) {
	for _, tty := range []bool{true, false} {
		dir := t.TempDir()
		ios, _, out, errOut := iostreams.Test()
		ios.SetTTY(false, tty, tty)
		env := map[string]string{"HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state"), "XDG_CONFIG_HOME": filepath.Join(dir, "config")}
		f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, IDs: ids.Seeded(1, 2), Getenv: func(k string) string { return env[k] }}
		url, code := runListen(t, f, errOut, "--count", "2", "--no-capture")
		for _, body := range []string{`{"verification_token":"secret_abc"}`, `{"id":"x","type":"page.created"}`} {
			resp, err := http.Post(url, "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		if c := <-code; c != 0 {
			t.Fatalf("exit %d: %s", c, errOut)
		}
		got := out.String()
		if !strings.Contains(got, "secret_abc") || !strings.Contains(got, "page.created") {
			t.Fatalf("output:\n%s", got)
		}
		styled := strings.Contains(got, "\x1b[")
		boxed := strings.Contains(got, "╭")
		if styled != tty || boxed != tty {
			t.Errorf("tty %v: styled %v, boxed %v:\n%s", tty, styled, boxed, got)
		}
		if tty && !strings.Contains(errOut.String(), "Press Ctrl-C to stop.") {
			t.Errorf("no hints on a terminal: %s", errOut)
		}
		if !tty && strings.Contains(errOut.String(), "Ctrl-C") {
			t.Errorf("hints without a terminal: %s", errOut)
		}
	}
}

// blockedWriter is a stdout nobody reads: every Write waits forever.
type blockedWriter struct{ unblock chan struct{} }

func (w blockedWriter) Write(p []byte) (int, error) {
	<-w.unblock
	return len(p), nil
}

// 'hookctl listen | sleep 60': with stdout blocked, every request is still
// answered at once and captured, and listen exits saying how many it
// could not show.
func TestBlockedStdoutDoesNotHoldAnswers(t *testing.T) {
	dir := t.TempDir()
	ios, _, _, errOut := iostreams.Test()
	out := blockedWriter{make(chan struct{})}
	defer close(out.unblock) // after the last read of errOut
	ios.Out = out
	f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, IDs: ids.Seeded(1, 2), Getenv: func(string) string { return "" }}
	capFile := filepath.Join(dir, "c.jsonl")
	const n = 300
	url, code := runListen(t, f, errOut, "--count", fmt.Sprint(n), "--capture", capFile)
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range n {
		resp, err := client.Post(url, "application/json", strings.NewReader(`{"id":"x","type":"page.created"}`))
		if err != nil {
			t.Fatalf("request %d not answered: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d", i, resp.StatusCode)
		}
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit %d: %s", c, errOut)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("listen did not exit with stdout blocked")
	}
	if !regexp.MustCompile(`(?m)^\d+ requests not shown: output is blocked$`).MatchString(errOut.String()) {
		t.Errorf("stderr does not count the requests not shown:\n%s", errOut)
	}
	b, err := os.ReadFile(capFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "\n"); got != n {
		t.Errorf("%d captured, want %d", got, n)
	}
}

// runListen runs 'hookctl listen --port 0' with args in a goroutine
// and returns its URL, once it is ready, and where its exit code comes.
func runListen(t *testing.T, f *cmdutil.Factory, errOut fmt.Stringer, args ...string) (string, chan int) {
	t.Helper()
	ready := filepath.Join(t.TempDir(), "url.txt")
	code := make(chan int, 1)
	go func() {
		code <- cmd.Run(context.Background(), f, append([]string{"listen", "--port", "0", "--ready-file", ready}, args...))
	}()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(ready); err == nil {
			return strings.TrimSpace(string(b)), code
		}
	}
	t.Fatalf("not ready: %s", errOut)
	return "", nil
}
