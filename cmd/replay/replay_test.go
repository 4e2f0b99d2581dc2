package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	secretsrc "github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/ui"
)

const fixture = "../../testdata/captures/mixed.jsonl"

// The secrets the fixture was signed with (testdata/captures/README.md).
var secrets = map[string]string{
	"notify":   "notify-fixture-secret",
	"standard": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	"github":   "github-fixture-secret",
	"stripe":   "whsec_stripe_fixture_secret",
}

// now is 30 minutes after the last capture: past every time window.
var now = time.Date(2025, 1, 10, 10, 36, 0, 0, time.UTC)

type received struct {
	method, uri, host string
	header            http.Header
	body              []byte
	verdict           string // "valid", "unsigned" or the reason it is not
}

// receiver is a webhook endpoint that checks signatures the way a
// provider's library does, with the fixture's secrets and the test clock
// (so the time windows apply): 200 when valid or unsigned, 401 otherwise.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status func(r *http.Request) int // overrides the answer when set
}

func newReceiver(t *testing.T) *receiver {
	cat, _ := catalog.New()
	rv := &receiver{}
	rv.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		verdict := "unsigned"
		if p := cat.Detect(r.Header); p != nil {
			res, err := p.Scheme.Verify(signer.VerifyInput{Header: r.Header, Body: bytes.NewReader(body),
				Secrets: []string{secrets[p.Name]}, Now: now, URL: "http://" + r.Host + r.RequestURI})
			switch {
			case err != nil:
				verdict = err.Error()
			case res.Valid:
				verdict = "valid"
			default:
				verdict = res.Reason
			}
		}
		rv.mu.Lock()
		rv.got = append(rv.got, received{r.Method, r.RequestURI, r.Host, r.Header.Clone(), body, verdict})
		rv.mu.Unlock()
		status := http.StatusOK
		if verdict != "valid" && verdict != "unsigned" {
			status = http.StatusUnauthorized
		}
		if rv.status != nil {
			status = rv.status(r)
		}
		w.WriteHeader(status)
		io.WriteString(w, verdict)
	}))
	t.Cleanup(rv.Close)
	return rv
}

func (rv *receiver) requests() []received {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	return append([]received(nil), rv.got...)
}

type env map[string]string

func newOpts(t *testing.T, e env) (*Options, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	home := t.TempDir()
	vars := map[string]string{"HOME": home, "XDG_CONFIG_HOME": home + "/.config", "XDG_STATE_HOME": home + "/.local/state"}
	for k, v := range e {
		vars[k] = v
	}
	f := &cmdutil.Factory{IOStreams: ios, Now: func() time.Time { return now }, IDs: ids.Seeded(1, 2),
		Getenv: func(k string) string { return vars[k] }}
	opts := &Options{
		IO: ios, Now: f.Now, IDs: f.IDs, Getenv: f.Getenv, Catalog: f.Catalog, Secrets: f.Secrets,
		Styles: ui.New(false), StylesErr: ui.New(false), From: fixture,
		Editor: func(string) error { t.Fatal("no editor expected"); return nil },
	}
	return opts, out, errOut
}

func fixtureRecords(t *testing.T) map[string]*capture.Record {
	t.Helper()
	f, r, err := capture.Open(fixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]*capture.Record{}
	for {
		rec, err := r.Next()
		if err != nil {
			return out
		}
		out[rec.ID] = rec
	}
}

func exitCode(err error) int { return cmdutil.ExitCode(err) }

