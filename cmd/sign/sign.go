// Package sign implements 'hookctl sign'.
package sign

import (
	_ "embed"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/signer"
)

// Options holds sign's dependencies and flag values.
type Options struct {
	IO      *iostreams.IOStreams
	Now     func() time.Time
	IDs     *ids.Generator
	Catalog func() (*catalog.Catalog, error)
	Secrets func(secrets.CommandLine) (*secrets.Resolver, error)
	JSON    bool

	Provider   string
	SecretArgs []string
	SecretFile []string // --secret-file, repeatable
	Timestamp  string
	ID         string
	URL        string
	File       string
}

//go:embed long.txt
var long string // the help text

// NewCmdSign builds 'hookctl sign'; runF replaces the work in tests.
func NewCmdSign(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, IDs: f.IDs, Catalog: f.Catalog, Secrets: f.Secrets}
	cmd := &cobra.Command{
		Use:   "sign --provider P [--secret S ...] [FILE | -]",
		Short: "Print the signature headers a provider would send for a body",
		Long:  long,
		Example: `  hookctl sign --provider notify --secret s3cr3t body.json
  printf '%s' '{"a":1}' | hookctl sign --provider standard --secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
  hookctl sign --provider stripe --secret whsec_old --secret whsec_new --json body.json
  curl localhost:5000 -H @<(hookctl sign --provider github --secret s body.json) --data-binary @body.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.File = args[0]
			}
			opts.JSON = f.JSON()
			if runF != nil {
				return runF(opts)
			}
			return signRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Provider, "provider", "p", "", "provider whose scheme to use (see 'hookctl providers')")
	cmdutil.AddSecretFlags(cmd, &opts.SecretArgs, &opts.SecretFile, "to sign with")
	fl.StringVar(&opts.Timestamp, "timestamp", "", "unix timestamp to sign (default now)")
	fl.StringVar(&opts.ID, "id", "", "message id for schemes with an id header (default a fresh one)")
	fl.StringVar(&opts.URL, "url", "", "full request URL, for schemes that sign it (twilio, square, hubspot)")
	cmdutil.RegisterProviderCompletion(cmd, f)
	return cmd
}

func signRun(opts *Options) error {
	if opts.Provider == "" {
		cat, err := opts.Catalog()
		if err != nil {
			return err
		}
		return cmdutil.Usagef("--provider is required: one of %s", strings.Join(cat.Names(), ", "))
	}
	_, p, err := cmdutil.CatalogProvider(opts.Catalog, opts.Provider)
	if err != nil {
		return err
	}
	keys, err := cmdutil.ProviderSecrets(opts.Secrets, opts.SecretArgs, opts.SecretFile, p)
	if err != nil {
		return err
	}
	at, err := cmdutil.UnixFlag("timestamp", opts.Timestamp, opts.Now)
	if err != nil {
		return err
	}
	ts := at.Unix()
	id := opts.ID
	if id == "" && p.Scheme.UsesID() {
		id = opts.IDs.Make(p.Scheme.IDKind)
	}
	body, err := cmdutil.OpenBody(opts.IO, opts.File, "hookctl sign ... < body.json")
	if err != nil {
		return err
	}
	defer body.Close()
	out, err := p.Scheme.Sign(signer.SignInput{Secrets: keys, ID: id, Timestamp: ts, URL: opts.URL, Body: body})
	if err != nil {
		return cmdutil.SchemeError(p.Name, err)
	}
	return present.Signature(opts.IO, p.Name, opts.URL, out, opts.JSON)
}
