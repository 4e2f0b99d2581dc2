// Package check implements 'hookctl check [URL]'.
package check

import (
	"context"
	_ "embed"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/check"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/mutate"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/ui"
)

// Options holds check's dependencies and flag values.
type Options struct {
	IO      *iostreams.IOStreams
	Getenv  func(string) string // finds a running listen's record (no URL given)
	Now     func() time.Time
	IDs     *ids.Generator
	Catalog func() (*catalog.Catalog, error)
	// Secrets builds the one secrets resolver over the secret flags.
	Secrets func(secrets.CommandLine) (*secrets.Resolver, error)
	Config  func() (*config.Config, error) // providers.meta.verify_token
	Styles  func() *ui.Styles
	Version string
	JSON    bool
	Quiet   bool
	// Client sends the battery; nil is delivery's client, which never
	// follows redirects.
	Client *http.Client

	URL          string // the argument; "" resolves --to, else the running listen
	To           string // --to (HOOKCTL_TO, to: in the config file)
	ToGiven      bool   // --to was on the command line
	Provider     string
	Event        string
	SecretArgs   []string
	SecretFile   []string // --secret-file, repeatable
	Only         []string
	Skip         []string
	AnswerWithin time.Duration
	Timeout      time.Duration
	JUnit        string
	Insecure     bool
	VerifyToken  string
}

//go:embed long.txt
var long string // the help text

// NewCmdCheck builds 'hookctl check'; runF replaces the work in tests.
func NewCmdCheck(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IOStreams, Getenv: f.Getenv, Now: f.Now, IDs: f.IDs, Catalog: f.Catalog, Secrets: f.Secrets, Config: f.Config, Styles: f.Styles, Version: f.Build.Version,
	}
	cmd := &cobra.Command{
		Use:   "check [URL] --provider P",
		Short: "Grade a webhook endpoint: does it reject forgeries, answer in time, survive redelivery?",
		Long:  long,
		Example: `  hookctl check localhost:5000/webhooks --provider generic --secret s3cr3t
  hookctl check https://abc.ngrok.app/stripe --provider stripe --only valid,stale-timestamp
  hookctl check :3000/hooks --provider notify --json
  hookctl check localhost:8080/slack --provider slack --junit check.xml
  hookctl check --provider generic --secret s3cr3t    # the running hookctl listen`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.URL = args[0]
			}
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			to := cmd.Flags().Lookup("to")
			cfg.Bind("to", to)
			opts.To, opts.ToGiven = cfg.To(), to.Changed
			opts.JSON, opts.Quiet = f.JSON(), f.Quiet()
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := cmdutil.StopOnSignal(cmd.Context(), f.IOStreams)
			defer stop()
			return checkRun(ctx, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.To, "to", "t", "", "the endpoint, as the URL argument (default: the running hookctl listen)")
	fl.StringVarP(&opts.Provider, "provider", "p", "", "the endpoint's provider (inferred from --event when only one sends it)")
	fl.StringVarP(&opts.Event, "event", "e", "", "event to send (default the provider's first)")
	cmdutil.AddSecretFlags(cmd, &opts.SecretArgs, &opts.SecretFile, "the endpoint verifies with")
	fl.StringSliceVar(&opts.Only, "only", nil, "run only these checks: `NAME,...` (see the list above)")
	fl.StringSliceVar(&opts.Skip, "skip", nil, "skip these checks: `NAME,...`")
	fl.DurationVar(&opts.AnswerWithin, "answer-within", check.DefaultAnswerWithin, "answer-time limit for providers that document none")
	fl.DurationVar(&opts.Timeout, "timeout", check.DefaultTimeout, "give up on a request after this long")
	fl.StringVar(&opts.JUnit, "junit", "", "also write a JUnit XML report to `FILE`")
	fl.BoolVarP(&opts.Insecure, "insecure", "k", false, "accept any TLS certificate (self-signed local endpoints)")
	fl.StringVar(&opts.VerifyToken, "verify-token", "", "meta: the verify token of the handshake check (default: providers.meta.verify_token, else the meta secret)")
	cmdutil.RegisterProviderCompletion(cmd, f)
	_ = cmd.RegisterFlagCompletionFunc("event", cmdutil.CompleteEvents(f))
	names := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return mutate.Names(), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
	_ = cmd.RegisterFlagCompletionFunc("only", names)
	_ = cmd.RegisterFlagCompletionFunc("skip", names)
	return cmd
}

func checkRun(ctx context.Context, opts *Options) error {
	spec, given, err := opts.spec()
	if err != nil {
		return err
	}
	var junit *os.File
	if opts.JUnit != "" { // opened first: a bad path fails before anything is sent
		if junit, err = os.Create(opts.JUnit); err != nil {
			return cmdutil.Usagef("--junit %s: %v", opts.JUnit, err)
		}
		defer junit.Close()
	}
	pr := &present.Check{IO: opts.IO, Styles: opts.Styles(), Reproduce: reproducer(spec, given)}
	if !opts.Quiet {
		spec.Observe = pr.Progress
	}
	started := opts.Now()
	rep, err := check.Run(ctx, *spec)
	if err != nil {
		if junit != nil { // no report to write: leave no empty file behind
			junit.Close()
			os.Remove(opts.JUnit)
		}
		return cmdutil.AsUsage(err)
	}
	if opts.JSON {
		err = pr.JSON(rep)
	} else {
		err = pr.Report(rep)
	}
	if err != nil {
		return err
	}
	if junit != nil {
		if err := pr.JUnit(junit, rep, started); err != nil {
			return cmdutil.Failedf("--junit %s: %v", opts.JUnit, err)
		}
		if err := junit.Close(); err != nil {
			return cmdutil.Failedf("--junit %s: %v", opts.JUnit, err)
		}
	}
	if ctx.Err() != nil {
		return cmdutil.Failedf("interrupted: the checks not run are counted as skipped")
	}
	if !rep.OK() {
		return cmdutil.ErrSilentFailure
	}
	return nil
}

