package secrets_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/secrets"
)

const (
	whsecPadded = "whsec_c2VjcmV0MTIzNA==" // base64 that ends in '='
	whsecStd    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
)

// provider is a built-in provider, for CommandLine.Provider.
func provider(t *testing.T, name string) *catalog.Provider {
	t.Helper()
	cat, err := catalog.New()
	if err == nil {
		var p *catalog.Provider
		if p, err = cat.Lookup(name); err == nil {
			return p
		}
	}
	t.Fatal(err)
	return nil
}

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustNew(t *testing.T, cl secrets.CommandLine, src secrets.Sources) *secrets.Resolver {
	t.Helper()
	r, err := secrets.New(nil, cl, src)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// values resolves one provider and returns the values joined by commas,
// and the step they came from.
func values(t *testing.T, r *secrets.Resolver, provider string) (string, secrets.Source) {
	t.Helper()
	list, src, err := r.For(provider)
	if err != nil {
		t.Fatalf("For(%s): %v", provider, err)
	}
	vals, err := r.Values(provider)
	if err != nil || !reflect.DeepEqual(vals, secrets.Values(list)) {
		t.Errorf("Values(%s) = %q, %v; For gave %v", provider, vals, err, list)
	}
	return strings.Join(vals, ","), src
}

func TestForms(t *testing.T) {
	dir := t.TempDir()
	bareFile := write(t, dir, "bare.txt", "from-file\n")
	stripeFile := write(t, dir, "stripe.txt", "whsec_c3RyaXBl\n")
	eqFile := write(t, dir, "a=b.txt", "eq-in-name")
	r, err := secrets.New(nil, secrets.CommandLine{
		Values: []string{"notify=a=b", whsecPadded, "standard-webhooks=" + whsecStd, "key=value", "whsec_abc="},
		Files:  []string{bareFile, "stripe=" + stripeFile, eqFile},
	}, secrets.Sources{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		provider, want string
		source         secrets.Source
	}{
		// P=S: the rest after the first '=' is the secret, '=' and all.
		{"notify", "a=b", secrets.SourceNamed},
		// P may be an alias; the secret is filed under the provider's name.
		{"standard", whsecStd, secrets.SourceNamed},
		// P=FILE.
		{"stripe", "whsec_c3RyaXBl", secrets.SourceNamed},
		// Bare: whsec_...= stays whole, a text secret with '=' before
		// which is no provider stays whole; then the files, in order.
		{"github", whsecPadded + ",key=value,whsec_abc=,from-file,eq-in-name", secrets.SourceBare},
	} {
		got, src := values(t, r, c.provider)
		if got != c.want || src != c.source {
			t.Errorf("%s: %q from %v, want %q from %v", c.provider, got, src, c.want, c.source)
		}
	}
	list, _, _ := r.For("stripe")
	if list[0].Where != stripeFile {
		t.Errorf("stripe's secret is from %q, want %s", list[0].Where, stripeFile)
	}
	if got := r.Given("notify"); len(got) != 1 || got[0].Value != "a=b" {
		t.Errorf("Given(notify) = %v", got)
	}
}

// With --provider the bare secrets are for it alone, and must be keys of
// its scheme; other providers fall through to the next steps.
func TestBareForProvider(t *testing.T) {
	env := map[string]string{"HOOKCTL_STRIPE_SECRET": "whsec_from_env"}
	src := secrets.Sources{Getenv: func(k string) string { return env[k] }}
	r, err := secrets.New(nil, secrets.CommandLine{Values: []string{"s3cr3t"}, Provider: provider(t, "notify")}, src)
	if err != nil {
		t.Fatal(err)
	}
	if got, src := values(t, r, "notify"); got != "s3cr3t" || src != secrets.SourceBare {
		t.Errorf("notify: %q from %v", got, src)
	}
	if got, src := values(t, r, "stripe"); got != "whsec_from_env" || src != secrets.SourceProviderEnv {
		t.Errorf("stripe: %q from %v", got, src)
	}
	if got, src := values(t, r, "github"); got != "" || src != secrets.SourceNone {
		t.Errorf("github: %q from %v", got, src)
	}
	if r.Given("github") != nil {
		t.Error("bare secrets given for --provider notify were given to github")
	}
	_, err = secrets.New(nil, secrets.CommandLine{Values: []string{"not-base64!"}, Provider: provider(t, "standard")}, src)
	var ke *secrets.KeyError
	if !errors.As(err, &ke) || ke.Provider != "standard" || !strings.Contains(err.Error(), "whsec_") {
		t.Errorf("a bare secret that is no key for --provider: %v", err)
	}
}

// The whole order, one step removed at a time.
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfgFile := write(t, dir, "hookctl.yaml", "secret: file-any\nsecrets:\n  notify: file-notify\n  notion: file-notion\n")
	env := map[string]string{"XDG_STATE_HOME": dir}
	getenv := func(k string) string { return env[k] }
	cfg, err := config.Load(cfgFile, getenv)
	if err != nil {
		t.Fatal(err)
	}
	token := "secret_saved"
	src := secrets.Sources{
		Getenv: getenv,
		Config: cfg.FileSecrets,
		NotionToken: func() (string, string, error) {
			return token, filepath.Join(dir, "token"), nil
		},
	}
	cl := secrets.CommandLine{Values: []string{"notify=for-notify", "bare"}, Files: []string{"notion=" + write(t, dir, "n.txt", "secret_file")}}
	env["HOOKCTL_NOTIFY_SECRET"], env["HOOKCTL_SECRET"] = "env-notify", "env-any"
	for _, step := range []struct {
		want   string
		source secrets.Source
		next   func()
	}{
		{"for-notify", secrets.SourceNamed, func() { cl.Values = cl.Values[1:] }},
		{"bare", secrets.SourceBare, func() { cl.Values = nil }},
		{"env-notify", secrets.SourceProviderEnv, func() { delete(env, "HOOKCTL_NOTIFY_SECRET") }},
		{"env-any", secrets.SourceEnv, func() { delete(env, "HOOKCTL_SECRET") }},
		{"file-notify", secrets.SourceConfig, nil},
	} {
		got, src := values(t, mustNew(t, cl, src), "notify")
		if got != step.want || src != step.source {
			t.Errorf("notify: %q from %v, want %q from %v", got, src, step.want, step.source)
		}
		if step.next != nil {
			step.next()
		}
	}
	// The file's own order: secrets.<p>, then the global secret.
	if got, src := values(t, mustNew(t, cl, src), "github"); got != "file-any" || src != secrets.SourceConfig {
		t.Errorf("github: %q from %v", got, src)
	}
	list, _, _ := mustNew(t, cl, src).For("github")
	if list[0].Where != cfgFile {
		t.Errorf("the file's secret is from %q", list[0].Where)
	}

	// Notion: the command line, the file, then the saved token.
	if got, _ := values(t, mustNew(t, cl, src), "notion"); got != "secret_file" {
		t.Errorf("notion: %q", got)
	}
	cl.Files = nil
	if got, _ := values(t, mustNew(t, cl, src), "notion"); got != "file-notion" {
		t.Errorf("notion: %q", got)
	}
	src.Config = nil
	if got, s := values(t, mustNew(t, cl, src), "notion"); got != "secret_saved" || s != secrets.SourceHandshake {
		t.Errorf("notion: %q from %v", got, s)
	}
	// The token is for notion only.
	if got, _ := values(t, mustNew(t, cl, src), "notify"); got != "" {
		t.Errorf("notify: %q", got)
	}
	token = ""
	if got, s := values(t, mustNew(t, cl, src), "notion"); got != "" || s != secrets.SourceNone {
		t.Errorf("notion without a token: %q from %v", got, s)
	}
	src.NotionToken = func() (string, string, error) { return "", "/state/token", os.ErrPermission }
	if _, _, err := mustNew(t, cl, src).For("notion"); err == nil || !strings.Contains(err.Error(), "/state/token") {
		t.Errorf("an unreadable token: %v", err)
	}
}

// Both flags count: every candidate is kept, values first, in each step.
func TestBothFlags(t *testing.T) {
	dir := t.TempDir()
	r := mustNew(t, secrets.CommandLine{
		Values: []string{"stripe=whsec_b2xk", "bare-value"},
		Files:  []string{"stripe=" + write(t, dir, "s", "whsec_bmV3"), write(t, dir, "b", "bare-file")},
	}, secrets.Sources{})
	if got, _ := values(t, r, "stripe"); got != "whsec_b2xk,whsec_bmV3" {
		t.Errorf("stripe: %q", got)
	}
	if got, _ := values(t, r, "notify"); got != "bare-value,bare-file" {
		t.Errorf("notify: %q", got)
	}
}

func TestTypos(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		cl         secrets.CommandLine
		name, near string
		file       bool
	}{
		{secrets.CommandLine{Values: []string{"strpe=whsec_x"}}, "strpe", "stripe", false},
		{secrets.CommandLine{Values: []string{"Githbu=s"}}, "Githbu", "github", false},
		{secrets.CommandLine{Values: []string{"standard-webhook=whsec_x"}}, "standard-webhook", "standard-webhooks", false},
		{secrets.CommandLine{Files: []string{"notfy=" + filepath.Join(dir, "k")}}, "notfy", "notify", true},
		{secrets.CommandLine{Values: []string{"notifl=s"}}, "notifl", "notify or notifly", false},
	} {
		_, err := secrets.New(nil, c.cl, secrets.Sources{})
		var te *secrets.TypoError
		if !errors.As(err, &te) || te.Name != c.name || strings.Join(te.Near, " or ") != c.near || te.File != c.file {
			t.Errorf("%v: %v, want %s is a typo of %s", c.cl, err, c.name, c.near)
			continue
		}
		if want := c.name + " is not a provider; did you mean " + c.near + "?"; err.Error() != want {
			t.Errorf("%q, want %q", err, want)
		}
	}
	// Far from every provider, or not a name at all: a bare secret.
	r := mustNew(t, secrets.CommandLine{Values: []string{"password=x", "a b=c", "=lead", whsecPadded + "=", "whsec_strpe=x"}}, secrets.Sources{})
	if got, _ := values(t, r, "stripe"); got != "password=x,a b=c,=lead,"+whsecPadded+"=,whsec_strpe=x" {
		t.Errorf("bare: %q", got)
	}
	// A file really named like a typo is read.
	t.Chdir(dir)
	write(t, dir, "strpe=x", "in-file")
	if got, _ := values(t, mustNew(t, secrets.CommandLine{Files: []string{"strpe=x"}}, secrets.Sources{}), "stripe"); got != "in-file" {
		t.Errorf("file strpe=x: %q", got)
	}
}

func TestArgErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		cl   secrets.CommandLine
		want string
	}{
		{secrets.CommandLine{Values: []string{""}}, "secret is empty"},
		{secrets.CommandLine{Values: []string{"notify="}}, "secret notify= has no secret after the '='"},
		{secrets.CommandLine{Values: []string{"standard=whsec_!!"}}, "standard: the secret must be whsec_"},
		{secrets.CommandLine{Files: []string{""}}, "secret file is empty: name a file"},
		{secrets.CommandLine{Files: []string{"notify="}}, "secret file notify= has no file after the '='"},
		{secrets.CommandLine{Files: []string{write(t, dir, "empty", "\n")}}, "is empty"},
		{secrets.CommandLine{Files: []string{filepath.Join(dir, "nope")}}, "nope: no such file or directory"},
		{secrets.CommandLine{Files: []string{"standard=" + write(t, dir, "bad", "whsec_!!")}}, "standard: the secret must be whsec_"},
	} {
		_, err := secrets.New(nil, c.cl, secrets.Sources{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.cl, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "--") {
			t.Errorf("%v: %q names a flag: the command layer does", c.cl, err)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string]string{"s3cr3t\n": "s3cr3t", "s3cr3t\r\n": "s3cr3t", "s3cr3t": "s3cr3t", "two\nlines\n": "two\nlines", " spaced \n": " spaced "} {
		got, err := secrets.ReadFile(write(t, dir, "s", text))
		if err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", text, got, err, want)
		}
	}
}

