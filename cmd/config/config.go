// Package config implements 'hookctl config'.
package config

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/devsecret"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
)

//go:embed long.txt
var long string // the help text

// Options holds the command's dependencies and flag values.
type Options struct {
	IO      *iostreams.IOStreams
	Config  func() (*config.Config, error)
	Catalog func() (*catalog.Catalog, error)
	// Sources are the secrets' places after the command line (the
	// development secret's step left out: this command never makes it).
	Sources func() (secrets.Sources, error)
	DevPath string
	// Commands are every other command, freshly built, whose flags are
	// shown; Warn checks the settings of those given.
	Commands []*cobra.Command
	Warn     func(sections map[string]*pflag.FlagSet) error
	JSON     bool

	Only string // COMMAND: show its settings alone (and the global ones)
}

// NewCmdConfig builds 'hookctl config'; commands builds every other
// command (for their flags); runF replaces the work in tests.
func NewCmdConfig(f *cmdutil.Factory, commands func(*cmdutil.Factory) []*cobra.Command, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Config: f.Config, Catalog: f.Catalog, Sources: f.SecretSources}
	cmd := &cobra.Command{
		Use:   "config [COMMAND]",
		Short: "Print the effective settings and where each came from",
		Long:  long,
		Example: `  hookctl config
  hookctl config listen
  hookctl config --json`,
		Args:              cobra.MaximumNArgs(1),
		Annotations:       map[string]string{cmdutil.ChecksConfigAnnotation: "true"},
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.JSON()
			opts.DevPath = f.DevSecretPath()
			opts.Commands = commands(f)
			opts.Warn = func(sections map[string]*pflag.FlagSet) error {
				names := make([]string, 0, len(opts.Commands)+1)
				for _, c := range opts.Commands {
					names = append(names, c.Name())
				}
				return cmdutil.WarnConfig(f, sections, append(names, cmd.Name()))
			}
			if len(args) > 0 {
				opts.Only = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return configRun(opts)
		},
	}
	return cmd
}

// Row is one setting as printed; --json prints a list of them.
type Row struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Origin string `json:"origin"`          // flag, environment, file, default
	Where  string `json:"where,omitempty"` // the flag, the variable, the file
	Line   int    `json:"line,omitempty"`
	Secret bool   `json:"secret,omitempty"` // the value is masked
}

// Result is what --json prints.
type Result struct {
	File     string `json:"file"` // "" when none was found
	Settings []Row  `json:"settings"`
}

func configRun(opts *Options) error {
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	sections := map[string]*pflag.FlagSet{}
	found := opts.Only == ""
	for _, c := range opts.Commands {
		if opts.Only != "" && c.Name() != opts.Only {
			continue
		}
		found = true
		sections[c.Name()] = c.Flags()
		if err := cfg.BindFlags(c.Name(), c.Flags()); err != nil {
			return cmdutil.AsUsage(err)
		}
	}
	if !found {
		return cmdutil.Usagef("unknown command %q: run 'hookctl config' for every command's settings", opts.Only)
	}
	if err := opts.Warn(sections); err != nil {
		return err
	}
	res := Result{File: cfg.File}
	for _, key := range []string{"color", "json", "quiet"} {
		if s, ok := cfg.Setting(key); ok {
			res.Settings = append(res.Settings, row(s))
		}
	}
	to, origin := cfg.Lookup("to")
	res.Settings = append(res.Settings, withOrigin(Row{Key: "to", Value: to}, origin))
	rows, err := secretRows(opts, cfg)
	if err != nil {
		return err
	}
	res.Settings = append(res.Settings, rows...)
	for _, s := range cfg.Settings() {
		if strings.Contains(s.Key, ".") {
			res.Settings = append(res.Settings, row(s))
		}
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	file := cfg.File
	if file == "" {
		file = "none (looked for ./hookctl.yaml and $XDG_CONFIG_HOME/hookctl/config.yaml)"
	}
	fmt.Fprintf(opts.IO.Out, "config file: %s\n\n", file)
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	for _, r := range res.Settings {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Key, show(r.Value), origins(r))
	}
	return tw.Flush()
}