// As captured: method, path and query, headers and body byte for byte,
// and the signatures still verify where no time window applies.
func TestReplayAsIsByteForByte(t *testing.T) {
	rv := newReceiver(t)
	opts, out, errOut := newOpts(t, nil)
	opts.To = rv.URL + "/app"
	opts.CaptureIDs = []string{"cap_0004github", "cap_0003binary", "cap_0001notify"}
	if err := replayRun(opts); err != nil {
		t.Fatalf("err %v\n%s%s", err, out, errOut)
	}
	recs := fixtureRecords(t)
	got := rv.requests()
	if len(got) != 3 {
		t.Fatalf("%d requests", len(got))
	}
	for i, id := range []string{"cap_0001notify", "cap_0003binary", "cap_0004github"} { // file order
		rec, g := recs[id], got[i]
		want, _ := rec.BodyBytes()
		if !bytes.Equal(g.body, want) {
			t.Errorf("%s: body %q, want %q", id, g.body, want)
		}
		if g.method != rec.Method || g.host != strings.TrimPrefix(rv.URL, "http://") {
			t.Errorf("%s: %s to host %s", id, g.method, g.host)
		}
		for k, v := range rec.Headers {
			if k == "Connection" || k == "X-Hop" {
				continue
			}
			if strings.Join(g.header[k], "|") != strings.Join(v, "|") {
				t.Errorf("%s: %s = %q, want %q", id, k, g.header[k], v)
			}
		}
		if g.header.Get("Content-Length") == "" && len(want) > 0 {
			t.Errorf("%s: no Content-Length", id)
		}
	}
	if got[0].verdict != "valid" || got[2].verdict != "valid" {
		t.Errorf("verdicts %q %q", got[0].verdict, got[2].verdict)
	}
	if !bytes.HasSuffix(got[0].body, []byte("☕\"}}\n")) {
		t.Errorf("notify body lost its ending: %q", got[0].body)
	}
	if got[0].header.Get("X-Hop") != "" || got[0].header.Get("Connection") == "keep-alive, X-Hop" {
		t.Errorf("hop-by-hop headers sent: %v", got[0].header)
	}
	if got[1].uri != "/app?x=1&y=%20" || got[1].method != "PUT" {
		t.Errorf("binary capture went to %s %s", got[1].method, got[1].uri)
	}
	if ua, ok := got[1].header["User-Agent"]; ok {
		t.Errorf("a capture without User-Agent was sent with %q", ua)
	}
	if !bytes.Equal(got[1].body, []byte{0x00, 0xff, 0xfe, 'h', 'i', '\n', 0x80, 0x00}) {
		t.Errorf("binary body %v", got[1].body)
	}
	text := out.String()
	for _, want := range []string{"replaying 3 of 7 captures", "accepted  connection.created evt_ck7qhp33c68tov35spng (cap_0001notify) -> " + rv.URL + "/app  200 OK",
		"3 events, 3 attempts: 3 accepted"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr %q", errOut)
	}
}

// A Standard Webhooks capture 35 minutes old fails as captured (the
// receiver's time window) and passes with --resign: new id, the current
// timestamp, one fresh signature.
func TestResignPassesTheTimeWindow(t *testing.T) {
	rv := newReceiver(t)
	opts, out, _ := newOpts(t, nil)
	opts.To, opts.CaptureIDs = rv.URL, []string{"cap_0002standard"}
	err := replayRun(opts)
	if exitCode(err) != 1 || !strings.Contains(out.String(), "failed    invoice.paid") {
		t.Fatalf("as captured: exit %d (%v)\n%s", exitCode(err), err, out)
	}
	if v := rv.requests()[0].verdict; !strings.Contains(v, "timestamp") {
		t.Errorf("as captured the receiver said %q, want a timestamp reason", v)
	}

	opts, out, _ = newOpts(t, nil)
	opts.To, opts.CaptureIDs, opts.Resign = rv.URL, []string{"cap_0002standard"}, true
	opts.SecretArgs = []string{secrets["standard"]}
	if err := replayRun(opts); err != nil {
		t.Fatalf("--resign: %v\n%s", err, out)
	}
	g := rv.requests()[1]
	if g.verdict != "valid" {
		t.Fatalf("--resign: receiver said %q", g.verdict)
	}
	if id := g.header.Get("Webhook-Id"); !strings.HasPrefix(id, "msg_") || id == "msg_2mFixtureStandard0000000001" {
		t.Errorf("webhook-id %q", id)
	}
	if ts := g.header.Get("Webhook-Timestamp"); ts != "1736505360" {
		t.Errorf("webhook-timestamp %q, want now", ts)
	}
	if sigs := g.header.Values("Webhook-Signature"); len(sigs) != 1 || strings.Contains(sigs[0], " ") {
		t.Errorf("signatures %q", sigs)
	}
	if g.header.Get("User-Agent") != "Svix-Webhooks/1.24" || g.uri != "/webhooks?source=svix" {
		t.Errorf("other headers or path changed: %v %s", g.header, g.uri)
	}
	if !strings.Contains(out.String(), "re-signed") {
		t.Errorf("output %s", out)
	}
}

