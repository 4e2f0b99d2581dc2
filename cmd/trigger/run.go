package trigger

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/state"
	"github.com/hookctl/hookctl/internal/trigger"
)

func triggerRun(ctx context.Context, opts *Options) error {
	if err := opts.validate(); err != nil {
		return err
	}
	target, err := delivery.ParseTarget(opts.To)
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	extra, err := cmdutil.ParseHeaders(opts.Headers)
	if err != nil {
		return err
	}
	pr := present.NewDelivery(opts.IO, opts.styles(), present.Options{JSON: opts.JSON, Verbose: opts.Verbose, Quiet: opts.Quiet})
	run := trigger.Options{
		Client: opts.HTTPClient, Insecure: opts.Insecure, Concurrency: opts.Concurrency, Retry: opts.Retry,
		RetryScale: opts.RetryScale, Timeout: opts.Timeout, Observe: pr.Observe, Countdown: pr.Countdown(), Sleep: opts.Sleep,
	}
	if opts.Verbose {
		run.KeepBody = 4 << 20
	}
	if opts.Handshake {
		return opts.handshake(ctx, cat, target, extra, pr, run)
	}
	plan, err := opts.plan(cat, target, extra)
	if err != nil {
		return err
	}
	if opts.Count > 1 {
		sum, err := plan.Load(ctx, opts.Count, run)
		if err != nil {
			return flagError(err)
		}
		pr.Load(sum)
		return failed(sum.OK())
	}
	sum, err := plan.Send(ctx, run)
	if err != nil {
		return flagError(err)
	}
	return failed(sum.OK())
}

func failed(ok bool) error {
	if !ok {
		return cmdutil.ErrSilentFailure // the results are printed
	}
	return nil
}

// flagError names the flags behind the service's errors.
func flagError(err error) error {
	var notJSON *trigger.BodyNotJSONError
	var noSecret *trigger.NoSecretError
	switch {
	case errors.As(err, &notJSON):
		return cmdutil.Usagef("--set and --unset edit JSON bodies, and this %s body is not JSON: use --data or --edit", notJSON.Provider)
	case errors.As(err, &noSecret):
		return cmdutil.NoSecret(noSecret.Provider)
	}
	return cmdutil.AsUsage(err)
}

// plan reads the body flags and plans the run.
func (o *Options) plan(cat *catalog.Catalog, target *url.URL, extra http.Header) (*trigger.Plan, error) {
	var edits []override.Op
	for _, a := range o.Sets {
		op, err := override.ParseSet(a)
		if err != nil {
			return nil, cmdutil.Usagef("--set %s", err)
		}
		edits = append(edits, op)
	}
	for _, a := range o.Unsets {
		op, err := override.ParseUnset(a)
		if err != nil {
			return nil, cmdutil.Usagef("--unset %s", err)
		}
		edits = append(edits, op)
	}
	body, err := o.body()
	if err != nil {
		return nil, err
	}
	plan, err := trigger.NewPlan(cat, trigger.Spec{
		Events: o.Events, Provider: o.Provider, All: o.All, Body: body, Edits: edits, Target: target, Header: extra,
		UserAgent: delivery.UserAgent(o.Version), Now: o.Now, IDs: o.IDs,
		Secrets: func(p string) ([]string, error) { return o.Secrets(p, o.SecretArgs, o.SecretFile) },
	})
	if err != nil {
		return nil, flagError(err)
	}
	if o.Edit {
		j := plan.Jobs[0]
		first := j.First()
		edited, err := cmdutil.EditBody(o.editor(), first.Event+"-body", first.Body)
		if err != nil {
			return nil, err
		}
		j.Fix(edited)
	}
	return plan, nil
}

// body reads --data or --template.
func (o *Options) body() (trigger.Body, error) {
	switch {
	case o.Data != "":
		rc, err := cmdutil.OpenBody(o.IO, o.Data)
		if err != nil {
			return trigger.Body{}, err
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			return trigger.Body{}, cmdutil.Usagef("--data %s: %v", o.Data, err)
		}
		return trigger.Body{Kind: trigger.Data, Text: b}, nil
	case o.Template != "":
		b, err := os.ReadFile(o.Template)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return trigger.Body{}, cmdutil.Usagef("--template %s: %v", o.Template, err)
		}
		return trigger.Body{Kind: trigger.Template, Name: o.Template, Text: b}, nil
	}
	return trigger.Body{Kind: trigger.Builtin}, nil
}

