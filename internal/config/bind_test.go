package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// listenFlags is a flag set shaped like a command's.
func listenFlags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("listen", pflag.ContinueOnError)
	fs.Int("port", 8787, "")
	fs.String("host", "127.0.0.1", "")
	fs.StringArray("forward-to", nil, "")
	fs.Duration("timeout", 0, "")
	fs.Bool("no-capture", false, "")
	fs.Float64("retry-scale", 1, "")
	fs.String("to", "", "")
	fs.StringArray("secret", nil, "")
	return fs
}

const bindFile = `to: global:1
listen:
  port: 9000
  host: 0.0.0.0
  forward-to:
    - localhost:3000/a
    - localhost:3000/b
  timeout: 30s
  no-capture: true
`

func TestBindFlagsPrecedence(t *testing.T) {
	path := write(t, t.TempDir(), "hookctl.yaml", bindFile)
	vars := map[string]string{"HOOKCTL_LISTEN_HOST": "10.0.0.1", "HOOKCTL_LISTEN_RETRY_SCALE": "0.001"}
	cfg, err := Load(path, env(vars))
	if err != nil {
		t.Fatal(err)
	}
	fs := listenFlags()
	if err := fs.Parse([]string{"--port", "7000"}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.BindFlags("listen", fs); err != nil {
		t.Fatal(err)
	}
	get := func(name string) string { return fs.Lookup(name).Value.String() }
	origin := func(name string) string {
		s, ok := cfg.Setting("listen." + name)
		if !ok {
			t.Fatalf("listen.%s not recorded", name)
		}
		return s.Origin.String()
	}
	for _, c := range []struct{ flag, value, origin string }{
		{"port", "7000", "flag --port"},                                    // flag > file
		{"host", "10.0.0.1", "environment HOOKCTL_LISTEN_HOST"},            // env > file
		{"retry-scale", "0.001", "environment HOOKCTL_LISTEN_RETRY_SCALE"}, // env > default
		{"forward-to", "[localhost:3000/a,localhost:3000/b]", path + ":5"}, // a list
		{"timeout", "30s", path + ":8"},                                    // file > default
		{"no-capture", "true", path + ":9"},                                //
		{"to", "global:1", path + ":1"},                                    // the global, for --to
		{"secret", "[]", "default"},                                        // a default
	} {
		if got := get(c.flag); got != c.value {
			t.Errorf("--%s = %s, want %s", c.flag, got, c.value)
		}
		if got := origin(c.flag); got != c.origin {
			t.Errorf("--%s from %q, want %q", c.flag, got, c.origin)
		}
	}
	if fs.Lookup("host").Changed {
		t.Errorf("a setting marks its flag as given on the command line")
	}
	if d, _ := fs.GetDuration("timeout"); d != 30*time.Second {
		t.Errorf("timeout %v", d)
	}
	if got := Value(fs.Lookup("forward-to")); !reflect.DeepEqual(got, []string{"localhost:3000/a", "localhost:3000/b"}) {
		t.Errorf("Value(forward-to) = %#v", got)
	}
	if got := Value(fs.Lookup("port")); got != float64(7000) {
		t.Errorf("Value(port) = %#v", got)
	}

	// A command's own setting beats the global one of the same name, in
	// the environment and in the file; To follows the bound flag.
	vars["HOOKCTL_TO"] = "env-global:2"
	fs = listenFlags()
	_ = cfg.BindFlags("listen", fs)
	cfg.Bind("to", fs.Lookup("to"))
	if got := cfg.To(); got != "env-global:2" {
		t.Errorf("HOOKCTL_TO over the file's to: %q", got)
	}
	vars["HOOKCTL_LISTEN_TO"] = "env-own:3"
	fs = listenFlags()
	_ = cfg.BindFlags("listen", fs)
	cfg.Bind("to", fs.Lookup("to"))
	if got := cfg.To(); got != "env-own:3" {
		t.Errorf("HOOKCTL_LISTEN_TO over HOOKCTL_TO: %q", got)
	}
	// A global secret is no --secret: the secrets resolver reads it.
	path = write(t, t.TempDir(), "hookctl.yaml", "secret: s\n")
	cfg, _ = Load(path, env(nil))
	fs = listenFlags()
	_ = cfg.BindFlags("listen", fs)
	if got := get("secret"); got != "[]" {
		t.Errorf("the global secret became --secret %s", got)
	}
}

func TestBindFlagsGlobals(t *testing.T) {
	path := write(t, t.TempDir(), "hookctl.yaml", "json: true\ncolor: never\n")
	cfg, err := Load(path, env(map[string]string{"HOOKCTL_QUIET": "1"}))
	if err != nil {
		t.Fatal(err)
	}
	fs := pflag.NewFlagSet("root", pflag.ContinueOnError)
	fs.Bool("json", false, "")
	fs.String("color", "auto", "")
	fs.Bool("quiet", false, "")
	fs.String("config", "", "")
	_ = fs.Parse([]string{"--color", "always"})
	if err := cfg.BindFlags("", fs); err != nil {
		t.Fatal(err)
	}
	if !cfg.JSON() || !cfg.Quiet() || cfg.Color() != "always" {
		t.Errorf("json %v quiet %v color %q", cfg.JSON(), cfg.Quiet(), cfg.Color())
	}
	if _, ok := cfg.Setting("config"); ok {
		t.Errorf("--config is recorded as a setting")
	}
	// Without bound flags, the same layers.
	cfg, _ = Load(path, env(nil))
	if !cfg.JSON() || cfg.Quiet() || cfg.Color() != "never" || cfg.To() != "" {
		t.Errorf("unbound: json %v quiet %v color %q to %q", cfg.JSON(), cfg.Quiet(), cfg.Color(), cfg.To())
	}
}

func TestBindFlagsTypeErrors(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string]string{
		"listen:\n  port: nine\n":        `line 2: listen.port: "nine" is not a whole number`,
		"listen:\n  port: [1, 2]\n":      "line 2: listen.port is a list, not a whole number",
		"listen:\n  port: {a: 1}\n":      "line 2: listen.port is a map, not a whole number",
		"listen:\n\n  timeout: 5\n":      `line 3: listen.timeout: "5" is not a duration like 30s or 5m`,
		"listen:\n  no-capture: yes\n":   `line 2: listen.no-capture: "yes" is not true or false`,
		"listen:\n  forward-to: [[a]]\n": "line 2: listen.forward-to is a list of lists or maps, not a value or a list of values",
		"listen:\n  retry-scale: fast\n": `line 2: listen.retry-scale: "fast" is not a number`,
	} {
		path := write(t, dir, "c.yaml", text)
		cfg, err := Load(path, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		err = cfg.BindFlags("listen", listenFlags())
		var se *SettingError
		if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), "config file "+path+", ") || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
	cfg, _ := Load("", env(map[string]string{"HOOKCTL_LISTEN_PORT": "x"}))
	if err := cfg.BindFlags("listen", listenFlags()); err == nil || err.Error() != `HOOKCTL_LISTEN_PORT="x": the value must be a whole number` {
		t.Errorf("env: %v", err)
	}
	// An empty key (null) is not set.
	path := write(t, dir, "c.yaml", "listen:\n  port:\n")
	cfg, _ = Load(path, env(nil))
	fs := listenFlags()
	if err := cfg.BindFlags("listen", fs); err != nil || fs.Lookup("port").Value.String() != "8787" {
		t.Errorf("null port: %v, %s", err, fs.Lookup("port").Value)
	}
}