// Several providers in one run: per-provider secrets from --secret P=S and
// the environment; each capture re-signed with its own scheme.
func TestResignSeveralProviders(t *testing.T) {
	rv := newReceiver(t)
	opts, out, _ := newOpts(t, env{"HOOKCTL_STRIPE_SECRET": secrets["stripe"], "HOOKCTL_SECRET": secrets["notify"]})
	opts.To, opts.Resign = rv.URL, true
	opts.CaptureIDs = []string{"cap_0001notify", "cap_0002standard", "cap_0004github", "cap_0006stripe"}
	opts.SecretArgs = []string{"standard=" + secrets["standard"], "github=" + secrets["github"]}
	if err := replayRun(opts); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, g := range rv.requests() {
		if g.verdict != "valid" {
			t.Errorf("%s: %s", g.uri, g.verdict)
		}
	}
	if n := len(rv.requests()); n != 4 {
		t.Errorf("%d requests", n)
	}
}

func TestResignUsageErrorsSendNothing(t *testing.T) {
	rv := newReceiver(t)
	cases := []struct {
		name string
		set  func(o *Options)
		want string
	}{
		{"no secret", func(o *Options) { // and no development secret either
			o.CaptureIDs, o.Secrets = []string{"cap_0007notify", "cap_0006stripe"}, cmdutil.SecretsFrom(nil, secretsrc.Sources{})
		}, "no secret for notify"},
		{"no provider", func(o *Options) { o.CaptureIDs = []string{"cap_0003binary"}; o.SecretArgs = []string{"x"} }, "1 selected capture has no provider"},
		{"two secrets, one signature", func(o *Options) {
			o.CaptureIDs = []string{"cap_0007notify"}
			o.SecretArgs = []string{"a", "b"}
		}, "notify carries one signature per request"},
		{"bad whsec", func(o *Options) { o.CaptureIDs = []string{"cap_0002standard"}; o.SecretArgs = []string{"whsec_!!"} }, "secret for standard"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts, out, _ := newOpts(t, nil)
			opts.To, opts.Resign = rv.URL, true
			c.set(opts)
			err := replayRun(opts)
			if exitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
				t.Errorf("exit %d, err %v; want 2 and %q", exitCode(err), err, c.want)
			}
			if out.Len() != 0 || len(rv.requests()) != 0 {
				t.Errorf("something was sent: %s", out)
			}
		})
	}
	// With --provider an unsigned capture can be signed.
	opts, out, _ := newOpts(t, nil)
	opts.To, opts.Resign, opts.Provider = rv.URL, true, "notify"
	opts.CaptureIDs, opts.SecretArgs = []string{"cap_0003binary"}, []string{secrets["notify"]}
	if err := replayRun(opts); err != nil || rv.requests()[0].verdict != "valid" {
		t.Errorf("--provider notify: %v %+v\n%s", err, rv.requests(), out)
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		set  func(o *Options)
		want string
	}{
		{"unknown ids", func(o *Options) { o.CaptureIDs = []string{"cap_nope", "cap_0001notify", "cap_gone"} }, "no capture cap_nope, cap_gone in"},
		{"no target", func(o *Options) { o.To = "" }, "no target: pass --to"},
		{"bad target", func(o *Options) { o.To = "ftp://x" }, "invalid --to"},
		{"bad since", func(o *Options) { o.Since = "yesterday" }, "invalid --since"},
		{"negative since", func(o *Options) { o.Since = "-5m" }, "invalid --since"},
		{"secret without resign", func(o *Options) { o.SecretArgs = []string{"s"} }, "add --resign"},
		{"unknown provider", func(o *Options) { o.Provider = "nope" }, "unknown provider"},
		{"no file", func(o *Options) { o.From = filepath.Join(t.TempDir(), "none.jsonl") }, "no capture file at"},
		{"nothing matches", func(o *Options) { o.Events = []string{"nope.*"} }, "nothing to replay: no capture in ../../testdata/captures/mixed.jsonl matches --event 'nope.*' (7 captures read)"},
		{"edit without a terminal", func(o *Options) { o.Edit = true }, "--edit opens $EDITOR and needs a terminal, but stdin is not one"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts, out, _ := newOpts(t, nil)
			opts.To = "localhost:1"
			c.set(opts)
			err := replayRun(opts)
			if exitCode(err) != 2 || !strings.Contains(err.Error(), c.want) {
				t.Errorf("exit %d, err %v; want 2 and %q", exitCode(err), err, c.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q", out)
			}
		})
	}
}

