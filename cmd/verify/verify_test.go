package verify

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/ui"
)

const (
	stdSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	stdBody   = `{"test": 2432232314}`
)

var stdHeaders = []string{"webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp: 1614265330", "webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}

func testOptions(t *testing.T) (*Options, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	return &Options{
		IO:      ios,
		Now:     func() time.Time { return time.Unix(1614265330, 0) },
		Catalog: func() (*catalog.Catalog, error) { return catalog.New() },
		Secrets: cmdutil.SecretsFrom(nil, secrets.Sources{}),
		Styles:  ui.New(false),
	}, in, out, errOut
}

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVerifyRunValid(t *testing.T) {
	opts, in, out, errOut := testOptions(t)
	in.WriteString(stdBody)
	opts.Provider, opts.SecretArgs, opts.Headers = "standard", []string{stdSecret}, stdHeaders
	if err := verifyRun(opts); err != nil {
		t.Fatal(err)
	}
	if out.String() != "valid\n" || errOut.Len() != 0 {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
}

// Without --provider, the provider is detected and named.
func TestVerifyRunDetects(t *testing.T) {
	opts, in, out, _ := testOptions(t)
	in.WriteString(stdBody)
	opts.SecretArgs, opts.Headers = []string{stdSecret}, stdHeaders
	if err := verifyRun(opts); err != nil {
		t.Fatal(err)
	}
	if out.String() != "valid (provider standard, detected from webhook-signature)\n" {
		t.Errorf("stdout %q", out)
	}
}

// An invalid signature: exit 1 (ErrSilentFailure), the verdict on stdout,
// nothing on stderr.
func TestVerifyRunInvalid(t *testing.T) {
	opts, in, out, errOut := testOptions(t)
	in.WriteString(stdBody + "\n")
	opts.Provider, opts.SecretArgs, opts.Headers = "standard", []string{stdSecret}, stdHeaders
	err := verifyRun(opts)
	if err != cmdutil.ErrSilentFailure || cmdutil.ExitCode(err) != 1 {
		t.Fatalf("error %v", err)
	}
	if out.String() != "invalid: no signature matches this secret (wrong secret, or the body was changed: even a trailing newline counts)\n" || errOut.Len() != 0 {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
}

func TestVerifyRunJSON(t *testing.T) {
	for _, c := range []struct {
		name     string
		body     string
		provider string
		headers  []string
		want     string
	}{
		{"valid", stdBody, "standard", stdHeaders, `{"valid":true,"provider":"standard","reason":null,"detected":false,"header":"webhook-signature"}`},
		{"detected, invalid", stdBody + " ", "", stdHeaders, `{"valid":false,"provider":"standard","reason":"no signature matches this secret (wrong secret, or the body was changed: even a trailing newline counts)","detected":true,"header":"webhook-signature"}`},
		{"nothing to detect", stdBody, "", []string{"X-Other: 1"}, `{"valid":false,"provider":null,"reason":"no signature header of a known provider (pass --provider, or see 'hookctl providers')","detected":false}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts, in, out, _ := testOptions(t)
			in.WriteString(c.body)
			opts.Provider, opts.SecretArgs, opts.Headers, opts.JSON = c.provider, []string{stdSecret}, c.headers, true
			err := verifyRun(opts)
			if got := strings.TrimSpace(out.String()); got != c.want {
				t.Errorf("json\n%s\nwant\n%s", got, c.want)
			}
			if (err == nil) != strings.Contains(c.want, `"valid":true`) {
				t.Errorf("error %v", err)
			}
		})
	}
}

// --request reads headers and body from a raw HTTP request; CRLF or LF.
func TestVerifyRunRequest(t *testing.T) {
	for _, eol := range []string{"\r\n", "\n"} {
		raw := "POST /hooks HTTP/1.1" + eol + strings.Join(append([]string{"Host: localhost:5000", "Content-Length: 20"}, stdHeaders...), eol) + eol + eol + stdBody
		opts, _, out, _ := testOptions(t)
		opts.SecretArgs, opts.Request = []string{stdSecret}, write(t, "req.http", raw)
		if err := verifyRun(opts); err != nil {
			t.Fatalf("%q: %v (%s)", eol, err, out)
		}
		// -H overrides a header of the file.
		opts, _, out, _ = testOptions(t)
		opts.Provider, opts.SecretArgs, opts.Request = "standard", []string{stdSecret}, write(t, "req.http", raw)
		opts.Headers = []string{"webhook-id: msg_other"}
		if err := verifyRun(opts); err == nil {
			t.Errorf("-H did not override the file's header: %s", out)
		}
	}
}

func TestVerifyRunTolerance(t *testing.T) {
	run := func(now, tol string) (string, error) {
		opts, in, out, _ := testOptions(t)
		in.WriteString(stdBody)
		opts.Provider, opts.SecretArgs, opts.Headers, opts.NowUnix, opts.Tolerance = "standard", []string{stdSecret}, stdHeaders, now, tol
		err := verifyRun(opts)
		return out.String(), err
	}
	if out, err := run("1614265931", ""); err == nil || out != "invalid: timestamp too old: signed 10m1s before now, tolerance 5m0s\n" {
		t.Errorf("stale: %q %v", out, err)
	}
	if out, err := run("1614265931", "15m"); err != nil {
		t.Errorf("--tolerance 15m: %q %v", out, err)
	}
	if out, err := run("1614264000", "0"); err != nil {
		t.Errorf("--tolerance 0: %q %v", out, err)
	}
	if out, err := run("1614264000", "600"); err == nil || !strings.Contains(out, "too far in the future") {
		t.Errorf("--tolerance 600 seconds: %q %v", out, err)
	}
}

func TestVerifyRunErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*Options)
		want string
	}{
		{"no headers", func(o *Options) { o.Headers = nil }, "no headers: pass the request's signature headers with -H"},
		{"malformed -H", func(o *Options) { o.Headers = []string{"webhook-signature v1,abc"} }, `header "webhook-signature v1,abc" is not 'Name: value'`},
		{"unknown provider", func(o *Options) { o.Provider = "standrd" }, `unknown provider "standrd" (did you mean standard?)`},
		{"no secret", func(o *Options) { o.SecretArgs = nil }, "no secret for standard"},
		{"bad --now", func(o *Options) { o.NowUnix = "now" }, `invalid --now "now": want unix seconds`},
		{"bad --tolerance", func(o *Options) { o.Tolerance = "5 minutes" }, `invalid --tolerance "5 minutes"`},
		{"huge --tolerance", func(o *Options) { o.Tolerance = "10000000000" }, `invalid --tolerance "10000000000"`},
		{"--request and FILE", func(o *Options) { o.Request, o.File = "r.http", "b.json" }, "pass one of --capture, --last, --request FILE or a body FILE"},
		{"missing --request file", func(o *Options) { o.Request = filepath.Join(t.TempDir(), "r.http") }, "cannot read --request file"},
		{"bad --request file", func(o *Options) { o.Request = write(t, "r.http", "not a request\n\n") }, `is not a request line such as 'POST /webhooks HTTP/1.1'`},
		{"bad secret", func(o *Options) { o.SecretArgs = []string{"whsec_***"} }, "standard: the secret must be whsec_ followed by base64"},
		{"missing body file", func(o *Options) { o.File = filepath.Join(t.TempDir(), "body.json") }, "cannot read body file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts, in, out, _ := testOptions(t)
			in.WriteString(stdBody)
			opts.Provider, opts.SecretArgs, opts.Headers = "standard", []string{stdSecret}, stdHeaders
			c.set(opts)
			err := verifyRun(opts)
			var u *cmdutil.UsageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want a one-line usage error saying %q", err, c.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q on a usage error", out)
			}
		})
	}
}

func TestNewCmdVerify(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, Getenv: func(string) string { return "" }}
	var got *Options
	cmd := NewCmdVerify(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"-p", "stripe", "-s", "a", "-s", "b", "-H", "Stripe-Signature: t=1,v1=2", "--header", "X: y", "--now", "5", "--tolerance", "1m", "--url", "https://x.test", "--request", "r.http"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Provider != "stripe" || len(got.SecretArgs) != 2 || len(got.Headers) != 2 || got.NowUnix != "5" || got.Tolerance != "1m" || got.URL != "https://x.test" || got.Request != "r.http" {
		t.Errorf("options %+v", got)
	}
}
