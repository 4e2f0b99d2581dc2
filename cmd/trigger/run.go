package trigger

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/mutate"
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
		if err = plan.Jobs[0].Edit(cmdutil.BodyEditor(o.IO, o.Getenv, o.Editor)); err != nil {
			return nil, err
		}
	}
	if o.Mutate != "" { // one check's requests (hookctl check)
		k, err := mutate.Lookup(o.Mutate)
		if err != nil {
			return nil, cmdutil.Usagef("--mutate: %v", err)
		}
		if err := plan.Mutate(k); err != nil {
			return nil, cmdutil.Usagef("--mutate %v", err)
		}
		if k.Verification && len(plan.Jobs) > 0 {
			plan.VerifyToken = cmdutil.VerifyToken(o.VerifyToken, o.Config, plan.Jobs[0].Provider.Name)
		}
	}
	return plan, nil
}

// handshake sends the provider's endpoint verification: Notion's token
// (given by --secret or --secret-file, or a fresh one), or another
// provider's challenge (Slack's url_verification, Zoom's, Meta's, Twitch's,
// Discord's), judged as the provider judges the answer.
func (o *Options) handshake(ctx context.Context, cat *catalog.Catalog, spec trigger.HandshakeSpec, pr *present.Delivery, run trigger.Options) error {
	p, err := cat.HandshakeProvider()
	if o.Provider != "" {
		p, err = cat.Lookup(o.Provider)
	}
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	if !p.Handshake.IsToken() { // every challenge handshake, Slack's too
		return o.verification(ctx, p, spec, pr, run)
	}
	spec.Provider = p.Name
	sr, err := o.Secrets(secrets.CommandLine{Values: o.SecretArgs, Files: o.SecretFile, Provider: p})
	if err != nil {
		return err
	}
	if given := sr.Given(p.Name); len(given) > 1 {
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
// verification sends a challenge-response handshake (catalog.Verification).
func (o *Options) verification(ctx context.Context, p *catalog.Provider, hs trigger.HandshakeSpec, pr *present.Delivery, run trigger.Options) error {
	v := p.Verification()
	if v == nil {
		return cmdutil.Usagef("%s has no endpoint verification; --handshake works with %s", p.Name, strings.Join(handshakeProviders(o.catalogOrNil()), ", "))
	}
	spec := trigger.VerifySpec{Target: hs.Target, Header: hs.Header, UserAgent: hs.UserAgent, Now: hs.Now, IDs: hs.IDs}
	if len(o.Events) == 1 {
		spec.Event = o.Events[0]
	}
	sr, err := o.Secrets(secrets.CommandLine{Values: o.SecretArgs, Files: o.SecretFile, Provider: p})
	if err != nil {
		return err
	}
	if spec.Keys.Secrets, err = sr.Values(p.Name); err != nil {
		return cmdutil.SecretError(err) // a development secret that cannot be read says so
	}
	if v.Signed && len(spec.Keys.Secrets) == 0 {
		return cmdutil.NoSecret(p.Name)
	}
	if spec.Keys.VerifyToken = cmdutil.VerifyToken(o.VerifyToken, o.Config, p.Name); spec.Keys.VerifyToken == "" {
		spec.Keys.VerifyToken = spec.Keys.Secret()
	}
	if v.NewQuery != nil && spec.Keys.VerifyToken == "" {
		return cmdutil.Usagef("%s's handshake sends a verify token: pass --verify-token, set providers.%s.verify_token, or give a secret", p.Name, p.Name)
	}
	res, err := trigger.Verify(ctx, p, spec, run)
	if err != nil {
		return flagError(err)
	}
	pr.Verification(res)
	return cmdutil.SilentUnless(res.OK)
}

// catalogOrNil is the catalogue, nil when it cannot be read.
func (o *Options) catalogOrNil() *catalog.Catalog {
	cat, _ := o.Catalog()
	return cat
}

// handshakeProviders names the providers --handshake works with.
func handshakeProviders(cat *catalog.Catalog) []string {
	var out []string
	if cat != nil {
		for _, p := range cat.Providers() {
			if p.Handshake != nil || p.Verification() != nil {
				out = append(out, p.Name)
			}
		}
	}
	return out
}

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
		{o.Handshake && (len(o.Events) > 1 || o.All || body || len(o.Sets)+len(o.Unsets) > 0 || o.Edit || o.Count > 1 || o.Retry),
			"--handshake sends only the provider's verification request: drop the events and body flags"},
		{o.Handshake && len(o.Events) == 1 && o.Provider == "", "--handshake EVENT picks one of a provider's verification requests: pass --provider"},
		{o.VerifyToken != "" && !o.Handshake && o.Mutate != mutate.Handshake, "--verify-token is Meta's --handshake token: add --handshake --provider meta"},
		{!o.Handshake && !o.All && len(o.Events) == 0 && !body, "name an event to send, e.g. 'hookctl trigger message.created --to localhost:5000' (see 'hookctl events')"},
		{body && len(o.Events) == 0 && o.Provider == "", "--data and --template need --provider or an event name to know how to sign"},
		{o.Edit && !o.IO.IsStdinTTY(), "--edit opens $EDITOR and needs a terminal, but stdin is not one: use --set or --data instead"},
		{o.Edit && (o.Count > 1 || o.All || len(o.Events) > 1), "--edit edits one body: send one event"},
		{o.Edit && o.Data == "-", "--edit cannot read the body from stdin: pass --data FILE"},
		{o.Mutate != "" && (o.Count > 1 || o.Retry || o.Handshake), "--mutate sends one check's requests once: drop --count, --retry and --handshake"},
	} {
		if r.broken {
			return cmdutil.Usagef("%s", r.msg)
		}
	}
	return nil
}