func TestEnvName(t *testing.T) {
	for _, c := range [][3]string{
		{"listen", "port", "HOOKCTL_LISTEN_PORT"},
		{"trigger", "retry-scale", "HOOKCTL_TRIGGER_RETRY_SCALE"},
		{"capture.prune", "older-than", "HOOKCTL_CAPTURE_PRUNE_OLDER_THAN"},
		{"", "json", "HOOKCTL_JSON"},
		{"standard-webhooks", "secret", "HOOKCTL_STANDARD_WEBHOOKS_SECRET"},
	} {
		if got := EnvName(c[0], c[1]); got != c[2] {
			t.Errorf("EnvName(%q, %q) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
}

func TestCheck(t *testing.T) {
	path := write(t, t.TempDir(), "hookctl.yaml", `lisen:
  port: 1
listen:
  prot: 1
  json: true
  port: 2
trigger:
  anything: goes
secrets:
  strpe: x
  stripe: y
providers:
  acme:
    signature_heder: X
    signature_header: X
config: other.yaml
`)
	cfg, err := Load(path, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Check(Known{
		Commands:  []string{"listen", "trigger", "sign"},
		Sections:  map[string]*pflag.FlagSet{"listen": listenFlags()},
		Providers: []string{"stripe", "notify", "standard-webhooks"},
		Environ: []string{"HOME=/x", "HOOKCTL_LISTEN_PROT=1", "HOOKCTL_LISTEN_PORT=2", "HOOKCTL_TRIGGER_ANY=1",
			"HOOKCTL_STRIPE_SECRET=s", "HOOKCTL_STANDARD_WEBHOOKS_SECRET=s", "HOOKCTL_STRPE_SECRET=s", "HOOKCTL_JSNO=1", "HOOKCTL_EMPTY="},
	})
	want := []string{
		path + ":1: unknown setting lisen; did you mean listen?",
		path + ":16: config is no setting of the file (it names the file: use --config or HOOKCTL_CONFIG)",
		path + ":4: unknown setting listen.prot: listen has no flag --prot; did you mean port?",
		path + ":5: listen.json: json is a global setting: write it at the top level",
		path + ":10: secrets.strpe: strpe is not a provider; did you mean stripe?",
		path + ":14: unknown setting providers.acme.signature_heder; did you mean signature_header?",
		"unknown variable HOOKCTL_LISTEN_PROT; did you mean HOOKCTL_LISTEN_PORT?",
		"unknown variable HOOKCTL_STRPE_SECRET; did you mean HOOKCTL_STRIPE_SECRET?",
		"unknown variable HOOKCTL_JSNO; did you mean HOOKCTL_JSON?",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
