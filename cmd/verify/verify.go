// Package verify implements 'hookctl verify'.
package verify

import (
	_ "embed"
	"errors"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/ui"
	"github.com/hookctl/hookctl/internal/verify"
)

// Options holds verify's dependencies and flag values.
type Options struct {
	IO      *iostreams.IOStreams
	Now     func() time.Time
	Catalog func() (*catalog.Catalog, error)
	Secrets func(secrets.CommandLine) (*secrets.Resolver, error)
	Styles  *ui.Styles
	JSON    bool
	Quiet   bool

	Provider   string
	SecretArgs []string
	SecretFile []string // --secret-file, repeatable
	Headers    []string
	NowUnix    string
	Tolerance  string
	URL        string
	Request    string
	File       string
	Getenv     func(string) string
	Capture    cmdutil.CaptureArgs // --capture ID or --last: a captured request
}

//go:embed long.txt
var long string // the help text

// NewCmdVerify builds 'hookctl verify'; runF replaces the work in tests.
func NewCmdVerify(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, Catalog: f.Catalog, Secrets: f.Secrets, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "verify [--provider P] --secret S -H 'Name: value' ... [FILE | -]",
		Short: "Check a webhook's signature",
		Long:  long,
		Example: `  hookctl verify --provider notify --secret s3cr3t -H 'x-notify-signature: 5f1c...' body.json
  hookctl verify --secret whsec_... --request captured.http
  hookctl verify --last --secret notify=s3cr3t
  hookctl show --last | hookctl verify --request - --secret notify=s3cr3t
  hookctl verify --provider stripe --secret whsec_... -H "Stripe-Signature: $SIG" --now 1700000000 body.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File = args[0]
			}
			opts.JSON, opts.Quiet, opts.Styles = f.JSON(), f.Quiet(), f.Styles()
			if runF != nil {
				return runF(opts)
			}
			return verifyRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Provider, "provider", "p", "", "provider (default: detected from the headers)")
	cmdutil.AddSecretFlags(cmd, &opts.SecretArgs, &opts.SecretFile, "to check with (any of several matches)")
	fl.StringArrayVarP(&opts.Headers, "header", "H", nil, "request header 'Name: value' (repeatable)")
	fl.StringVar(&opts.NowUnix, "now", "", "check the time window as of this unix time (default now)")
	fl.StringVar(&opts.Tolerance, "tolerance", "", "time window for timestamped schemes, e.g. 10m; 0 turns it off (default 5m)")
	fl.StringVar(&opts.URL, "url", "", "full request URL, for schemes that sign it (twilio, square, hubspot)")
	fl.StringVar(&opts.Request, "request", "", "read a raw HTTP request (headers and body), or a curl --trace log, from FILE (- for stdin)")
	fl.StringVar(&opts.Capture.ID, "capture", "", "check a captured request again (an id from 'hookctl replay --list')")
	fl.BoolVar(&opts.Capture.Last, "last", false, "check the newest captured request again")
	cmdutil.RegisterProviderCompletion(cmd, f)
	return cmd
}

func verifyRun(opts *Options) error {
	cat, p, err := cmdutil.CatalogProvider(opts.Catalog, opts.Provider)
	if err != nil {
		return err
	}
	req, err := readInput(opts, cat)
	if err != nil {
		return err
	}
	// The command line is read before detection: a bad --secret is a
	// usage error even when no provider is found.
	given, err := opts.Secrets(secrets.CommandLine{Values: opts.SecretArgs, Files: opts.SecretFile, Provider: p})
	if err != nil {
		return err
	}
	res, err := verify.Check(cat, p, req, verify.Keys{
		Secrets: func(p *catalog.Provider) ([]string, secrets.Source, error) {
			sec, err := cmdutil.SecretsFor(given, p.Name)
			_, source, _ := given.For(p.Name)
			return sec, source, err
		},
		Open: func() (io.ReadCloser, error) {
			return cmdutil.OpenBody(opts.IO, opts.File, "hookctl verify ... < body.json, or --request FILE, or --capture ID")
		},
	})
	var scheme *verify.SchemeError
	if errors.As(err, &scheme) {
		return cmdutil.SchemeError(scheme.Provider, scheme.Err)
	} else if err != nil {
		return err
	}
	if err := present.PrintVerdict(opts.IO.Out, opts.Styles, res, opts.JSON, opts.Quiet); err != nil {
		return err
	}
	return cmdutil.SilentUnless(res.Valid)
}

// readInput reads what verify checks: the headers, clock and window from
// the flags, and the request of --request or --capture when given (else
// the body is the body FILE or stdin, opened once the provider is known).
func readInput(opts *Options, cat *catalog.Catalog) (*verify.Request, error) {
	r := &verify.Request{URL: opts.URL}
	var err error
	if r.Header, err = cmdutil.ParseHeaders(opts.Headers); err != nil {
		return nil, err
	}
	if r.Now, err = cmdutil.UnixFlag("now", opts.NowUnix, opts.Now); err != nil {
		return nil, err
	}
	if r.Tolerance, err = cmdutil.ToleranceFlag(opts.Tolerance); err != nil {
		return nil, err
	}
	captured := opts.Capture.ID != "" || opts.Capture.Last
	switch {
	case btoi(captured)+btoi(opts.Request != "")+btoi(opts.File != "") > 1:
		return nil, cmdutil.Usagef("pass one of --capture, --last, --request FILE or a body FILE")
	case captured:
		// A captured request's time window is judged as of its arrival,
		// unless --now says otherwise.
		c, err := cmdutil.LoadCapturedRequest(opts.IO, opts.Getenv, opts.Capture)
		if err != nil {
			return nil, err
		}
		r.Add(c.Header, c.URL, c.Body)
		if opts.NowUnix == "" {
			r.Now = c.Time
		}
		return r, nil
	case opts.Request == "":
		if len(r.Header) == 0 && !verify.SignsInBody(cat, opts.Provider) {
			return nil, cmdutil.Usagef("no headers: pass the request's signature headers with -H 'Name: value', or --request FILE, or --capture ID")
		}
		return r, nil
	}
	req, err := cmdutil.RawRequest(opts.IO, opts.Request)
	if err != nil {
		return nil, err
	}
	r.Add(req.Header, req.URL("https"), req.Body)
	r.Lossy = req.Lossy
	return r, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
