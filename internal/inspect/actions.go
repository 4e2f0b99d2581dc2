package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/replay"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/signer"
)

// This file is the inspector's only contact with the signer and the replay
// engine: the handlers call Actions, and Engine wires them to the
// packages hookctl verify and hookctl replay use.

// Actions are what the page's buttons do to a capture. Secrets passed in
// are used for the one call and never kept, written or logged.
type Actions struct {
	Verify func(ctx context.Context, rec *capture.Record, secrets []string) (*VerifyResult, error)
	Replay func(ctx context.Context, rec *capture.Record, req ReplayRequest) (json.RawMessage, error)
}

// VerifyResult is a re-verification's verdict.
type VerifyResult struct {
	Provider string `json:"provider"`
	Verdict  string `json:"verdict"` // valid or invalid
	Valid    bool   `json:"valid"`
	Reason   string `json:"reason,omitempty"`
	// At is the time the signature's timestamp was checked against: the
	// capture's arrival, so a capture verifies as it did when it came.
	At time.Time `json:"checked_at"`
}

// ReplayRequest is the body of POST /api/captures/{id}/replay.
type ReplayRequest struct {
	To      string   `json:"to"`
	Resign  bool     `json:"resign"`
	Body    *string  `json:"body,omitempty"`    // replaces the body; implies resign
	Secrets []string `json:"secrets,omitempty"` // for resign; default the configured ones
}

// InputError is a request the action cannot carry out as asked (400).
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputf(format string, args ...any) error { return &InputError{fmt.Sprintf(format, args...)} }

// Engine holds what the default actions need.
type Engine struct {
	Catalog *catalog.Catalog
	Client  *http.Client // nil: delivery.NewClient
	Now     func() time.Time
	IDs     *ids.Generator
	// Secrets finds a provider's configured secrets (environment, config
	// file) for a re-signed replay when none are typed in.
	Secrets func(provider string) ([]string, error)
}

// Actions returns the engine's verify and replay.
func (e *Engine) Actions() Actions { return Actions{Verify: e.verify, Replay: e.replay} }

func (e *Engine) provider(rec *capture.Record) *catalog.Provider {
	if rec.Provider != "" {
		if p, err := e.Catalog.Lookup(rec.Provider); err == nil {
			return p
		}
	}
	return e.Catalog.Detect(rec.Headers)
}

func (e *Engine) verify(_ context.Context, rec *capture.Record, secrets []string) (*VerifyResult, error) {
	p := e.provider(rec)
	switch {
	case p == nil:
		return nil, inputf("capture %s carries no signature hookctl knows: nothing to verify", rec.ID)
	case len(secrets) == 0 || slices.Contains(secrets, ""):
		return nil, inputf("type the %s secret to verify with", p.Name)
	case rec.BodyTruncated:
		return nil, inputf("capture %s: its body was not stored (over listen's --max-body), so its signature cannot be checked", rec.ID)
	}
	for _, s := range secrets {
		if _, err := p.Scheme.Key(s); err != nil {
			return nil, inputf("secret for %s: %v", p.Name, err)
		}
	}
	body, err := rec.BodyBytes()
	if err != nil {
		return nil, inputf("%v", err)
	}
	in := signer.VerifyInput{Header: rec.Headers, Secrets: secrets, Now: rec.Time}
	var res *signer.Result
	for _, u := range signedURLs(p, rec) {
		in.URL, in.Body = u, bytes.NewReader(body)
		r, err := p.Scheme.Verify(in)
		if err != nil {
			r = &signer.Result{Reason: err.Error()}
		}
		if res == nil || r.Valid {
			res = r
		}
		if r.Valid {
			break
		}
	}
	out := &VerifyResult{Provider: p.Name, Verdict: VerdictInvalid, Valid: res.Valid, Reason: res.Reason, At: rec.Time}
	if res.Valid {
		out.Verdict = VerdictValid
	}
	return out, nil
}

// signedURLs are the URLs a scheme that signs the URL (Twilio) may have
// signed for a capture; one empty URL for the others.
func signedURLs(p *catalog.Provider, rec *capture.Record) []string {
	if p.Scheme.Signed != signer.SignedTwilio {
		return []string{""}
	}
	rest := "://" + rec.Host + rec.RequestURI()
	if fp := rec.Headers.Get("X-Forwarded-Proto"); fp != "" {
		proto, _, _ := strings.Cut(fp, ",")
		return []string{strings.ToLower(strings.TrimSpace(proto)) + rest}
	}
	return []string{"https" + rest, "http" + rest}
}

func (e *Engine) replay(ctx context.Context, rec *capture.Record, rr ReplayRequest) (json.RawMessage, error) {
	target, err := delivery.ParseTarget(rr.To)
	if err != nil {
		return nil, inputf("%v", err)
	}
	req, err := replay.AsIs(rec, target)
	if err != nil {
		return nil, inputf("%v", err)
	}
	p := e.provider(rec)
	if rr.Body != nil {
		req.Body, rr.Resign = []byte(*rr.Body), true // an edited body needs a new signature
	}
	if rr.Resign {
		if p == nil {
			return nil, inputf("capture %s has no provider hookctl knows, so it cannot be re-signed: replay it as captured", rec.ID)
		}
		keys := rr.Secrets
		if len(keys) == 0 && e.Secrets != nil {
			if keys, err = e.Secrets(p.Name); err != nil {
				return nil, inputf("%v", err)
			}
		}
		if len(keys) == 0 || slices.Contains(keys, "") {
			return nil, inputf("no secret for %s: type one in the page, or set %s (or HOOKCTL_SECRET) before starting inspect", p.Name, secrets.EnvName(p.Name))
		}
		rs := &replay.Resigner{Provider: p, Secrets: keys, Now: e.Now, IDs: e.IDs}
		if err := rs.Resign(req); err != nil {
			return nil, inputf("%v", err)
		}
	}
	var out bytes.Buffer
	s := delivery.NewSender(delivery.Config{Client: e.Client, Printer: delivery.NewPrinter(&out, delivery.PrintOptions{JSON: true})})
	s.UseProvider(p, 0)
	if _, err := s.Deliver(ctx, delivery.Once(req)); err != nil {
		return nil, err
	}
	line, _, _ := bytes.Cut(out.Bytes(), []byte("\n"))
	if !json.Valid(line) {
		return nil, errors.New("replay reported no result")
	}
	return json.RawMessage(line), nil
}
