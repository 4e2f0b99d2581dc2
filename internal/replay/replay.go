package replay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
)

// Config says where and how captures are replayed.
type Config struct {
	Catalog *catalog.Catalog
	// Provider, when set, is every capture's provider (for re-signing and
	// the success rule); nil: the one listen recognised.
	Provider *catalog.Provider
	Target   *url.URL
	// Resign sends a fresh id, timestamp and signature instead of the
	// captured ones, with Secrets(provider); an error from Secrets is
	// returned by New as it is.
	Resign  bool
	Secrets func(provider string) ([]string, error)
	// Edit, when set, returns the body to send instead of the captured one;
	// an edited body is signed again, so Edit implies Resign. ErrEmptied
	// skips that capture; any other error stops the run.
	Edit func(ctx context.Context, rec *capture.Record, req *delivery.Request) ([]byte, error)

	Client   *http.Client  // nil: delivery.NewClient's default
	KeepBody int           // bytes of each answer's body kept in a result; 0: delivery's default
	Timeout  time.Duration // answer timeout; 0: the provider's
	Now      func() time.Time
	IDs      *ids.Generator
}

// ErrEmptied is an edit that left the body empty: that capture is skipped.
var ErrEmptied = errors.New("the body was emptied in the editor")

// NoProviderError: selected captures whose provider is unknown, so there
// is no scheme to re-sign them with.
type NoProviderError struct {
	Provider string // "" when listen recognised none
	Captures int
}

func (e *NoProviderError) Error() string {
	have := "1 selected capture has"
	if e.Captures != 1 {
		have = fmt.Sprintf("%d selected captures have", e.Captures)
	}
	if e.Provider == "" {
		return have + " no provider (listen recognised no signature)"
	}
	return fmt.Sprintf("%s provider %q, which is not in the catalogue", have, e.Provider)
}

// NoSecretError: a provider to re-sign for has no secret.
type NoSecretError struct{ Provider string }

func (e *NoSecretError) Error() string { return "no secret for " + e.Provider }

// Replayer sends captures again. Make it with New.
type Replayer struct {
	cfg    Config
	resign map[string]*Resigner // by the record's provider name
	sender *delivery.Sender
}

