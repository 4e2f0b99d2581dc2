package inspect

import (
	"bytes"
	"context"
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
	// Replay returns the answer, which the command shows as replay --json
	// reports it (Config.Result).
	Replay func(ctx context.Context, rec *capture.Record, req ReplayRequest) (*delivery.Result, error)
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

func (e *Engine) replay(ctx context.Context, rec *capture.Record, rr ReplayRequest) (*delivery.Result, error) {
	target, err := delivery.ParseTarget(rr.To)
	if err != nil {
		return nil, inputf("%v", err)
	}
	var body []byte
	if rr.Body != nil {
		body, rr.Resign = []byte(*rr.Body), true // an edited body needs a new signature
	}
	p := e.provider(rec)
	cfg := replay.Config{
		Catalog: e.Catalog, Provider: p, Target: target, Resign: rr.Resign,
		Client: e.Client, Now: e.Now, IDs: e.IDs,
		Secrets: func(provider string) ([]string, error) {
			if len(rr.Secrets) > 0 {
				return rr.Secrets, nil
			}
			if e.Secrets == nil {
				return nil, nil
			}
			return e.Secrets(provider)
		},
	}
	if rr.Resign && p == nil {
		return nil, inputf("capture %s has no provider hookctl knows, so it cannot be re-signed: replay it as captured", rec.ID)
	}
	if slices.Contains(rr.Secrets, "") {
		return nil, inputf("the secret is empty: type one, or leave it out to use the configured one")
	}
	r, err := replay.New(cfg, map[string]int{rec.Provider: 1})
	var noSecret *replay.NoSecretError
	switch {
	case errors.As(err, &noSecret):
		return nil, inputf("no secret for %s: type one in the page, or set %s (or HOOKCTL_SECRET) before starting inspect", noSecret.Provider, secrets.EnvName(noSecret.Provider))
	case err != nil:
		return nil, inputf("%v", err)
	}
	res, err := r.Send(ctx, rec, body)
	if err != nil {
		return nil, inputf("%v", err)
	}
	return res, nil
}
