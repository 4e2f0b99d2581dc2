package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/signer"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const secretsFile = `
secret: file-any
secrets:
  notify: file-notify
  standard: [whsec_b2xk, whsec_bmV3]
providers:
  acme:
    signature_header: X-Acme-Signature
    secret: file-acme
`

// The file's own order; the environment comes before the file, and that
// is the secrets resolver's test (internal/secrets).
func TestFileSecrets(t *testing.T) {
	path := write(t, t.TempDir(), "hookctl.yaml", secretsFile)
	cfg, err := Load(path, env(map[string]string{"HOOKCTL_NOTIFY_SECRET": "env-notify"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		provider string
		want     []string
	}{
		{"file, per provider", "notify", []string{"file-notify"}},
		{"file, a list (rotation)", "standard", []string{"whsec_b2xk", "whsec_bmV3"}},
		{"file, providers.<p>.secret", "acme", []string{"file-acme"}},
		{"file, the global secret", "github", []string{"file-any"}},
	} {
		if got, file := cfg.FileSecrets(c.provider); !reflect.DeepEqual(got, c.want) || file != path {
			t.Errorf("%s: FileSecrets(%s) = %q, %s; want %q", c.name, c.provider, got, file, c.want)
		}
	}
	cfg, err = Load("", env(map[string]string{"HOME": t.TempDir()}))
	if err != nil {
		t.Fatal(err)
	}
	if got, file := cfg.FileSecrets("notify"); got != nil || file != "" {
		t.Errorf("no file: %q from %q", got, file)
	}
}

// The file is ./hookctl.yaml, else $XDG_CONFIG_HOME/hookctl/config.yaml
// (~/.config when unset); HOOKCTL_CONFIG and --config name one directly.
func TestLoadFinds(t *testing.T) {
	work, home, xdg := t.TempDir(), t.TempDir(), t.TempDir()
	t.Chdir(work)
	e := map[string]string{"HOME": home}
	load := func() string {
		t.Helper()
		cfg, err := Load("", env(e))
		if err != nil {
			t.Fatal(err)
		}
		return cfg.File
	}
	if got := load(); got != "" {
		t.Errorf("nothing to find, found %s", got)
	}
	homeFile := write(t, home, ".config/hookctl/config.yaml", "secret: h\n")
	if got := load(); got != homeFile {
		t.Errorf("found %q, want %s", got, homeFile)
	}
	e["XDG_CONFIG_HOME"] = xdg
	xdgFile := write(t, xdg, "hookctl/config.yaml", "secret: x\n")
	if got := load(); got != xdgFile {
		t.Errorf("found %q, want %s", got, xdgFile)
	}
	write(t, work, "hookctl.yaml", "secret: w\n")
	if got := load(); got != "hookctl.yaml" {
		t.Errorf("found %q, want ./hookctl.yaml", got)
	}
	other := write(t, t.TempDir(), "other.yml", "secret: o\n")
	e["HOOKCTL_CONFIG"] = other
	if got := load(); got != other {
		t.Errorf("HOOKCTL_CONFIG: found %q", got)
	}
	cfg, err := Load(xdgFile, env(e))
	if vals, _ := cfg.FileSecrets("x"); err != nil || cfg.File != xdgFile || vals[0] != "x" {
		t.Errorf("--config: %v, %v", cfg, err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.yaml"), "missing.yaml: no such file or directory"},
		{dir, "is a folder"},
		{write(t, dir, "bad.yaml", "secrets: [unclosed\n"), "is not valid"},
		{write(t, dir, "tabs.yaml", "a:\n\tb: 1\n"), "is not valid"},
		{write(t, dir, "conf.ini", "x"), "is not valid"},
	} {
		_, err := Load(c.path, env(nil))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line saying %q", c.path, err, c.want)
		}
	}
}

func TestCustomProvider(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "acme-templates/order.paid.json", `{"type":"{{.Event}}","id":"{{uuid}}"}`)
	write(t, dir, "acme-templates/order.refunded.json", `{"type":"{{.Event}}","id":"{{uuid}}"}`)
	write(t, dir, "acme-templates/notes.txt", "not a template")
	path := write(t, dir, "hookctl.yaml", `
