package inspect_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// chromium finds a Chromium to drive: $HOOKCTL_CHROMIUM, else Debian's
// chromium (or Chrome) on the PATH. Without one the test skips, except in
// CI, where it must run.
func chromium(t *testing.T) string {
	if p := os.Getenv("HOOKCTL_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium found, and CI=true requires the browser test: apt-get install -y chromium (.ci/run does), or set HOOKCTL_CHROMIUM")
	}
	t.Skip("no chromium found (apt-get install -y chromium, or set HOOKCTL_CHROMIUM): skipping the browser test")
	return ""
}

// hookctl runs one command in this process, as the CLI would.
func hookctl(t *testing.T, env map[string]string, args ...string) (int, string) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, IDs: ids.New(), Getenv: func(k string) string { return env[k] }}
	code := cmd.Run(context.Background(), f, args)
	return code, out.String() + errOut.String()
}

// background runs a long-lived command and returns the URL it writes to
// its --ready-file.
func background(t *testing.T, ctx context.Context, env map[string]string, ready string, args ...string) string {
	t.Helper()
	ios, _, _, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, IDs: ids.New(), Getenv: func(k string) string { return env[k] }}
	done := make(chan int, 1)
	go func() { done <- cmd.Run(ctx, f, append(args, "--ready-file", ready)) }()
	t.Cleanup(func() { <-done })
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(ready); err == nil {
			return strings.TrimSpace(string(b))
		}
		select {
		case c := <-done:
			done <- c
			t.Fatalf("%s exited %d: %s", args[0], c, errOut)
		default:
		}
	}
	t.Fatalf("%s not ready: %s", args[0], errOut)
	return ""
}