// New checks the config against the providers of the captures to send
// (Scan.Providers: how many captures each provider name has; "" for none
// recognised) before anything is sent: with Resign (or Edit) every one of
// them needs a scheme and valid secrets.
func New(cfg Config, providers map[string]int) (*Replayer, error) {
	if cfg.Edit != nil {
		cfg.Resign = true
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.IDs == nil {
		cfg.IDs = ids.New()
	}
	r := &Replayer{cfg: cfg, sender: delivery.NewSender(delivery.Config{Client: cfg.Client, KeepBody: cfg.KeepBody})}
	if !cfg.Resign {
		return r, nil
	}
	names := make([]string, 0, len(providers))
	for name := range providers {
		names = append(names, name)
	}
	sort.Strings(names)
	r.resign = map[string]*Resigner{}
	for _, name := range names {
		p := r.provider(name)
		if p == nil {
			return nil, &NoProviderError{Provider: name, Captures: providers[name]}
		}
		var secrets []string
		if cfg.Secrets != nil {
			var err error
			if secrets, err = cfg.Secrets(p.Name); err != nil {
				return nil, err
			}
		}
		if len(secrets) == 0 {
			return nil, &NoSecretError{Provider: p.Name}
		}
		if len(secrets) > 1 && !p.Scheme.MultiSignature() {
			return nil, fmt.Errorf("%s carries one signature per request: pass one secret for it", p.Name)
		}
		for _, s := range secrets {
			if _, err := p.Scheme.Key(s); err != nil {
				return nil, fmt.Errorf("secret for %s: %v", p.Name, err)
			}
		}
		r.resign[name] = &Resigner{Provider: p, Secrets: secrets, Now: cfg.Now, IDs: cfg.IDs}
	}
	return r, nil
}

// provider is the catalogue entry for a record: Config.Provider, else the
// one listen recognised; nil when neither is known.
func (r *Replayer) provider(name string) *catalog.Provider {
	if r.cfg.Provider != nil {
		return r.cfg.Provider
	}
	if name == "" || r.cfg.Catalog == nil {
		return nil
	}
	p, err := r.cfg.Catalog.Lookup(name)
	if err != nil {
		return nil
	}
	return p
}

// Event is one capture of a run: sent (Result) or not sendable (Skip says
// why: a *NotStoredError, ErrEmptied, a body that cannot be decoded).
type Event struct {
	Record *capture.Record
	Result *delivery.Result
	Skip   error
}

// Run is the second pass: it sends the scan's selection once each, in
// file order, reporting each capture to on (from this goroutine), and
// returns the counts. Unsendable captures are counted and skipped; the
// captures a stop never reached count as Skipped. A cancelled ctx stops
// the run with Summary.Interrupted and no error; the error is what else
// stopped it (an editor that failed, a re-signing error, a changed file).
func (r *Replayer) Run(ctx context.Context, scan *Scan, on func(Event)) (delivery.Summary, error) {
	var sum delivery.Summary
	unsendable, done := 0, 0
	err := scan.Each(ctx, func(rec *capture.Record) error {
		req, skip, err := r.request(ctx, rec, nil)
		if err != nil {
			return err
		}
		if skip != nil {
			unsendable++
			done++
			on(Event{Record: rec, Skip: skip})
			return nil
		}
		res := r.sender.Send(ctx, req)
		sum.Events++
		sum.Attempts++
		on(Event{Record: rec, Result: res})
		done++
		switch {
		case res.OK:
			sum.Accepted++
		case res.Interrupted:
			sum.Failed++
			sum.Interrupted = true
			return context.Canceled
		default:
			sum.Failed++
		}
		return nil
	})
	switch {
	case ctx.Err() != nil || sum.Interrupted:
		sum.Interrupted = true
		sum.Skipped += scan.Selected - done
		err = nil
	case err != nil:
		sum.Skipped += scan.Selected - done
	}
	sum.Unsendable = &unsendable
	return sum, err
}

// Send replays one capture to the target and returns the answer, without
// counting it: as captured, or re-signed when the Replayer re-signs. A
// body that is not nil replaces the captured one and is signed again (the
// Replayer must re-sign). The error says why nothing was sent.
func (r *Replayer) Send(ctx context.Context, rec *capture.Record, body []byte) (*delivery.Result, error) {
	if body != nil && r.resign == nil {
		return nil, errors.New("an edited body must be signed again: make the Replayer with Resign")
	}
	req, skip, err := r.request(ctx, rec, body)
	if err == nil {
		err = skip
	}
	if err != nil {
		return nil, err
	}
	return r.sender.Send(ctx, req), nil
}

// request builds the request of one capture: as captured, with the edited
// (or given) body, re-signed when asked, under the provider's success rule
// and timeout. skip says why the capture cannot be sent; err is a failure
// that stops a run.
func (r *Replayer) request(ctx context.Context, rec *capture.Record, body []byte) (req *delivery.Request, skip, err error) {
	req, skip = AsIs(rec, r.cfg.Target)
	if skip != nil {
		return nil, skip, nil
	}
	switch {
	case body != nil:
		req.Body = body
	case r.cfg.Edit != nil:
		if req.Body, err = r.cfg.Edit(ctx, rec, req); errors.Is(err, ErrEmptied) {
			return nil, err, nil
		} else if err != nil {
			return nil, nil, err
		}
	}
	if r.resign != nil {
		rs := r.resign[rec.Provider]
		if rs == nil { // not among the providers New was given
			p := r.provider(rec.Provider)
			if p == nil {
				return nil, nil, &NoProviderError{Provider: rec.Provider, Captures: 1}
			}
			return nil, nil, &NoSecretError{Provider: p.Name}
		}
		if err := rs.Resign(req); err != nil {
			return nil, nil, err
		}
	}
	rules := delivery.ProviderRules(r.provider(rec.Provider), r.cfg.Timeout)
	req.Rules = &rules
	return req, nil, nil
}
