package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/state"
	"github.com/hookctl/hookctl/internal/ui"
)

// BuildInfo is set by the linker (see .goreleaser.yaml).
type BuildInfo struct {
	Version string
	Commit  string
	Date    string
}

// Factory holds the dependencies every command shares. Tests build one with
// test streams, a fixed clock and seeded ids.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Build     BuildInfo
	Now       func() time.Time
	IDs       *ids.Generator
	Getenv    func(string) string

	// Environ lists the environment (KEY=VALUE), for the check of unknown
	// HOOKCTL_* variables; nil is the process's.
	Environ func() []string

	// ConfigPath is the --config flag, set by the root command.
	ConfigPath string
	// NoConfigFile makes Config read the environment alone: commands that
	// need no configuration (version, help, completion) never fail on a
	// broken file. Set by the root command.
	NoConfigFile bool

	once   sync.Once
	cfg    *config.Config
	cfgErr error
	cat    *catalog.Catalog

	devOnce  sync.Once
	dev      string
	devErr   error
	devNoted sync.Once
}

// New returns the factory for the real process.
func New(build BuildInfo) *Factory {
	return &Factory{
		IOStreams: iostreams.System(),
		Build:     build,
		Now:       time.Now,
		IDs:       ids.New(),
		Getenv:    os.Getenv,
		Environ:   os.Environ,
	}
}

// Config loads the configuration once; errors are usage errors.
func (f *Factory) Config() (*config.Config, error) {
	f.once.Do(func() {
		if f.NoConfigFile {
			f.cfg = config.EnvOnly(f.Getenv)
		} else {
			f.cfg, f.cfgErr = config.Load(f.ConfigPath, f.Getenv)
		}
		if f.cfgErr == nil {
			f.cat, f.cfgErr = f.cfg.Catalog()
		}
		var named *config.NamedFileError
		if errors.As(f.cfgErr, &named) {
			f.cfgErr = fmt.Errorf("%w (check --config or HOOKCTL_CONFIG)", f.cfgErr)
		}
		f.cfgErr = AsUsage(f.cfgErr)
	})
	return f.cfg, f.cfgErr
}

// Catalog returns the providers: built-ins plus the config file's.
func (f *Factory) Catalog() (*catalog.Catalog, error) {
	if _, err := f.Config(); err != nil {
		return nil, err
	}
	return f.cat, nil
}

// JSON reports --json (or HOOKCTL_JSON, or json: true in the file).
func (f *Factory) JSON() bool {
	cfg, err := f.Config()
	return err == nil && cfg.JSON()
}

// Quiet reports -q/--quiet.
func (f *Factory) Quiet() bool {
	cfg, err := f.Config()
	return err == nil && cfg.Quiet()
}

// Styles for stdout and stderr, from the colour decision.
func (f *Factory) Styles() *ui.Styles    { return ui.New(f.IOStreams.ColorEnabled()) }
func (f *Factory) StylesErr() *ui.Styles { return ui.New(f.IOStreams.ColorEnabledErr()) }

// Secrets builds the secrets resolver over a command line, the
// environment, the config file, the state folder and the development
// secret (see SecretsHelp).
func (f *Factory) Secrets(cl secrets.CommandLine) (*secrets.Resolver, error) {
	src, err := f.SecretSources()
	if err != nil {
		return nil, err
	}
	return SecretsFrom(f.cat, src)(cl)
}

// SecretSources are the places after the command line, for Secrets.
func (f *Factory) SecretSources() (secrets.Sources, error) {
	cfg, err := f.Config()
	if err != nil {
		return secrets.Sources{}, err
	}
	return secrets.Sources{
		Getenv: f.Getenv,
		Config: cfg.FileSecrets,
		NotionToken: func() (string, string, error) {
			tok, err := state.NotionToken(f.Getenv)
			return tok, state.NotionTokenPath(f.Getenv), err
		},
		DevKey: func(p *catalog.Provider) (string, string, error) {
			seed, path, _, err := state.DevKeySeed(f.Getenv, p.Name)
			if err != nil {
				return "", path, err
			}
			key, err := p.Scheme.NewEd25519Secret(seed)
			return key, path, err
		},
		Dev: func(provider string, named []string) (string, string, error) {
			secret, err := f.DevSecret()
			if err == nil {
				f.devNoted.Do(func() { f.noteDevSecret(provider, named) })
			}
			return secret, f.DevSecretPath(), err
		},
	}, nil
}

// OpenBody opens FILE, or stdin for "" and "-". Reading a body from a
// terminal is refused: hookctl never waits on a prompt.
// example is the command to show in the hint, e.g. "hookctl verify ... <
// body.json".
func OpenBody(ios *iostreams.IOStreams, arg, example string) (io.ReadCloser, error) {
	if arg == "" || arg == "-" {
		if ios.IsStdinTTY() {
			return nil, Usagef("no body: pass a FILE or pipe the body on stdin (e.g. %s)", example)
		}
		return io.NopCloser(ios.In), nil
	}
	fh, err := os.Open(arg)
	if err != nil {
		return nil, Usagef("cannot read body file %s: %v", arg, pathErr(err))
	}
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		fh.Close()
		return nil, Usagef("body file %s is a folder: pass a file", arg)
	}
	return fh, nil
}

func pathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// ParseHeaders reads -H 'Name: value' flags. Names must be HTTP tokens and
// values may not hold line breaks, so nothing can smuggle in extra headers.
func ParseHeaders(flags []string) (http.Header, error) {
	h := http.Header{}
	for _, raw := range flags {
		name, value, ok := strings.Cut(raw, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || !validHeaderName(name) {
			return nil, Usagef("header %q is not 'Name: value' (a name of letters, digits and -)", clipFlag(raw))
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			return nil, Usagef("header %s: the value may not contain line breaks or NUL", name)
		}
		h.Add(name, value)
	}
	return h, nil
}

// validHeaderName reports whether s is an HTTP header name (RFC 9110 token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func clipFlag(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// ParseTolerance reads --tolerance: a duration (5m, 300s) or plain seconds; 0 turns the check off.
func ParseTolerance(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return d, nil
	}
	var secs int64
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && fmt.Sprint(secs) == v && secs >= 0 && secs <= math.MaxInt64/int64(time.Second) {
		return time.Duration(secs) * time.Second, nil
	}
	return 0, Usagef("invalid --tolerance %q: use a duration like 5m or 300s, or 0 to turn the check off", v)
}