// TestBrowser drives the page of 'hookctl listen --ui' in headless
// Chromium: a request sent to listen appears in the list live, the detail view shows its headers and
// verdict, re-verify with a wrong secret says invalid, and a replay shows
// the receiver's status. HOOKCTL_SCREENSHOT=docs/inspector.png also saves
// a screenshot (the README's): a capture's detail down to the forwarded
// app's answer.
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	dir := t.TempDir()
	env := map[string]string{"HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state"), "XDG_CONFIG_HOME": filepath.Join(dir, "config")}
	capFile := filepath.Join(dir, "captures.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-App", "handled")
		w.Write([]byte(`{"ok":true}`))
	}))
	defer app.Close()
	replayed := make(chan string, 4)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		replayed <- r.URL.Path + " " + string(b)
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte(`{"queued":true}`))
	}))
	defer receiver.Close()

	// The receiver and its inspector: 'hookctl listen --ui'.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	uiPort := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	listenURL := background(t, ctx, env, filepath.Join(dir, "listen.txt"),
		"listen", "--port", "0", "--capture", capFile, "--secret", "notify=s3cr3t", "--forward-to", app.URL, "--ui", "--ui-port", strconv.Itoa(uiPort))
	pageURL := "http://127.0.0.1:" + strconv.Itoa(uiPort) + "/"

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "chromium")), chromedp.WindowSize(1600, 1000))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil { // starts the browser; no timeout on this context
		t.Fatalf("starting %s: %v", exe, err)
	}
	// Each step gets its own deadline, derived from the browser's context.
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			detail, _ := chromedp.Run(bctx, chromedp.Text(`body`))
			t.Fatalf("%s: %v; the page shows:\n%s", what, err, detail)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}

	step("open the page and its live stream",
		chromedp.Navigate(pageURL),
		chromedp.WaitVisible(`#live.ok`),
		chromedp.WaitVisible(`#empty`))

	// Sent after the page loaded: it can only show up through the stream.
	if code, out := hookctl(t, env, "trigger", "connection.created", "--to", listenURL+"webhooks", "--secret", "s3cr3t"); code != 0 {
		t.Fatalf("trigger: exit %d: %s", code, out)
	}
	step("the request appears in the list without a reload", chromedp.WaitVisible(`#list tbody tr[data-id]`))
	row := text(`#list tbody tr[data-id]`)
	for _, want := range []string{"POST", "/webhooks", "notify", "connection.created", "valid", "200"} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q lacks %q", row, want)
		}
	}

	step("the detail view opens", chromedp.Click(`#list tbody tr[data-id]`), chromedp.WaitVisible(`#detail [data-f=headers] tr`))
	if h := text(`#detail [data-f=headers]`); !strings.Contains(strings.ToLower(h), "x-notify-signature") || !strings.Contains(h, "Content-Type") {
		t.Errorf("headers shown: %q", h)
	}
	if v := text(`#detail [data-f=verdict]`); strings.TrimSpace(v) != "valid" {
		t.Errorf("verdict shown: %q", v)
	}
	if fwd := text(`#detail [data-f=forward]`); !strings.Contains(fwd, app.URL) || !strings.Contains(fwd, "200") {
		t.Errorf("forwarded answer shown: %q", fwd)
	}
	if h, b := text(`#detail [data-f=fwdheaders]`), text(`#detail [data-f=fwdbody]`); !strings.Contains(h, "X-App") || !strings.Contains(h, "handled") || !strings.Contains(b, `"ok": true`) {
		t.Errorf("the app's answer shown: headers %q body %q", h, b)
	}

	step("re-verify with a wrong secret",
		chromedp.SendKeys(`#detail [data-f=secret]`, "not-the-secret"),
		chromedp.Click(`#detail [data-a=verify]`),
		chromedp.WaitVisible(`#detail [data-f=verifyout] .badge.invalid`))
	if v := text(`#detail [data-f=verifyout]`); !strings.Contains(v, "invalid") {
		t.Errorf("verify shows %q", v)
	}

	step("replay to a receiver",
		chromedp.SendKeys(`#detail [data-f=to]`, receiver.URL),
		chromedp.Click(`#detail [data-a=replay]`),
		chromedp.WaitVisible(`#detail [data-f=replayout] strong`))
	if r := text(`#detail [data-f=replayout]`); !strings.Contains(r, "status 202") {
		t.Errorf("replay shows %q", r)
	}
	got := func() string {
		select {
		case r := <-replayed:
			return r
		case <-time.After(5 * time.Second):
			return "nothing"
		}
	}
	if r := got(); !strings.HasPrefix(r, "/webhooks {") {
		t.Errorf("receiver got %s", r)
	}

	step("edit the body and replay it",
		chromedp.SetValue(`#detail [data-f=edit]`, `{"edited":true}`),
		chromedp.Click(`#detail [data-a=replay-edited]`))
	if r := got(); r != `/webhooks {"edited":true}` {
		t.Errorf("receiver got %s after the edit", r)
	}
	waitJS := func(what, expr string) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if _, err := chromedp.Run(sctx, chromedp.Poll[bool](expr)); err != nil {
			page, _ := chromedp.Run(bctx, chromedp.Text(`body`))
			t.Fatalf("%s: %v; the page shows:\n%s", what, err, page)
		}
	}
	rows := `document.querySelectorAll('#list tbody tr').length`
	typeQ := func(v string) {
		t.Helper()
		js := `(() => { const q = document.querySelector('[name=q]'); q.value = '` + v + `'; q.dispatchEvent(new Event('input', {bubbles: true})); return true })()`
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](js)); err != nil {
			t.Fatalf("typing %q: %v", v, err)
		}
	}

	if res, err := http.Post(listenURL+"health", "text/plain", strings.NewReader("ping")); err == nil {
		res.Body.Close()
	}
	waitJS("a second capture arrives", rows+` === 2`)
	typeQ("HEALTH")
	waitJS("search", rows+` === 1 && document.querySelector('#list tbody tr').textContent.includes('/health')`)
	typeQ("")
	waitJS("clear the search", rows+` === 2`)
	step("diff two captures",
		chromedp.Click(`#list tbody tr:nth-child(1) input[type=checkbox]`),
		chromedp.Click(`#list tbody tr:nth-child(2) input[type=checkbox]`),
		chromedp.Click(`#diff`),
		chromedp.WaitVisible(`#detail .diff`))
	if d := text(`#detail`); !strings.Contains(d, "X-Notify-Signature") || !strings.Contains(d, "ping") || !strings.Contains(d, "connection.created") {
		t.Errorf("diff shows %q", d)
	}

	if shot := os.Getenv("HOOKCTL_SCREENSHOT"); shot != "" {
		// A fuller list for the picture: other providers and events, and
		// secrets listen does not verify with.
		for _, args := range [][]string{
			{"message.created", "--secret", "n0tifly"},
			{"payment.succeeded", "--secret", "g3neric"},
			{"connection.updated", "--secret", "wrong"},
			{"connection.updated", "--secret", "s3cr3t"},
		} {
			hookctl(t, env, append([]string{"trigger", "--to", listenURL + "webhooks"}, args...)...)
		}
		// A page tall enough for the whole detail: the request, and the
		// app's answer to the forwarded copy (its headers and body).
		step("more rows", chromedp.WaitVisible(`#list tbody tr:nth-child(6)`),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 1600, Height: 1180, DeviceScaleFactor: 1})
				return err
			}),
			chromedp.Click(`#list tbody tr:nth-child(6)`),
			chromedp.WaitVisible(`#detail [data-f=fwdbody]`),
			chromedp.ScrollIntoView(`#detail .bar`),
			chromedp.Sleep(1600*time.Millisecond)) // the new rows' highlight fades
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.querySelectorAll('#list tbody input:checked').forEach((c) => c.click()), true`)); err != nil {
			t.Fatal(err) // untick the diff's pair
		}
		inView := `(() => { const b = document.querySelector('#detail [data-f=fwdbody]').getBoundingClientRect(); return b.height > 0 && b.bottom <= window.innerHeight })()`
		if ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](inView)); err != nil || !ok {
			t.Fatalf("the app's answer is not in the picture (%v)", err)
		}
		saveShot(t, bctx, shot)
		if dark := os.Getenv("HOOKCTL_SCREENSHOT_DARK"); dark != "" {
			step("dark theme", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
				return err
			}))
			saveShot(t, bctx, dark)
		}
	}
	cancel()
}

func saveShot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
}