func TestConnectionRefusedExits1(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	opts, out, _ := newOpts(t, nil)
	opts.To, opts.CaptureIDs, opts.JSON = addr, []string{"cap_0001notify"}, true
	err = replayRun(opts)
	if exitCode(err) != 1 || err.Error() != "1 of 1 delivery failed" {
		t.Fatalf("exit %d, err %v", exitCode(err), err)
	}
	lines := jsonLines(t, out.String())
	if len(lines) != 3 || lines[1]["error_kind"] != "connection refused" || lines[2]["ok"] != false {
		t.Errorf("lines %v", lines)
	}
}

func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		out = append(out, m)
	}
	return out
}

// Everything: the body that was never stored is skipped and listed, the
// run still succeeds when the rest is accepted; JSON lines throughout.
func TestReplayAllJSONWithASkippedCapture(t *testing.T) {
	rv := newReceiver(t)
	rv.status = func(*http.Request) int { return 200 } // accept even the expired ones
	opts, out, errOut := newOpts(t, nil)
	opts.To, opts.JSON = rv.URL, true
	if err := replayRun(opts); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	lines := jsonLines(t, out.String())
	var types []string
	for _, l := range lines {
		types = append(types, l["type"].(string))
	}
	if strings.Join(types, " ") != "replay attempt attempt attempt attempt skipped attempt attempt summary" {
		t.Fatalf("types %v", types)
	}
	if lines[0]["captures"] != 7.0 || lines[0]["selected"] != 7.0 || lines[0]["resign"] != false {
		t.Errorf("replay line %v", lines[0])
	}
	if lines[5]["capture_id"] != "cap_0005toobig" || !strings.Contains(lines[5]["reason"].(string), "body not stored") {
		t.Errorf("skipped line %v", lines[5])
	}
	sum := lines[8]
	if sum["events"] != 6.0 || sum["accepted"] != 6.0 || sum["ok"] != true || sum["skipped"] != 0.0 || sum["unsendable"] != 1.0 {
		t.Errorf("summary %v", sum)
	}
	if len(rv.requests()) != 6 {
		t.Errorf("%d requests", len(rv.requests()))
	}
}

func TestOnlyTruncatedMeansNothingSent(t *testing.T) {
	rv := newReceiver(t)
	opts, out, _ := newOpts(t, nil)
	opts.To, opts.CaptureIDs = rv.URL, []string{"cap_0005toobig"}
	err := replayRun(opts)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "nothing was sent") {
		t.Fatalf("exit %d, err %v", exitCode(err), err)
	}
	if !strings.Contains(out.String(), "skipped   cap_0005toobig: body not stored (30.0 MiB, over listen's --max-body); nothing sent") ||
		!strings.Contains(out.String(), "skipped 1 capture that could not be sent: cap_0005toobig") {
		t.Errorf("output %s", out)
	}
	if len(rv.requests()) != 0 {
		t.Error("sent")
	}
}

// The provider's success rule applies: notify accepts only 200, a capture
// of no known provider any 2xx.
func TestProviderSuccessRule(t *testing.T) {
	rv := newReceiver(t)
	rv.status = func(*http.Request) int { return http.StatusAccepted }
	opts, out, _ := newOpts(t, nil)
	opts.To, opts.CaptureIDs = rv.URL, []string{"cap_0001notify", "cap_0003binary"}
	err := replayRun(opts)
	if exitCode(err) != 1 {
		t.Fatalf("exit %d", exitCode(err))
	}
	text := out.String()
	if !strings.Contains(text, "failed    connection.created") || !strings.Contains(text, "not a success: notify accepts only status 200") ||
		!strings.Contains(text, "accepted (cap_0003binary) -> "+rv.URL+"/upload") || !strings.Contains(text, "1 accepted, 1 failed") {
		t.Errorf("output %s", text)
	}
}

// Selection through the command: --event, --since and --last together.
func TestSelectionFlags(t *testing.T) {
	rv := newReceiver(t)
	opts, out, _ := newOpts(t, nil)
	opts.To, opts.Events, opts.Since, opts.Last = rv.URL, []string{"connection.*", "*.paid", "push"}, "35m30s", 2
	if err := replayRun(opts); err != nil {
		t.Fatalf("err %v\n%s", err, out)
	}
	var got []string
	for _, g := range rv.requests() {
		got = append(got, g.uri)
	}
	// since 10:00:30 leaves standard (10:01), github (10:03), notify (10:06); the last 2:
	if strings.Join(got, " ") != "/gh /webhooks" || !strings.Contains(out.String(), "replaying 2 of 7 captures") {
		t.Errorf("sent %v\n%s", got, out)
	}
}