providers:
  Acme:
    signature_header: X-Acme-Signature
    signed: timestamp.body
    hash: SHA512
    encoding: base64
    prefix: "t1="
    timestamp_header: X-Acme-Timestamp
    tolerance: 2m
    templates: acme-templates
    success: "200"
    timeout: 3s
    schedule: [0s, 1m, 10m]
  plain:
    signature_header: X-Plain-Sig
`)
	cfg, err := Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := cfg.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	p, err := cat.Lookup("acme")
	if err != nil {
		t.Fatal(err)
	}
	want := signer.Scheme{
		Headers: signer.HeaderSet{Signature: "X-Acme-Signature", Timestamp: "X-Acme-Timestamp"},
		Signed:  signer.SignedTimestampBody, Hash: "sha512", Enc: "base64", Prefix: "t1=",
		Format: signer.FormatPlain, Secret: signer.SecretText, Tolerance: 2 * time.Minute,
	}
	if !reflect.DeepEqual(p.Scheme, want) {
		t.Errorf("scheme %+v\nwant %+v", p.Scheme, want)
	}
	if got := p.EventNames(); !reflect.DeepEqual(got, []string{"order.paid", "order.refunded"}) {
		t.Errorf("events %q", got)
	}
	if !p.Custom || p.Source != "config file" || !p.Delivery.Exact200 || p.Delivery.Timeout != 3*time.Second || len(p.Delivery.Schedule) != 3 || p.Delivery.DefaultSchedule {
		t.Errorf("provider %+v", p)
	}
	plain, err := cat.Lookup("plain")
	if err != nil {
		t.Fatal(err)
	}
	if s := plain.Scheme; s.Signed != signer.SignedBody || s.Hash != "sha256" || s.Enc != "hex" || s.Tolerance != 0 || len(plain.Events) != 0 || !plain.Delivery.DefaultSchedule {
		t.Errorf("defaults %+v", plain)
	}
	// A timestamped provider without a tolerance gets the default window.
	ts, err := ProviderSpec{SignatureHeader: "S", Signed: "v0:timestamp:body", TimestampHeader: "T"}.Provider("ts", dir)
	if err != nil || ts.Scheme.Tolerance != 5*time.Minute {
		t.Errorf("default tolerance: %+v, %v", ts, err)
	}
}

func TestCustomProviderErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		spec ProviderSpec
		name string
		want string
	}{
		{ProviderSpec{}, "x", "signature header is empty"},
		{ProviderSpec{SignatureHeader: "S"}, "two words", "must be one word"},
		{ProviderSpec{SignatureHeader: "S", Signed: "twilio"}, "x", "signed must be"},
		{ProviderSpec{SignatureHeader: "S", Signed: "body.timestamp"}, "x", "needs a timestamp header"},
		{ProviderSpec{SignatureHeader: "S", Signed: "body.stamp"}, "x", "unknown word"},
		{ProviderSpec{SignatureHeader: "S", Signed: "timestamp.body"}, "x", "needs a timestamp header"},
		{ProviderSpec{SignatureHeader: "S", Signed: "id.timestamp.body", TimestampHeader: "T"}, "x", "needs a timestamp header and an id header"},
		{ProviderSpec{SignatureHeader: "S", Hash: "md5"}, "x", `hash "md5"`},
		{ProviderSpec{SignatureHeader: "S", Encoding: "base32"}, "x", `encoding "base32"`},
		{ProviderSpec{SignatureHeader: "S", SecretForm: "base64"}, "x", `secret form "base64"`},
		{ProviderSpec{SignatureHeader: "S", Tolerance: "five"}, "x", `tolerance "five"`},
		{ProviderSpec{SignatureHeader: "S", Tolerance: "-5m"}, "x", `tolerance "-5m"`},
		{ProviderSpec{SignatureHeader: "S", Success: "3xx"}, "x", `success "3xx"`},
		{ProviderSpec{SignatureHeader: "S", Timeout: "0s"}, "x", `timeout "0s"`},
		{ProviderSpec{SignatureHeader: "S", Schedule: []string{"1m", "soon"}}, "x", `schedule entry "soon"`},
		{ProviderSpec{SignatureHeader: "S", Templates: "missing"}, "x", "templates folder"},
	} {
		if _, err := c.spec.Provider(c.name, dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.spec, err, c.want)
		}
	}
	for text, want := range map[string]string{
		"providers: [a, b]\n":                                            "providers must be a map",
		"providers:\n  notify:\n    signature_header: X\n":               "name of a built-in provider",
		"providers:\n  standard-webhooks:\n    signature_header: X\n":    "name of a built-in provider",
		"providers:\n  bad:\n    schedule: 5\n    signature_header: X\n": "provider bad",
	} {
		cfg, err := Load(write(t, dir, "c.yaml", text), env(nil))
		if err == nil {
			_, err = cfg.Catalog()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
}

// User-defined providers take the rest of the signer's vocabulary.
func TestCustomProviderVocabulary(t *testing.T) {
	dir := t.TempDir()
	path := write(t, dir, "hookctl.yaml", `
