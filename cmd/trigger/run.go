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
	spec, err := opts.spec(target, extra)
	if err != nil {
		return err
	}
	pr := present.NewDelivery(opts.IO, nil, present.Options{JSON: opts.JSON, Verbose: opts.Verbose, Quiet: opts.Quiet})
	run := trigger.Options{
		Client: opts.HTTPClient, Insecure: opts.Insecure, Concurrency: opts.Concurrency, Retry: opts.Retry, RetryScale: opts.RetryScale,
		Timeout: opts.Timeout, Observe: pr.Observe, Countdown: pr.Countdown(), KeepBody: pr.KeepBody(), Sleep: opts.Sleep,
	}
	if opts.Handshake {
		return handshake(ctx, cat, spec, pr, run)
	}
	plan, err := spec.Plan(cat)
	if err != nil {
		return flagError(err)
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
	var (
		edit    *trigger.EditError
		notJSON *trigger.BodyNotJSONError
		mut     *trigger.NotApplicableError
		noShake *trigger.NoHandshakeError
		tokens  *trigger.TokensError
		noToken *trigger.NoVerifyTokenError
		noKey   *trigger.NoSecretError
	)
	switch {
	case errors.As(err, &edit): // --edit words its own
		return edit.Err
	case errors.As(err, &mut):
		return cmdutil.Usagef("--mutate %v", err)
	case errors.As(err, &notJSON):
		return cmdutil.Usagef("--set and --unset edit JSON bodies, and this %s body is not JSON: use --data or --edit", notJSON.Provider)
	case errors.As(err, &noShake):
		return cmdutil.Usagef("%v; --handshake works with %s", err, strings.Join(noShake.With, ", "))
	case errors.As(err, &tokens):
		return cmdutil.Usagef("--handshake sends one verification token: pass one --secret or --secret-file")
	case errors.As(err, &noToken):
		return cmdutil.Usagef("%v: pass --verify-token, set providers.%s.verify_token, or give a secret", err, noToken.Provider)
	case errors.As(err, &noKey):
		return cmdutil.NoSecretNamed(noKey.Provider, noKey.Named)
	}
	return cmdutil.SecretError(err)
}

// spec is the run the flags ask for.
func (o *Options) spec(target *url.URL, extra http.Header) (*trigger.Run, error) {
	edits, err := cmdutil.ParseEdits(o.Sets, o.Unsets)
	if err != nil {
		return nil, err
	}
	body, err := cmdutil.TriggerBody(o.IO, o.Data, o.Template)
	if err != nil {
		return nil, err
	}
	r := &trigger.Run{
		Events: o.Events, Provider: o.Provider, All: o.All, Body: body, Edits: edits, Target: target, Header: extra,
		UserAgent: delivery.UserAgent(o.Version), Getenv: o.Getenv, Now: o.Now, IDs: o.IDs,
		Secrets: func(p *catalog.Provider) (*secrets.Resolver, error) {
			return o.Secrets(secrets.CommandLine{Values: o.SecretArgs, Files: o.SecretFile, Provider: p})
		},
		VerifyToken: func(p string) string { return cmdutil.VerifyToken(o.VerifyToken, o.Config, p) },
	}
	if o.Edit {
		r.Edit = cmdutil.BodyEditor(o.IO, o.Getenv, o.Editor)
	}
	if o.Mutate != "" { // one check's requests (hookctl check)
		if r.Mutation, err = mutate.Lookup(o.Mutate); err != nil {
			return nil, cmdutil.Usagef("--mutate: %v", err)
		}
	}
	return r, nil
}

// handshake sends the provider's endpoint verification: Notion's token
// (given by --secret or --secret-file, or a fresh one), or another
// provider's challenge (Slack's url_verification, Zoom's, Meta's, Twitch's,
// Discord's), judged as the provider judges the answer.
func handshake(ctx context.Context, cat *catalog.Catalog, spec *trigger.Run, pr *present.Delivery, run trigger.Options) error {
	res, err := trigger.RunHandshake(ctx, cat, spec, run)
	switch {
	case err != nil:
		return flagError(err)
	case res.Verified != nil:
		pr.Verification(res.Verified)
		return cmdutil.SilentUnless(res.Verified.OK)
	}
	pr.Handshake(res.Token)
	if !res.Token.OK {
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
