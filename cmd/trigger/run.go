package trigger

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/trigger"
)

func triggerRun(ctx context.Context, opts *Options) error {
	if err := opts.validate(); err != nil {
		return err
	}
	fallback := "" // a dry run with no target shows the request for localhost:5000
	if opts.DryRun {
		fallback = "localhost:5000"
	}
	target, err := cmdutil.ResolveTarget(opts.IO, opts.To, fallback, opts.Getenv)
	if err != nil {
		return err
	}
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	extra, err := cmdutil.ParseHeaders(opts.Headers)
	if err != nil {
		return err
	}
	pr := present.NewDelivery(opts.IO, nil, present.Options{JSON: opts.JSON, Verbose: opts.Verbose, Quiet: opts.Quiet})
	run := trigger.Options{
		Client: opts.HTTPClient, Insecure: opts.Insecure, Concurrency: opts.Concurrency, Retry: opts.Retry, RetryScale: opts.RetryScale,
		Timeout: opts.Timeout, Observe: pr.Observe, Countdown: pr.Countdown(), KeepBody: pr.KeepBody(), Sleep: opts.Sleep,
	}
	if opts.Handshake {
		spec := trigger.HandshakeSpec{Target: target, Header: extra, UserAgent: delivery.UserAgent(opts.Version), Now: opts.Now, IDs: opts.IDs, Getenv: opts.Getenv}
		return opts.handshake(ctx, cat, spec, pr, run)
	}
	plan, err := opts.plan(cat, target, extra)
	if err != nil {
		return err
	}
	switch {
	case opts.DryRun:
		reqs, err := plan.Requests(run)
		if err == nil {
			err = present.RawRequests(opts.IO.Out, reqs)
		}
		return flagError(err)
	case opts.Count > 1:
		sum, err := plan.Load(ctx, opts.Count, run)
		if err != nil {
			return flagError(err)
		}
		pr.Load(sum)
		return cmdutil.DeliveriesFailed(sum.Failed, sum.Count-sum.Sent, sum.Count, sum.Interrupted)
	}
	sum, err := plan.Send(ctx, run)
	if err != nil {
		return flagError(err)
	}
	return cmdutil.DeliveriesFailed(sum.Failed, sum.Skipped, sum.Events+sum.Skipped, sum.Interrupted)
}

// flagError names the flags behind the service's errors.
func flagError(err error) error {
	var notJSON *trigger.BodyNotJSONError
	if errors.As(err, &notJSON) {
		return cmdutil.Usagef("--set and --unset edit JSON bodies, and this %s body is not JSON: use --data or --edit", notJSON.Provider)
	}
	return cmdutil.AsUsage(err) // a NoSecretError cannot come: SecretsFor words it
}

// plan reads the body flags and plans the run.
func (o *Options) plan(cat *catalog.Catalog, target *url.URL, extra http.Header) (*trigger.Plan, error) {
	edits, err := cmdutil.ParseEdits(o.Sets, o.Unsets)
	if err != nil {
		return nil, err
	}
	body, err := cmdutil.TriggerBody(o.IO, o.Data, o.Template)
	if err != nil {
		return nil, err
	}
	var only *catalog.Provider
	if o.Provider != "" {
		if only, err = cat.Lookup(o.Provider); err != nil {
			return nil, cmdutil.AsUsage(err)
		}
	}
	res, err := o.Secrets(secrets.CommandLine{Values: o.SecretArgs, Files: o.SecretFile, Provider: only})
	if err != nil {
		return nil, err
	}
	plan, err := trigger.NewPlan(cat, trigger.Spec{
		Events: o.Events, Provider: only, All: o.All, Body: body, Edits: edits, Target: target, Header: extra,
		UserAgent: delivery.UserAgent(o.Version), Now: o.Now, IDs: o.IDs,
		Secrets: func(p string) ([]string, error) { return cmdutil.SecretsFor(res, p) },
	})
	if err != nil {
		return nil, flagError(err)
	}
	if o.Edit {
		err = plan.Jobs[0].Edit(cmdutil.BodyEditor(o.IO, o.Getenv, o.Editor))
	}
	return plan, err
}

