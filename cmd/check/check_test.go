package check

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/check/checktest"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/state"
	"github.com/hookctl/hookctl/internal/ui"
)

func testOptions(t *testing.T, bug string) (*Options, *bytes.Buffer) {
	t.Helper()
	cat, _ := catalog.New()
	p, _ := cat.Lookup("notify")
	srv := httptest.NewServer(&checktest.Receiver{Provider: p, Secret: "s3cr3t", Bug: bug})
	t.Cleanup(srv.Close)
	ios, _, out, _ := iostreams.Test()
	return &Options{
		IO: ios, Now: time.Now, IDs: ids.Seeded(1, 2),
		Catalog: func() (*catalog.Catalog, error) { return cat, nil },
		Secrets: cmdutil.SecretsFrom(cat, secrets.Sources{}),
		Styles:  func() *ui.Styles { return ui.New(false) },
		URL:     srv.URL + "/hooks?a=1&b=2", Provider: "notify", SecretArgs: []string{"s3cr3t"},
		AnswerWithin: 10 * time.Second, Timeout: 30 * time.Second,
	}, out
}

func TestCheckRunExitStatus(t *testing.T) {
	opts, out := testOptions(t, "")
	if err := checkRun(context.Background(), opts); err != nil {
		t.Fatalf("a correct endpoint: %v\n%s", err, out)
	}
	opts, out = testOptions(t, checktest.FailDuplicate)
	err := checkRun(context.Background(), opts)
	if cmdutil.ExitCode(err) != 1 || cmdutil.ShouldPrint(err) {
		t.Fatalf("err = %v", err)
	}
	// The URL's query is quoted for the shell; the secret is a placeholder.
	if !strings.Contains(out.String(), "  reproduce: hookctl trigger connection.created --provider notify --to 'http://127.0.0.1:") ||
		!strings.Contains(out.String(), "/hooks?a=1&b=2' --secret '<secret>' --mutate duplicate\n") || strings.Contains(out.String(), "s3cr3t") {
		t.Errorf("output:\n%s", out)
	}
}

// A secret from a file is named in the reproduce command: trigger reads it again.
func TestReproduceNamesASecretFile(t *testing.T) {
	opts, out := testOptions(t, checktest.MissingHeader)
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte("s3cr3t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opts.SecretArgs, opts.SecretFile = nil, []string{file}
	if err := checkRun(context.Background(), opts); cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err = %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), " --secret-file "+file+" --mutate missing-signature\n") {
		t.Errorf("output:\n%s", out)
	}
}

func TestCheckRunJUnitFile(t *testing.T) {
	opts, _ := testOptions(t, checktest.MissingHeader)
	opts.JUnit, opts.JSON = filepath.Join(t.TempDir(), "report.xml"), true
	if err := checkRun(context.Background(), opts); cmdutil.ExitCode(err) != 1 {
		t.Fatalf("err = %v", err)
	}
	b, err := os.ReadFile(opts.JUnit)
	if err != nil || !bytes.Contains(b, []byte(`<testcase name="missing-signature" classname="hookctl.check.notify"`)) {
		t.Fatalf("%v\n%s", err, b)
	}
}

func TestNewCmdCheckFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Getenv: func(string) string { return "" }, NoConfigFile: true}
	var got *Options
	cmd := NewCmdCheck(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"localhost:5000", "-p", "stripe", "-e", "customer.created", "-s", "a", "--only", "valid,duplicate", "--only", "raw-bytes",
		"--skip", "duplicate", "--answer-within", "2s", "--timeout", "9s", "--junit", "r.xml"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.URL != "localhost:5000" || got.Provider != "stripe" || got.Event != "customer.created" || strings.Join(got.SecretArgs, ",") != "a" ||
		strings.Join(got.Only, ",") != "valid,duplicate,raw-bytes" || strings.Join(got.Skip, ",") != "duplicate" ||
		got.AnswerWithin != 2*time.Second || got.Timeout != 9*time.Second || got.JUnit != "r.xml" {
		t.Errorf("options %+v", got)
	}
	for args, want := range map[string]Options{
		"-p stripe":                     {}, // resolved when it runs: --to, else the running listen
		"-p stripe --to localhost:3000": {To: "localhost:3000", ToGiven: true},
	} {
		got = nil
		cmd := NewCmdCheck(f, func(o *Options) error { got = o; return nil })
		cmd.SetArgs(strings.Fields(args))
		if err := cmd.Execute(); err != nil || got.URL != "" || got.To != want.To || got.ToGiven != want.ToGiven {
			t.Errorf("%s: %v, %+v", args, err, got)
		}
	}
	two := NewCmdCheck(f, func(*Options) error { return nil })
	two.SetArgs([]string{"a:1", "b:2", "-p", "stripe"})
	two.SilenceUsage, two.SilenceErrors = true, true
	if err := two.Execute(); err == nil || !strings.Contains(err.Error(), "accepts at most 1 arg(s)") {
		t.Errorf("two URLs: %v", err)
	}
}

// With no URL, check sends where trigger and replay do: --to, else the
// running hookctl listen, else it exits 2 saying both ways.
func TestCheckTargetResolver(t *testing.T) {
	opts, out := testOptions(t, "")
	url := opts.URL
	dir := t.TempDir()
	opts.Getenv = func(k string) string { return map[string]string{"XDG_STATE_HOME": dir}[k] }
	opts.URL, opts.Only = "", []string{"valid"}
	err := checkRun(context.Background(), opts)
	if cmdutil.ExitCode(err) != 2 || err.Error() != cmdutil.NoTargetMessage {
		t.Fatalf("no URL, no listen: %v", err)
	}
	remove, err := state.SaveListener(opts.Getenv, state.Listener{URL: url, PID: os.Getpid(), Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	if err := checkRun(context.Background(), opts); err != nil || !strings.Contains(out.String(), "valid pass (200 ") {
		t.Fatalf("the running listen: %v\n%s", err, out)
	}
	opts.To = "127.0.0.1:1" // --to (or HOOKCTL_TO, to:) comes first
	if spec, _, err := opts.spec(); err != nil || spec.URL.String() != "http://127.0.0.1:1/" {
		t.Errorf("--to: %v %v", spec, err)
	}
	opts.URL, opts.ToGiven = url, true
	if _, _, err := opts.spec(); cmdutil.ExitCode(err) != 2 || !strings.Contains(err.Error(), "the endpoint is given twice") {
		t.Errorf("URL and --to: %v", err)
	}
	opts.ToGiven = false // HOOKCTL_TO or to: in the file: the argument wins
	if spec, _, err := opts.spec(); err != nil || spec.URL.String() != url {
		t.Errorf("the argument over HOOKCTL_TO: %v %v", spec.URL, err)
	}
}

// A self-signed local https endpoint needs --insecure, and says so.
func TestCheckRunInsecure(t *testing.T) {
	cat, _ := catalog.New()
	p, _ := cat.Lookup("notify")
	srv := httptest.NewTLSServer(&checktest.Receiver{Provider: p, Secret: "s3cr3t"})
	defer srv.Close()
	opts, out := testOptions(t, "")
	opts.URL, opts.Only = srv.URL, []string{"valid"}
	if err := checkRun(context.Background(), opts); cmdutil.ExitCode(err) != 1 || !strings.Contains(out.String(), "is not trusted (x509: ") || !strings.Contains(out.String(), "): pass --insecure for a self-signed local certificate") {
		t.Fatalf("err = %v\n%s", err, out)
	}
	opts.Insecure = true
	if err := checkRun(context.Background(), opts); err != nil {
		t.Fatalf("--insecure: %v", err)
	}
}