func TestList(t *testing.T) {
	t.Setenv("TZ", "UTC")
	opts, out, errOut := newOpts(t, nil)
	opts.List, opts.To = true, "" // --list needs no target
	opts.Last = 3
	if err := replayRun(opts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) != 5 || lines[4] != "" {
		t.Fatalf("list:\n%s", out)
	}
	wantFields := [][]string{
		{"ID", "TIME", "PROVIDER", "EVENT", "VERDICT", "METHOD", "PATH", "SIZE"},
		{"cap_0005toobig", "2025-01-10", "10:04:00", "notify", "-", "body", "over", "--max-body", "POST", "/webhooks", "30.0", "MiB", "(not", "stored)"},
		{"cap_0006stripe", "2025-01-10", "10:05:00", "stripe", "payment_intent.succeeded", "valid", "POST", "/stripe", "118", "B"},
		{"cap_0007notify", "2025-01-10", "10:06:00", "notify", "connection.updated", "valid", "POST", "/webhooks", "207", "B"},
	}
	for i, want := range wantFields {
		if got := strings.Fields(lines[i]); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("row %d: %q, want %q", i, got, want)
		}
	}
	// columns line up: every row's verdict starts where the heading's does
	for _, head := range []string{"TIME", "VERDICT", "SIZE"} {
		col := strings.Index(lines[0], head)
		for _, l := range lines[1:4] {
			if l[col-2:col] != "  " || l[col] == ' ' {
				t.Errorf("%s misaligned: %q", head, l)
			}
		}
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr %s", errOut)
	}
}

func TestListJSON(t *testing.T) {
	opts, out, _ := newOpts(t, nil)
	opts.List, opts.JSON, opts.Events = true, true, []string{"connection.*"}
	if err := replayRun(opts); err != nil {
		t.Fatal(err)
	}
	lines := jsonLines(t, out.String())
	if len(lines) != 2 || lines[0]["capture_id"] != "cap_0001notify" || lines[1]["event"] != "connection.updated" ||
		lines[0]["verified"] != true || lines[0]["size"] != 169.0 || lines[1]["time"] != "2025-01-10T10:06:00Z" {
		t.Errorf("lines %v", lines)
	}
}

func TestListEmptyFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "empty.jsonl")
	os.WriteFile(file, nil, 0o600)
	opts, out, errOut := newOpts(t, nil)
	opts.List, opts.From = true, file
	if err := replayRun(opts); err != nil || out.Len() != 0 || !strings.Contains(errOut.String(), "no captures in") {
		t.Errorf("err %v out %q err %q", err, out, errOut)
	}
}

// A torn last line: one warning line on stderr, the records before it sent.
func TestTornLastLine(t *testing.T) {
	data, _ := os.ReadFile(fixture)
	file := filepath.Join(t.TempDir(), "torn.jsonl")
	os.WriteFile(file, append(data, `{"v":1,"id":"cap_torn","method":"PO`...), 0o600)
	rv := newReceiver(t)
	rv.status = func(*http.Request) int { return 200 }
	opts, out, errOut := newOpts(t, nil)
	opts.From, opts.To, opts.Last = file, rv.URL, 1
	if err := replayRun(opts); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if errOut.String() != "warning: "+file+":8: skipped torn last line (the writer was stopped mid-record)\n" {
		t.Errorf("stderr %q", errOut)
	}
	if got := rv.requests(); len(got) != 1 || !strings.Contains(string(got[0].body), "connection.updated") {
		t.Errorf("sent %+v", got)
	}
}

// Ctrl-C during a request: that one counts failed, the rest not sent, the
// summary is printed and the exit is 1.
func TestInterruptStopsWithASummary(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rv := newReceiver(t)
	n := 0
	rv.status = func(r *http.Request) int {
		if n++; n == 2 {
			cancel()
			<-r.Context().Done()
		}
		return 200
	}
	opts, out, _ := newOpts(t, nil)
	opts.To, opts.JSON = rv.URL, true
	opts.Context = ctx
	err := replayRun(opts)
	if exitCode(err) != 1 || !strings.HasPrefix(err.Error(), "interrupted: ") {
		t.Fatalf("exit %d err %v", exitCode(err), err)
	}
	lines := jsonLines(t, out.String())
	sum := lines[len(lines)-1]
	if sum["type"] != "summary" || sum["interrupted"] != true || sum["accepted"] != 1.0 || sum["failed"] != 1.0 || sum["skipped"] != 5.0 {
		t.Errorf("summary %v\n%s", sum, out)
	}
}