func row(s config.Setting) Row {
	r := Row{Key: s.Key, Value: config.Value(s.Flag), Secret: s.Secret()}
	if r.Secret {
		r.Value = maskAll(r.Value)
	}
	return withOrigin(r, s.Origin)
}

func withOrigin(r Row, o config.Origin) Row {
	r.Origin = o.Kind.String()
	switch o.Kind {
	case config.FromFlag, config.FromEnv:
		r.Where = o.Name
	case config.FromFile:
		r.Where, r.Line = o.File, o.Line
	}
	return r
}

// secretRows say, for each provider, where its secrets come from (the
// command line aside: this command has no --secret).
func secretRows(opts *Options, cfg *config.Config) ([]Row, error) {
	cat, err := opts.Catalog()
	if err != nil {
		return nil, err
	}
	src, err := opts.Sources()
	if err != nil {
		return nil, err
	}
	src.Dev, src.DevKey = nil, nil // shown, never made, here
	r, err := secrets.New(cat, secrets.CommandLine{}, src)
	if err != nil {
		return nil, cmdutil.SecretError(err)
	}
	dev, _ := devsecret.Peek(opts.DevPath)
	values := func(list []secrets.Secret) any { // one secret as a value, several as a list
		if len(list) == 1 {
			return mask(list[0].Value)
		}
		return maskAll(secrets.Values(list))
	}
	var out []Row
	for _, name := range cat.Names() {
		list, source, err := r.For(name)
		if err != nil {
			return nil, cmdutil.SecretError(err)
		}
		row := Row{Key: "secrets." + name, Secret: true}
		switch source {
		case secrets.SourceNone:
			row.Value, row.Origin, row.Where = "(development secret)", "default", opts.DevPath
			if dev == "" {
				row.Value = "(development secret, made on first use)"
			}
			if p, err := cat.Lookup(name); err == nil && p.Scheme.Asymmetric() {
				row.Value, row.Where = "(development key pair)", ""
			}
		case secrets.SourceConfig:
			row.Value, row.Origin, row.Where = values(list), "file", list[0].Where
			row.Line = secretLine(cfg, name)
		case secrets.SourceProviderEnv, secrets.SourceEnv:
			row.Value, row.Origin, row.Where = values(list), "environment", list[0].Where
		default:
			row.Value, row.Origin, row.Where = values(list), source.String(), list[0].Where
		}
		out = append(out, row)
	}
	return out, nil
}

// secretLine is the line of the file's key that gives a provider's secret.
func secretLine(cfg *config.Config, provider string) int {
	for _, path := range [][]string{{"secrets", provider}, {"providers", provider, "secret"}, {"secret"}} {
		if line := cfg.Line(path...); line > 0 {
			return line
		}
	}
	return 0
}

func origins(r Row) string {
	switch r.Origin {
	case "flag", "environment":
		return r.Origin + " " + r.Where
	case "file":
		return fmt.Sprintf("%s:%d", r.Where, r.Line)
	case "default":
		if r.Where != "" {
			return "default (" + r.Where + ")"
		}
		return "default"
	}
	return r.Origin + " " + r.Where
}

func show(v any) string {
	switch t := v.(type) {
	case []string:
		return "[" + strings.Join(t, ", ") + "]"
	case string:
		if t == "" {
			return `""`
		}
		return t
	}
	return fmt.Sprint(v)
}

// maskAll masks a secret, or a list of them.
func maskAll(v any) any {
	switch t := v.(type) {
	case string:
		return mask(t)
	case []string:
		out := make([]string, len(t))
		for i, s := range t {
			out[i] = mask(s)
		}
		return out
	}
	return v
}

// mask hides a secret but for a well-known prefix (whsec_, secret_).
func mask(s string) string {
	if s == "" {
		return ""
	}
	for _, p := range []string{"whsec_", "secret_"} {
		if strings.HasPrefix(s, p) {
			return p + "****"
		}
	}
	return "****"
}
