package trigger

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/state"
)

// job is one event to deliver: its provider and how to make and sign its body.
type job struct {
	p      *catalog.Provider
	render *renderer
	build  *delivery.Builder
}

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
	if opts.Handshake {
		return opts.handshake(ctx, opts.sender(), cat, target, extra)
	}
	jobs, err := opts.plan(cat, target, extra)
	if err != nil {
		return err
	}
	s := opts.sender()
	if opts.Count > 1 {
		return opts.load(ctx, s, jobs, target)
	}
	for i, j := range jobs {
		if ctx.Err() != nil {
			s.Skip(len(jobs) - i)
			break
		}
		s.UseProvider(j.p, opts.Timeout)
		if _, err := s.Deliver(ctx, opts.deliveryPlan(j)); err != nil {
			s.Skip(len(jobs) - i - 1)
			s.Finish()
			return cmdutil.AsUsage(err)
		}
	}
	s.Finish()
	if !s.Summary.OK() {
		return cmdutil.ErrSilentFailure
	}
	return nil
}

// sender sends and prints for this run: countdowns and progress on
// stderr only on a terminal.
func (o *Options) sender() *delivery.Sender {
	s := delivery.NewSender(delivery.Config{
		Client:  delivery.NewClient(delivery.ClientOptions{Insecure: o.Insecure, Concurrency: o.Concurrency}),
		Printer: delivery.NewPrinter(o.IO.Out, delivery.PrintOptions{JSON: o.JSON, Verbose: o.Verbose, Styles: o.deliveryStyles()}),
		Sleep:   o.Sleep,
	})
	if o.IO.Interactive() && !o.Quiet {
		s.Countdown = o.IO.ErrOut
	}
	if o.Verbose {
		s.KeepBody = 4 << 20
	}
	return s
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

// plan resolves the events to providers, secrets and body sources.
func (o *Options) plan(cat *catalog.Catalog, target *url.URL, extra map[string][]string) ([]*job, error) {
	var sets []override.Op
	for _, a := range o.Sets {
		op, err := override.ParseSet(a)
		if err != nil {
			return nil, cmdutil.Usagef("--set %s", err)
		}
		sets = append(sets, op)
	}
	for _, a := range o.Unsets {
		op, err := override.ParseUnset(a)
		if err != nil {
			return nil, cmdutil.Usagef("--unset %s", err)
		}
		sets = append(sets, op)
	}
	src, err := o.bodySource()
	if err != nil {
		return nil, err
	}
	events := o.Events
	var only *catalog.Provider
	if o.Provider != "" {
		if only, err = cat.Lookup(o.Provider); err != nil {
			return nil, cmdutil.AsUsage(err)
		}
	}
	if o.All {
		events = only.EventNames()
	}
	if len(events) == 0 {
		events = []string{""} // --data or --template with --provider: the body names the event
	}
	res, err := o.Secrets(secrets.CommandLine{Values: o.SecretArgs, Files: o.SecretFile, Provider: only})
	if err != nil {
		return nil, err
	}
	var jobs []*job
	for _, ev := range events {
		p := only
		// A user's --data or --template may carry an event the catalogue
		// lacks; with --provider that is fine.
		if ev != "" && (p == nil || src.kind == srcBuiltin) {
			if p, err = cat.ResolveEvent(ev, o.Provider); err != nil {
				return nil, cmdutil.AsUsage(err)
			}
		}
		sec, err := cmdutil.SecretsFor(res, p.Name)
		if err != nil {
			return nil, err
		}
		r := &renderer{p: p, event: ev, src: src, ops: sets, now: o.Now, ids: o.IDs}
		if err := r.prepare(); err != nil {
			return nil, err
		}
		jobs = append(jobs, &job{p: p, render: r, build: &delivery.Builder{
			Provider: p, Secrets: sec, URL: target.String(), UserAgent: delivery.UserAgent(o.Version), Extra: extra,
		}})
	}
	if o.Edit {
		if err := o.edit(jobs[0].render); err != nil {
			return nil, err
		}
	}
	return jobs, nil
}

// deliveryPlan is one event's delivery: the first render is reused for
// every attempt (same id and body), re-signed each time; where the envelope
// counts attempts (notion's attempt_number) the count goes up.
func (o *Options) deliveryPlan(j *job) delivery.Plan {
	plan := delivery.Plan{
		Provider: j.p.Name, Default: j.p.Delivery.DefaultSchedule, AfterLast: j.p.Delivery.AfterLast, Scale: o.RetryScale,
	}
	if o.Retry {
		plan.Schedule = j.p.Delivery.Schedule
	}
	var first *rendered
	msgID := o.IDs.Make(j.p.Scheme.IDKind)
	plan.Prepare = func(attempt int) (*delivery.Request, error) {
		if first == nil {
			var err error
			if first, err = j.render.next(); err != nil {
				return nil, err
			}
		}
		body := first.Body
		if f := j.p.Delivery.AttemptField; f != "" && attempt > 1 && first.hasTopLevel(f) {
			var err error
			if body, err = override.Apply(body, []override.Op{{Path: f, Value: fmt.Appendf(nil, "%d", attempt)}}); err != nil {
				return nil, err
			}
		}
		return j.build.Build(body, first.ContentType, first.Headers, msgID, o.Now(), first.Event, first.EventID)
	}
	return plan
}

// load sends Count fresh renders (cycling through the events) as a load test.
// Each request is judged by its own provider's rule and timeout when the
// events are of several providers.
func (o *Options) load(ctx context.Context, s *delivery.Sender, jobs []*job, target *url.URL) error {
	s.UseProvider(jobs[0].p, o.Timeout)
	rules := make([]*delivery.Rules, len(jobs))
	for i, j := range jobs {
		if j.p != jobs[0].p {
			ru := delivery.ProviderRules(j.p, o.Timeout)
			rules[i] = &ru
		}
	}
	sum, err := s.Load(ctx, delivery.LoadOptions{
		Count: o.Count, Concurrency: o.Concurrency, URL: target.String(),
		Build: func(i int) (*delivery.Request, error) {
			j := jobs[i%len(jobs)]
			r, err := j.render.next()
			if err != nil {
				return nil, err
			}
			req, err := j.build.Build(r.Body, r.ContentType, r.Headers, o.IDs.Make(j.p.Scheme.IDKind), o.Now(), r.Event, r.EventID)
			if req != nil {
				req.Rules = rules[i%len(jobs)]
			}
			return req, err
		},
	})
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	s.Printer.Load(sum)
	if !sum.OK() {
		return cmdutil.ErrSilentFailure
	}
	return nil
}

// handshake sends Notion's one-time verification request, unsigned, and
// keeps the token so later notion triggers sign with it.
func (o *Options) handshake(ctx context.Context, s *delivery.Sender, cat *catalog.Catalog, target *url.URL, extra map[string][]string) error {
	p, err := cat.Lookup("notion")
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	token := "secret_" + o.IDs.Alnum(43)
	res, err := o.Secrets(secrets.CommandLine{Values: o.SecretArgs, Files: o.SecretFile, Provider: p})
	if err != nil {
		return err
	}
	switch given := res.Given(p.Name); len(given) {
	case 0:
	case 1:
		token = given[0].Value
	default:
		return cmdutil.Usagef("--handshake sends one verification token: pass one --secret or --secret-file")
	}
	body, _ := json.Marshal(map[string]string{"verification_token": token})
	b := &delivery.Builder{Provider: p, URL: target.String(), UserAgent: delivery.UserAgent(o.Version), Extra: extra}
	req, err := b.Build(body, "application/json", nil, "", o.Now(), "verification", "")
	if err != nil {
		return cmdutil.AsUsage(err)
	}
	s.UseProvider(p, o.Timeout)
	ok, _ := s.Deliver(ctx, delivery.Once(req))
	saved := ""
	if ok {
		if err := state.SaveNotionToken(o.Getenv, token); err != nil {
			fmt.Fprintf(o.IO.ErrOut, "hookctl: %v\n", err)
		} else {
			saved = state.NotionTokenPath(o.Getenv)
		}
	}
	if s.Printer.JSON() {
		s.Printer.JSONLine(struct {
			Type  string `json:"type"`
			Token string `json:"verification_token"`
			Saved string `json:"saved_to,omitempty"`
		}{"handshake", token, saved})
	} else {
		s.Printer.Line("verification_token: %s", token)
	}
	if !ok {
		return cmdutil.ErrSilentFailure
	}
	if !o.Quiet {
		fmt.Fprintf(o.IO.ErrOut, "Paste the token into the Verify form of the Notion subscription. Later notion triggers sign with it (saved in %s).\n", saved)
	}
	return nil
}

// edit opens the first body in the editor and keeps what the user saved.
func (o *Options) edit(r *renderer) error {
	first, err := r.next()
	if err != nil {
		return err
	}
	text := first.Body
	isJSON := json.Valid(text)
	if isJSON {
		var b bytes.Buffer
		_ = json.Indent(&b, text, "", "  ")
		b.WriteByte('\n')
		text = b.Bytes()
	}
	dir, err := os.MkdirTemp("", "hookctl-edit-")
	if err != nil {
		return cmdutil.Failedf("--edit: %v", err)
	}
	defer os.RemoveAll(dir)
	ext := ".txt"
	if isJSON {
		ext = ".json"
	}
	path := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(first.Event+"-body")+ext)
	if err := os.WriteFile(path, text, 0o600); err != nil {
		return cmdutil.Failedf("--edit: %v", err)
	}
	run := o.Editor
	if run == nil {
		run = func(path string) error { return cmdutil.RunEditor(context.Background(), o.IO, o.Getenv, path) }
	}
	if err := run(path); err != nil {
		return cmdutil.Usagef("--edit: %v", err)
	}
	edited, err := os.ReadFile(path)
	if err != nil {
		return cmdutil.Failedf("--edit: %v", err)
	}
	if strings.TrimSpace(string(edited)) == "" {
		return cmdutil.Usagef("--edit: the body was emptied: nothing sent")
	}
	if isJSON {
		var b bytes.Buffer
		if err := json.Compact(&b, edited); err != nil {
			return cmdutil.Usagef("--edit: the edited body is not valid JSON (%v): nothing sent", err)
		}
		edited = b.Bytes()
	} else {
		edited = []byte(strings.TrimRight(string(edited), "\r\n"))
	}
	r.fixed = first.withBody(r.p, edited)
	return nil
}