// spec turns the flags into a run of the battery; given are the secrets
// the command line gave.
func (o *Options) spec() (*check.Spec, []secrets.Secret, error) {
	switch {
	case o.Timeout <= 0:
		return nil, nil, cmdutil.Usagef("invalid --timeout %s: want a positive duration like 30s", o.Timeout)
	case o.AnswerWithin <= 0:
		return nil, nil, cmdutil.Usagef("invalid --answer-within %s: want a positive duration like 10s", o.AnswerWithin)
	case o.Provider == "" && o.Event == "":
		return nil, nil, cmdutil.Usagef("which provider does the endpoint take webhooks from? pass --provider (see 'hookctl providers')")
	}
	only, err := check.ParseNames("--only", o.Only)
	if err != nil {
		return nil, nil, cmdutil.AsUsage(err)
	}
	skip, err := check.ParseNames("--skip", o.Skip)
	if err != nil {
		return nil, nil, cmdutil.AsUsage(err)
	}
	target, err := o.target()
	if err != nil {
		return nil, nil, err
	}
	cat, err := o.Catalog()
	if err != nil {
		return nil, nil, err
	}
	var p *catalog.Provider
	if o.Event != "" {
		p, err = cat.ResolveEvent(o.Event, o.Provider)
	} else {
		p, err = cat.Lookup(o.Provider)
	}
	if err != nil {
		return nil, nil, cmdutil.AsUsage(err)
	}
	res, err := o.Secrets(secrets.CommandLine{Values: o.SecretArgs, Files: o.SecretFile, Provider: p})
	if err != nil {
		return nil, nil, err
	}
	keys, err := cmdutil.SecretsFor(res, p.Name)
	if err != nil {
		return nil, nil, err
	}
	spec := &check.Spec{
		URL: target, Provider: p, Event: o.Event, Secrets: keys, Only: only, Skip: skip,
		VerifyToken: cmdutil.VerifyToken(o.VerifyToken, o.Config, p.Name),
		Limits:      check.Limits{AnswerWithin: o.AnswerWithin, Timeout: o.Timeout},
		UserAgent:   delivery.UserAgent(o.Version), Now: o.Now, IDs: o.IDs,
	}
	if limit, _ := check.AnswerLimit(p, spec.Limits); o.Timeout <= limit {
		return nil, nil, cmdutil.Usagef("--timeout %s must be longer than the answer-time limit (%s), so that a slow endpoint still shows its status", o.Timeout, limit)
	}
	client := o.Client
	if client == nil {
		client = delivery.NewClient(delivery.ClientOptions{Insecure: o.Insecure})
	}
	spec.Send = check.HTTPSender(client, o.Timeout)
	if spec.Event == "" {
		spec.Event = check.FirstEvent(p)
	}
	return spec, res.Given(p.Name), nil
}

// target is the endpoint: the URL argument, else where trigger and replay
// send without one (--to, else the running hookctl listen).
func (o *Options) target() (*url.URL, error) {
	if o.URL == "" {
		return cmdutil.ResolveTarget(o.IO, o.To, "", o.Getenv)
	}
	if o.ToGiven {
		return nil, cmdutil.Usagef("the endpoint is given twice (%s and --to %s): give the URL or --to", o.URL, o.To)
	}
	target, err := delivery.ParseTarget(o.URL)
	var bad *delivery.TargetError
	switch {
	case errors.As(err, &bad):
		return nil, cmdutil.Usagef("invalid URL %q: %s; want %s", bad.Value, bad.Why, delivery.TargetForms)
	case err != nil:
		return nil, cmdutil.Usagef("no URL: name the endpoint to check, e.g. 'hookctl check localhost:5000/webhooks --provider generic'")
	}
	return target, nil
}

// reproducer gives each check's 'hookctl trigger --mutate' command. A
// secret given on the command line is not printed: a placeholder stands
// for it (a file is named); one found elsewhere trigger finds again.
func reproducer(s *check.Spec, given []secrets.Secret) func(string) string {
	base := []string{"hookctl", "trigger", s.Event, "--provider", s.Provider.Name, "--to", s.URL.String()}
	for _, g := range given {
		if g.Where != "" {
			base = append(base, "--secret-file", g.Where)
		} else {
			base = append(base, "--secret", "'<secret>'")
		}
	}
	return func(name string) string {
		words := append(append([]string(nil), base...), "--mutate", name)
		if name == mutate.Handshake && s.VerifyToken != "" { // trigger finds one from the config again
			words = append(words, "--verify-token", "'<verify-token>'")
		}
		for i, w := range words {
			if w != "'<secret>'" && w != "'<verify-token>'" {
				words[i] = shellQuote(w)
			}
		}
		return strings.Join(words, " ")
	}
}

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
