package listen_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
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
		ready := filepath.Join(dir, "url.txt")
		code := make(chan int, 1)
		go func() {
			code <- cmd.Run(context.Background(), f, []string{"listen", "--port", "0", "--ready-file", ready, "--count", "2", "--no-capture"})
		}()
		var url string
		for deadline := time.Now().Add(20 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if b, err := os.ReadFile(ready); err == nil {
				url = strings.TrimSpace(string(b))
			}
		}
		if url == "" {
			t.Fatalf("not ready: %s", errOut)
		}
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