func (o *Options) editor() func(path string) error {
	if o.Editor != nil {
		return o.Editor
	}
	return func(path string) error { return cmdutil.RunEditor(context.Background(), o.IO, o.Getenv, path) }
}

// handshake sends Notion's verification request with the token of
// --secret or --secret-file, or a fresh one.
func (o *Options) handshake(ctx context.Context, cat *catalog.Catalog, target *url.URL, extra http.Header, pr *present.Delivery, run trigger.Options) error {
	spec := trigger.HandshakeSpec{
		Target: target, Header: extra, UserAgent: delivery.UserAgent(o.Version), Now: o.Now, IDs: o.IDs,
		Save: func(tok string) (string, error) {
			return state.NotionTokenPath(o.Getenv), state.SaveNotionToken(o.Getenv, tok)
		},
	}
	switch {
	case len(o.SecretArgs) > 1:
		return cmdutil.Usagef("--handshake sends one verification token: pass --secret once")
	case len(o.SecretArgs) == 1:
		spec.Token = o.SecretArgs[0]
	case o.SecretFile != "":
		p, err := cat.HandshakeProvider()
		if err != nil {
			return cmdutil.AsUsage(err)
		}
		sec, err := o.Secrets(p.Name, nil, o.SecretFile)
		if err != nil {
			return err
		}
		spec.Token = sec[0]
	}
	res, err := trigger.Handshake(ctx, cat, spec, run)
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	pr.Handshake(res)
	return failed(res.OK)
}

// validate checks the flags that do not need the catalogue.
func (o *Options) validate() error {
	switch {
	case o.RetryScale <= 0:
		return cmdutil.Usagef("invalid --retry-scale %g: want a number above 0 (0.001 turns 5 minutes into 300ms)", o.RetryScale)
	case o.Count < 1:
		return cmdutil.Usagef("invalid --count %d: want 1 or more", o.Count)
	case o.Concurrency < 1:
		return cmdutil.Usagef("invalid --concurrency %d: want 1 or more", o.Concurrency)
	case o.Timeout < 0:
		return cmdutil.Usagef("invalid --timeout %s: want a positive duration like 5s", o.Timeout)
	case o.Count > 1 && o.Retry:
		return cmdutil.Usagef("--retry and --count don't mix: load mode sends each request once")
	case o.Data != "" && o.Template != "":
		return cmdutil.Usagef("--data and --template both give the body: pass one")
	case o.All && len(o.Events) > 0:
		return cmdutil.Usagef("--all sends every event of --provider: name no events")
	case o.All && o.Data != "":
		return cmdutil.Usagef("--all renders every event's template: it does not take --data")
	case o.All && o.Provider == "":
		return cmdutil.Usagef("--all needs --provider: which provider's events? (see 'hookctl providers')")
	case o.Handshake && (len(o.Events) > 0 || o.All || o.Data != "" || o.Template != "" || len(o.Sets)+len(o.Unsets) > 0 || o.Edit || o.Count > 1 || o.Retry):
		return cmdutil.Usagef("--handshake sends only Notion's verification request: drop the events and body flags")
	case o.Handshake && o.Provider != "" && o.Provider != "notion":
		return cmdutil.Usagef("--handshake is Notion's subscription verification: use --provider notion")
	case !o.Handshake && !o.All && len(o.Events) == 0 && o.Data == "" && o.Template == "":
		return cmdutil.Usagef("name an event to send, e.g. 'hookctl trigger message.created --to localhost:5000' (see 'hookctl events')")
	case (o.Data != "" || o.Template != "") && len(o.Events) == 0 && o.Provider == "":
		return cmdutil.Usagef("--data and --template need --provider or an event name to know how to sign")
	}
	if o.Edit {
		switch {
		case !o.IO.IsStdinTTY():
			return cmdutil.Usagef("--edit opens $EDITOR and needs a terminal, but stdin is not one: use --set or --data instead")
		case o.Count > 1 || o.All || len(o.Events) > 1:
			return cmdutil.Usagef("--edit edits one body: send one event")
		case o.Data == "-":
			return cmdutil.Usagef("--edit cannot read the body from stdin: pass --data FILE")
		}
	}
	return nil
}
