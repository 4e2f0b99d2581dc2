// Package secret implements 'hookctl secret'.
package secret

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/devsecret"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
)

//go:embed long.txt
var long string // the help text

// Options holds the command's dependencies and flag values.
type Options struct {
	IO        *iostreams.IOStreams
	Catalog   func() (*catalog.Catalog, error)
	Secrets   func(secrets.CommandLine) (*secrets.Resolver, error)
	DevSecret func() (string, error)
	Path      string // where the development secret is kept
	JSON      bool

	Provider string
}

// NewCmdSecret builds 'hookctl secret'; runF replaces the work in tests.
func NewCmdSecret(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog, Secrets: f.Secrets, DevSecret: f.DevSecret}
	cmd := &cobra.Command{
		Use:   "secret [--provider P]",
		Short: "Print your development secret, for your app's configuration",
		Long:  long,
		Example: `  export WEBHOOK_SECRET=$(hookctl secret)
  hookctl secret --provider twilio
  hookctl secret --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.JSON()
			opts.Path = f.DevSecretPath()
			f.DevSecretNoted() // this command prints it: no hint about using it
			if runF != nil {
				return runF(opts)
			}
			return secretRun(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Provider, "provider", "p", "", "print the secret in this provider's form")
	cmdutil.RegisterProviderCompletion(cmd, f)
	return cmd
}

// Result is what --json prints.
type Result struct {
	Secret   string `json:"secret"` // what the app is configured with
	Form     string `json:"form"`
	Provider string `json:"provider,omitempty"`
	Path     string `json:"path"`
	// Configured names where the provider's own secret comes from, when
	// one is configured (it wins over the development secret).
	Configured string `json:"configured,omitempty"`
}

func secretRun(opts *Options) error {
	base, err := opts.DevSecret()
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	res := Result{Secret: base, Form: "signing secret", Path: opts.Path}
	if opts.Provider != "" {
		cat, err := opts.Catalog()
		if err != nil {
			return err
		}
		p, err := cat.Lookup(opts.Provider)
		if err != nil {
			return cmdutil.AsUsage(err)
		}
		if p.Scheme.Asymmetric() {
			// A key pair (Ed25519: discord): the app is configured with the
			// public key of the provider's key, the development key pair's
			// when none is configured.
			if err := publicKey(opts, p, &res); err != nil {
				return err
			}
		} else {
			k, err := devsecret.For(base, p)
			if err != nil {
				return cmdutil.AsUsage(err)
			}
			res.Secret, res.Form, res.Provider = k.App(), k.Form, p.Name
			if res.Configured, err = configured(opts, p.Name); err != nil {
				return err
			}
		}
		if res.Configured != "" && !opts.JSON {
			fmt.Fprintf(opts.IO.ErrOut, "note: %s has a secret configured (%s); hookctl signs and verifies %s with it, not with this development secret\n", p.Name, res.Configured, p.Name)
		}
	}
	if opts.JSON {
		return json.NewEncoder(opts.IO.Out).Encode(res)
	}
	_, err = fmt.Fprintln(opts.IO.Out, res.Secret)
	return err
}

// configured names where a provider's explicit secret comes from ("" when
// it has none and uses the development secret).
func configured(opts *Options, provider string) (string, error) {
	r, err := opts.Secrets(secrets.CommandLine{})
	if err != nil {
		return "", err
	}
	list, source, err := r.For(provider)
	if err != nil {
		return "", cmdutil.SecretError(err)
	}
	if source == secrets.SourceDev || source == secrets.SourceNone {
		return "", nil
	}
	if w := list[0].Where; w != "" {
		return w, nil
	}
	return source.String(), nil
}

// publicKey fills res with an asymmetric provider's public key.
func publicKey(opts *Options, p *catalog.Provider, res *Result) error {
	r, err := opts.Secrets(secrets.CommandLine{})
	if err != nil {
		return err
	}
	pub, from, err := r.PublicKey(p)
	if err != nil {
		return cmdutil.SecretError(err)
	}
	res.Secret, res.Form, res.Provider, res.Path = pub, "public key", p.Name, from.Where
	if from.Source != secrets.SourceDevKey {
		res.Configured = from.Where
		if res.Configured == "" {
			res.Configured = from.Source.String()
		}
	}
	return nil
}