func TestEnvName(t *testing.T) {
	for p, want := range map[string]string{"notify": "HOOKCTL_NOTIFY_SECRET", "standard-webhooks": "HOOKCTL_STANDARD_WEBHOOKS_SECRET", "my.app": "HOOKCTL_MY_APP_SECRET"} {
		if got := secrets.EnvName(p); got != want {
			t.Errorf("EnvName(%s) = %s, want %s", p, got, want)
		}
	}
}

// A handshake's token comes first for notion; what notion had stays.
func TestUseNotionToken(t *testing.T) {
	r := mustNew(t, secrets.CommandLine{}, secrets.Sources{})
	r.UseNotionToken("secret_tok")
	if got, src := values(t, r, "notion"); got != "secret_tok" || src != secrets.SourceHandshake {
		t.Errorf("notion after handshake: %q from %v", got, src)
	}
	r = mustNew(t, secrets.CommandLine{Values: []string{"notion=old", "secret_tok"}}, secrets.Sources{})
	r.UseNotionToken("secret_tok")
	if got, _ := values(t, r, "notion"); got != "secret_tok,old" {
		t.Errorf("notion after handshake: %s", got)
	}
}

// Each provider is looked up once, from any number of goroutines.
func TestLooksUpOnce(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	r := mustNew(t, secrets.CommandLine{}, secrets.Sources{Getenv: func(k string) string {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return map[string]string{"HOOKCTL_SECRET": "s"}[k]
	}})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if v, _ := r.Values("notify"); len(v) != 1 {
					t.Error(v)
				}
			}
		}()
	}
	wg.Wait()
	if calls > 2*8 { // two variables, at most once per goroutine racing the first
		t.Errorf("%d environment reads", calls)
	}
}
