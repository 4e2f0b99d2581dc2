package listen_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
)

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// listen --ui serves the inspector over the file it writes: a request
// listen receives is in the inspector's list.
func TestUIServesTheInspectorOverTheCaptureFile(t *testing.T) {
	dir := t.TempDir()
	ios, _, _, errOut := iostreams.Test()
	env := map[string]string{"HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state"), "XDG_CONFIG_HOME": filepath.Join(dir, "config")}
	f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, IDs: ids.Seeded(1, 2), Getenv: func(k string) string { return env[k] }}
	ready := filepath.Join(dir, "url.txt")
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code := make(chan int, 1)
	go func() {
		code <- cmd.Run(ctx, f, []string{"listen", "--port", "0", "--ready-file", ready, "--ui", "--ui-port", strconv.Itoa(port), "--capture", filepath.Join(dir, "c.jsonl")})
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
	res, err := http.Post(url+"hooks", "application/json", strings.NewReader(`{"type":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	ui := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
	var page struct {
		Captures []struct{ Path string } `json:"captures"`
	}
	for deadline := time.Now().Add(10 * time.Second); len(page.Captures) == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the inspector did not list the request: %s", errOut)
		}
		res, err := http.Get(ui + "api/captures")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		json.Unmarshal(b, &page)
	}
	if page.Captures[0].Path != "/hooks" || !strings.Contains(errOut.String(), "Inspector at "+ui) {
		t.Fatalf("captures %+v; stderr %s", page.Captures, errOut)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d: %s", c, errOut)
	}
}

func TestUIFlagsMisused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--ui", "--no-capture"}, "none of the others can be"},
		{[]string{"--ui-port", "5000"}, "--ui-port is the inspector's port: add --ui"},
		{[]string{"--ui", "--ui-port", "70000", "--port", "0"}, "invalid --ui-port 70000"},
	} {
		ios, _, _, errOut := iostreams.Test()
		dir := t.TempDir()
		env := map[string]string{"HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state"), "XDG_CONFIG_HOME": filepath.Join(dir, "config")}
		f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, IDs: ids.Seeded(1, 2), Getenv: func(k string) string { return env[k] }}
		if code := cmd.Run(context.Background(), f, append([]string{"listen"}, c.args...)); code != 2 || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: exit %d: %s", c.args, code, errOut)
		}
	}
}