providers:
  hub:
    signature_header: X-Sig
    signed: method+url+body+timestamp
    encoding: base64
    timestamp_header: X-Ts
    timestamp_format: unix-ms
    url_form: hubspot
  std:
    signature_header: W-Sig
    timestamp_header: W-Ts
    id_header: W-Id
    signed: id.timestamp.body
    encoding: base64
    format: list
    prefix: "v1,"
    asym_prefix: "v1a,"
    secret_form: whsec
  paddleish:
    signature_header: Sig
    signed: "timestamp:body"
    format: paddle
    prefix: "h1="
  ed:
    signature_header: X-Ed
    timestamp_header: X-Ed-Ts
    signed: timestamp+body
    hash: ed25519
  mg:
    signed: timestamp+token
    body_signature: {signature: sig.value, timestamp: sig.ts, token: sig.tok}
  lin:
    signature_header: L
    timestamp_field: sentAt
    timestamp_format: unix-ms
    reject_future: true
  meta:
    verify_token: vt-1
`)
	cfg, err := Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := cfg.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for name, check := range map[string]func(*catalog.Provider) bool{
		"hub": func(p *catalog.Provider) bool {
			return p.Scheme.TimeFormat == "unix-ms" && p.Scheme.SignsURL() && p.Scheme.URLForm == "hubspot"
		},
		"std":       func(p *catalog.Provider) bool { return p.Scheme.AsymPrefix == "v1a," && p.Scheme.Format == "list" },
		"paddleish": func(p *catalog.Provider) bool { return p.Scheme.Format == "paddle" && p.Scheme.MultiSignature() },
		"ed":        func(p *catalog.Provider) bool { return p.Scheme.Asymmetric() && p.Scheme.Secret == "ed25519-hex" },
		"mg":        func(p *catalog.Provider) bool { return p.Scheme.BodySig != nil && p.Scheme.BodySig.Token == "sig.tok" },
		"lin": func(p *catalog.Provider) bool {
			return p.Scheme.TimestampField == "sentAt" && p.Scheme.Tolerance > 0 && p.Scheme.RejectFuture
		},
	} {
		p, err := cat.Lookup(name)
		if err != nil || !check(p) {
			t.Errorf("%s: %+v %v", name, p, err)
		}
	}
	if got := cfg.VerifyToken("meta"); got != "vt-1" {
		t.Errorf("providers.meta.verify_token = %q", got)
	}
	for _, bad := range []string{"signed: stamp.body", "format: pairs", "timestamp_format: iso", "url_form: decoded", `asym_prefix: "v1a,"`} {
		p := write(t, dir, "bad.yaml", "providers:\n  x:\n    signature_header: S\n    timestamp_header: T\n    "+bad+"\n")
		c, err := Load(p, env(nil))
		if err == nil {
			_, err = c.Catalog()
		}
		if err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}