// handshake sends a subscription verification request: Notion's (the
// default) with the token given by --secret or --secret-file, or a fresh
// one; Slack's url_verification (--provider slack) signed with the secret.
func (o *Options) handshake(ctx context.Context, cat *catalog.Catalog, spec trigger.HandshakeSpec, pr *present.Delivery, run trigger.Options) error {
	p, err := cat.HandshakeProvider()
	if o.Provider != "" {
		p, err = cat.HandshakeFor(o.Provider)
	}
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	spec.Provider = p.Name
	sr, err := o.Secrets(secrets.CommandLine{Values: o.SecretArgs, Files: o.SecretFile, Provider: p})
	if err != nil {
		return err
	}
	if p.Handshake.Event != "" { // a challenge handshake is signed like any event (slack)
		if spec.Secrets, err = cmdutil.SecretsFor(sr, p.Name); err != nil {
			return err
		}
	} else if given := sr.Given(p.Name); len(given) > 1 {
		return cmdutil.Usagef("--handshake sends one verification token: pass one --secret or --secret-file")
	} else if len(given) == 1 {
		spec.Token = given[0].Value
	}
	res, err := trigger.Handshake(ctx, cat, spec, run)
	if err != nil {
		return flagError(err)
	}
	pr.Handshake(res)
	if !res.OK {
		return cmdutil.Failedf("the handshake was not accepted")
	}
	return nil
}

// validate checks the flags that do not need the catalogue; the first
// rule broken is the error.
func (o *Options) validate() error {
	body := o.Data != "" || o.Template != ""
	for _, r := range []struct {
		broken bool
		msg    string
	}{
		{o.RetryScale <= 0, fmt.Sprintf("invalid --retry-scale %g: want a number above 0 (0.001 turns 5 minutes into 300ms)", o.RetryScale)},
		{o.Count < 1, fmt.Sprintf("invalid --count %d: want 1 or more", o.Count)},
		{o.Concurrency < 1, fmt.Sprintf("invalid --concurrency %d: want 1 or more", o.Concurrency)},
		{o.Timeout < 0, fmt.Sprintf("invalid --timeout %s: want a positive duration like 5s", o.Timeout)},
		{o.Count > 1 && o.Retry, "--retry and --count don't mix: load mode sends each request once"},
		{o.DryRun && (o.Count > 1 || o.Retry || o.Handshake), "--dry-run prints the first request of each event: drop --count, --retry and --handshake"},
		{o.Data != "" && o.Template != "", "--data and --template both give the body: pass one"},
		{o.All && len(o.Events) > 0, "--all sends every event of --provider: name no events"},
		{o.All && o.Data != "", "--all renders every event's template: it does not take --data"},
		{o.All && o.Provider == "", "--all needs --provider: which provider's events? (see 'hookctl providers')"},
		{o.Handshake && (len(o.Events) > 0 || o.All || body || len(o.Sets)+len(o.Unsets) > 0 || o.Edit || o.Count > 1 || o.Retry),
			"--handshake sends only the subscription verification request: drop the events and body flags"},
		{!o.Handshake && !o.All && len(o.Events) == 0 && !body, "name an event to send, e.g. 'hookctl trigger message.created --to localhost:5000' (see 'hookctl events')"},
		{body && len(o.Events) == 0 && o.Provider == "", "--data and --template need --provider or an event name to know how to sign"},
		{o.Edit && !o.IO.IsStdinTTY(), "--edit opens $EDITOR and needs a terminal, but stdin is not one: use --set or --data instead"},
		{o.Edit && (o.Count > 1 || o.All || len(o.Events) > 1), "--edit edits one body: send one event"},
		{o.Edit && o.Data == "-", "--edit cannot read the body from stdin: pass --data FILE"},
	} {
		if r.broken {
			return cmdutil.Usagef("%s", r.msg)
		}
	}
	return nil
}
