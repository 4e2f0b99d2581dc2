package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
)

var now = time.Unix(1700000000, 0)

// testOptions are sign's options over test streams, a fixed clock, seeded
// ids, the built-in catalogue and no secrets but the flags.
func testOptions(t *testing.T) (*Options, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	return &Options{
		IO:      ios,
		Now:     func() time.Time { return now },
		IDs:     ids.Seeded(1, 2),
		Catalog: func() (*catalog.Catalog, error) { return catalog.New() },
		Secrets: cmdutil.SecretsFrom(nil, secrets.Sources{}),
	}, in, out, errOut
}

func body(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSignRunStandardVector(t *testing.T) {
	opts, _, out, errOut := testOptions(t)
	opts.Provider, opts.SecretArgs = "standard", []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
	opts.ID, opts.Timestamp, opts.File = "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body(t, `{"test": 2432232314}`)
	if err := signRun(opts); err != nil {
		t.Fatal(err)
	}
	want := "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek\nwebhook-timestamp: 1614265330\nwebhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\n"
	if out.String() != want || errOut.Len() != 0 {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
}

// Without FILE the body is stdin; --json prints header name to value.
func TestSignRunStdinJSON(t *testing.T) {
	opts, in, out, _ := testOptions(t)
	in.WriteString("Hello, World!")
	opts.Provider, opts.SecretArgs, opts.JSON, opts.ID = "github", []string{"It's a Secret to Everybody"}, true, "abc"
	if err := signRun(opts); err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got["X-Hub-Signature-256"] != "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" || got["X-GitHub-Delivery"] != "abc" || len(got) != 3 {
		t.Errorf("json %v", got)
	}
}

// --timestamp and --id default to the clock and a fresh id.
func TestSignRunDefaults(t *testing.T) {
	opts, in, out, _ := testOptions(t)
	in.WriteString("{}")
	opts.Provider, opts.SecretArgs = "svix", []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
	if err := signRun(opts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "svix-id: msg_") || len(lines[0]) != len("svix-id: msg_")+27 || lines[1] != "svix-timestamp: 1700000000" {
		t.Errorf("output %q", lines)
	}
	// Seeded ids: the same options give the same id.
	opts2, in2, out2, _ := testOptions(t)
	in2.WriteString("{}")
	opts2.Provider, opts2.SecretArgs = "svix", opts.SecretArgs
	if err := signRun(opts2); err != nil || out2.String() != out.String() {
		t.Errorf("not reproducible: %q vs %q (%v)", out2, out, err)
	}
}

// Twilio binds a JSON body through the URL: the new URL is told on stderr.
func TestSignRunTwilioURL(t *testing.T) {
	opts, in, out, errOut := testOptions(t)
	in.WriteString(`{"property": "value", "boolean": true}`)
	opts.Provider, opts.SecretArgs, opts.URL = "twilio", []string{"12345"}, "https://mycompany.com/myapp.php?foo=1&bar=2"
	if err := signRun(opts); err != nil {
		t.Fatal(err)
	}
	if out.String() != "X-Twilio-Signature: a9nBmqA0ju/hNViExpshrM61xv4=\n" {
		t.Errorf("stdout %q", out)
	}
	if !strings.Contains(errOut.String(), "the signature is for https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620: send the request there, and verify with --url") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestSignRunErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(*Options)
		want string
	}{
		{"no provider", func(o *Options) { o.Provider = "" }, "--provider is required: one of notify, notifly"},
		{"unknown provider", func(o *Options) { o.Provider = "stripee" }, `unknown provider "stripee" (did you mean stripe?)`},
		{"no secret", func(o *Options) { o.Provider, o.SecretArgs = "notify", nil }, "no secret for notify: pass --secret, --secret-file, or set HOOKCTL_NOTIFY_SECRET"},
		{"bad timestamp", func(o *Options) { o.Timestamp = "yesterday" }, `invalid --timestamp "yesterday": want unix seconds, e.g. 1700000000`},
		{"negative timestamp", func(o *Options) { o.Timestamp = "-5" }, "invalid --timestamp"},
		{"two secrets, one signature", func(o *Options) { o.SecretArgs = []string{"a", "b"} }, "notify: this scheme carries one signature per request"},
		{"unreadable file", func(o *Options) { o.File = filepath.Join(t.TempDir(), "nope.json") }, "cannot read body file"},
		{"folder", func(o *Options) { o.File = t.TempDir() }, "is a folder"},
		{"bad whsec", func(o *Options) { o.Provider, o.SecretArgs = "standard", []string{"whsec_!!"} }, "standard: the secret must be whsec_ followed by base64"},
		{"twilio without --url", func(o *Options) { o.Provider = "twilio" }, "twilio signs the full request URL: pass --url"},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts, in, out, _ := testOptions(t)
			in.WriteString("{}")
			opts.Provider, opts.SecretArgs = "notify", []string{"s"}
			c.set(opts)
			err := signRun(opts)
			var u *cmdutil.UsageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want a usage error saying %q", err, c.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q on error", out)
			}
		})
	}
}

// The flags land in Options (the gh pattern: runF replaces the work).
func TestNewCmdSign(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Now: func() time.Time { return now }, IDs: ids.Seeded(1, 2), Getenv: func(string) string { return "" }}
	var got *Options
	cmd := NewCmdSign(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs(strings.Fields("-p stripe -s whsec_a --secret whsec_b --timestamp 1 --id x --url https://x.test body.json"))
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Provider != "stripe" || strings.Join(got.SecretArgs, ",") != "whsec_a,whsec_b" || got.Timestamp != "1" || got.ID != "x" || got.URL != "https://x.test" || got.File != "body.json" {
		t.Errorf("options %+v", got)
	}
	cmd = NewCmdSign(f, func(o *Options) error { return nil })
	cmd.SetArgs([]string{"a", "b"})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err == nil {
		t.Error("two FILE arguments accepted")
	}
}
