package events

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/templates"
)

// ShowOptions holds 'hookctl events show's dependencies and flags.
type ShowOptions struct {
	IO      *iostreams.IOStreams
	Catalog func() (*catalog.Catalog, error)
	Secrets func(secrets.CommandLine) (*secrets.Resolver, error)
	Now     func() time.Time
	IDs     *ids.Generator
	Version string
	JSON    bool

	Event, Provider, To    string
	Template               bool
	SecretArgs, SecretFile []string
}

//go:embed show_long.txt
var showLong string // the help text of 'events show'

// defaultShowTarget is the URL a sample is shown as sent to when neither
// --to nor the config's to: names one (Twilio signs the URL).
const defaultShowTarget = "localhost:5000"

// NewCmdShow builds 'hookctl events show'; runF replaces the work in tests.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Catalog: f.Catalog, Secrets: f.Secrets, Now: f.Now, IDs: f.IDs, Version: f.Build.Version}
	cmd := &cobra.Command{
		Use:   "show EVENT [--provider P] [--template]",
		Short: "Print an event's sample request, or its template",
		Long:  showLong,
		Example: `  hookctl events show checkout.session.completed
  hookctl events show pull_request.opened --secret s3cr3t
  hookctl events show orders/create --template`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Event, opts.JSON = args[0], f.JSON()
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			cfg.Bind("to", cmd.Flags().Lookup("to"))
			opts.To = cfg.To()
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
		ValidArgsFunction: cmdutil.CompleteEvents(f),
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Provider, "provider", "p", "", "provider of the event (inferred from the event name when unique)")
	fl.BoolVar(&opts.Template, "template", false, "print the template source, not the rendered request")
	fl.StringVarP(&opts.To, "to", "t", "", "the URL the request is shown as sent to (default "+defaultShowTarget+")")
	cmdutil.AddSecretFlags(cmd, &opts.SecretArgs, &opts.SecretFile, "to sign with")
	cmdutil.RegisterProviderCompletion(cmd, f)
	return cmd
}

type shownRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func showRun(opts *ShowOptions) error {
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	p, err := cat.ResolveEvent(opts.Event, opts.Provider)
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	if opts.Template {
		src, _, err := p.TemplateSource(opts.Event)
		if err != nil {
			return err
		}
		_, err = opts.IO.Out.Write(src)
		return err
	}
	target, err := cmdutil.ParseTarget(cmp.Or(opts.To, defaultShowTarget))
	if err != nil {
		return err
	}
	r, err := templates.Render(p, opts.Event, templates.RenderOptions{Now: opts.Now(), IDs: opts.IDs})
	if err != nil {
		return err
	}
	res, err := opts.Secrets(secrets.CommandLine{Values: opts.SecretArgs, Files: opts.SecretFile, Provider: p})
	if err != nil {
		return err
	}
	sec, err := res.Values(p.Name)
	if err != nil {
		return cmdutil.SecretError(err)
	}
	b := &delivery.Builder{Provider: p, Secrets: sec, URL: target.String(), UserAgent: delivery.UserAgent(opts.Version)}
	req, err := b.Build(r.Body, r.ContentType, r.Headers, opts.IDs.Make(p.Scheme.IDKind), opts.Now(), r.Event, r.EventID)
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	if len(sec) == 0 && opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "unsigned: no secret for %s; pass --secret to see the signature headers\n", p.Name)
	}
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	if opts.JSON {
		out := shownRequest{Method: req.Method, URL: req.URL, Headers: map[string]string{}, Body: string(req.Body)}
		for _, k := range names {
			out.Headers[k] = req.Header.Get(k)
		}
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := opts.IO.Out
	fmt.Fprintf(w, "%s %s\n", cmp.Or(req.Method, http.MethodPost), req.URL)
	for _, k := range names {
		fmt.Fprintf(w, "%s: %s\n", k, req.Header.Get(k))
	}
	fmt.Fprintf(w, "\n%s\n", req.Body)
	return nil
}