// --edit: the edited body is sent and signed again; a body saved without
// change keeps its bytes (the editor's added newline is dropped when the
// capture had none); an emptied body skips that capture.
func TestEdit(t *testing.T) {
	rv := newReceiver(t)
	opts, out, _ := newOpts(t, nil)
	opts.IO.SetTTY(true, false, false)
	opts.To, opts.Edit = rv.URL, true
	opts.CaptureIDs = []string{"cap_0002standard", "cap_0006stripe", "cap_0007notify"}
	opts.SecretArgs = []string{"standard=" + secrets["standard"], "stripe=" + secrets["stripe"], "notify=" + secrets["notify"]}
	calls := 0
	opts.Editor = func(path string) error {
		calls++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch calls {
		case 1: // change the amount, save with a final newline
			b = append(bytes.Replace(b, []byte("4200"), []byte("4300"), 1), '\n')
		case 2: // save as is (an editor adds a newline)
			b = append(b, '\n')
		case 3:
			b = []byte("\n")
		}
		return os.WriteFile(path, b, 0o600)
	}
	if err := replayRun(opts); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := rv.requests()
	if calls != 3 || len(got) != 2 {
		t.Fatalf("%d edits, %d requests\n%s", calls, len(got), out)
	}
	if !bytes.Contains(got[0].body, []byte(`"amount":4300`)) || bytes.HasSuffix(got[0].body, []byte("\n")) || got[0].verdict != "valid" {
		t.Errorf("edited body %q verdict %s", got[0].body, got[0].verdict)
	}
	want, _ := fixtureRecords(t)["cap_0006stripe"].BodyBytes()
	if !bytes.Equal(got[1].body, want) || got[1].verdict != "valid" {
		t.Errorf("unchanged body %q verdict %s", got[1].body, got[1].verdict)
	}
	if !strings.Contains(out.String(), "skipped   cap_0007notify connection.updated: the body was emptied in the editor; nothing sent") {
		t.Errorf("output %s", out)
	}
}

func TestEditorFailureStops(t *testing.T) {
	rv := newReceiver(t)
	opts, out, _ := newOpts(t, nil)
	opts.IO.SetTTY(true, false, false)
	opts.To, opts.Edit, opts.SecretArgs = rv.URL, true, []string{secrets["notify"]}
	opts.CaptureIDs = []string{"cap_0001notify", "cap_0007notify"}
	opts.Editor = func(string) error { return errors.New("the editor \"false\" failed: exit status 1 (set $EDITOR)") }
	err := replayRun(opts)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "capture cap_0001notify was not sent") {
		t.Fatalf("exit %d err %v", exitCode(err), err)
	}
	if !strings.Contains(out.String(), "2 events, 0 attempts: 0 accepted, 2 not sent") {
		t.Errorf("output %s", out)
	}
	if len(rv.requests()) != 0 {
		t.Error("sent")
	}
}

// The real editor path: $EDITOR with arguments runs on the file.
func TestEditRunsEditorFromEnv(t *testing.T) {
	script := filepath.Join(t.TempDir(), "ed.sh")
	os.WriteFile(script, []byte("#!/bin/sh\n# $1 is --flag, $2 the file\n[ \"$1\" = --flag ] || exit 3\nsed -e 's/paused/active/' \"$2\" > \"$2.new\" && mv \"$2.new\" \"$2\"\n"), 0o755)
	rv := newReceiver(t)
	opts, out, _ := newOpts(t, env{"EDITOR": script + " --flag"})
	opts.Editor = nil
	opts.IO.SetTTY(true, false, false)
	opts.To, opts.Edit, opts.SecretArgs = rv.URL, true, []string{secrets["notify"]}
	opts.CaptureIDs = []string{"cap_0007notify"}
	if err := replayRun(opts); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := rv.requests()
	if len(got) != 1 || !bytes.Contains(got[0].body, []byte(`"status": "active"`)) || got[0].verdict != "valid" {
		t.Errorf("sent %+v", got)
	}

	opts, _, _ = newOpts(t, env{"VISUAL": "false"})
	opts.Editor = nil
	opts.IO.SetTTY(true, false, false)
	opts.To, opts.Edit, opts.SecretArgs = rv.URL, true, []string{secrets["notify"]}
	opts.CaptureIDs = []string{"cap_0007notify"}
	err := replayRun(opts)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), `the editor "false" failed`) {
		t.Errorf("err %v", err)
	}
}
