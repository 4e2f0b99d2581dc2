package present

import (
	"fmt"

	"github.com/hookctl/hookctl/internal/trigger"
)

// Handshake prints a subscription handshake: the token on stdout (a
// {"type":"handshake"} line in JSON mode) and, when it was accepted and
// not with --quiet, what to do with it on stderr.
func (p *Delivery) Handshake(r *trigger.HandshakeResult) {
	if r.Provider.Handshake.Event != "" {
		p.challenge(r)
		return
	}
	if r.SaveErr != nil {
		fmt.Fprintf(p.io.ErrOut, "hookctl: %v\n", r.SaveErr)
	}
	if p.JSON() {
		p.JSONLine(struct {
			Type  string `json:"type"`
			Token string `json:"verification_token"`
			Saved string `json:"saved_to,omitempty"`
		}{"handshake", r.Token, r.SavedTo})
	} else {
		p.Line("verification_token: %s", r.Token)
	}
	if r.OK && !p.opt.Quiet {
		fmt.Fprintf(p.io.ErrOut, "Paste the token into the Verify form of the %s subscription. Later %s triggers sign with it (saved in %s).\n", r.Provider.Title, r.Provider.Name, r.SavedTo)
	}
}

// challenge reports a challenge handshake (Slack's url_verification).
func (p *Delivery) challenge(r *trigger.HandshakeResult) {
	if p.JSON() {
		p.JSONLine(struct {
			Type      string `json:"type"`
			Provider  string `json:"provider"`
			Challenge string `json:"challenge"`
			Echoed    bool   `json:"echoed"`
		}{"handshake", r.Provider.Name, r.Challenge, r.OK})
		return
	}
	verdict := "echoed"
	if !r.OK {
		verdict = "not echoed"
	}
	p.Line("challenge: %s (%s)", r.Challenge, verdict)
	if r.OK && !p.opt.Quiet {
		fmt.Fprintf(p.io.ErrOut, "The endpoint answers %s's %s as %s requires: it can be saved as the Request URL.\n", r.Provider.Title, r.Provider.Handshake.Event, r.Provider.Title)
	}
}

// Verification prints a challenge-response handshake: passed or failed,
// the provider and handshake, the target, the answer's status and, when
// it failed, the one-line reason.
func (p *Delivery) Verification(r *trigger.VerifyResult) {
	status := 0
	if r.Answer != nil {
		status = r.Answer.Status
	}
	if p.JSON() {
		p.JSONLine(struct {
			Type      string `json:"type"`
			Provider  string `json:"provider"`
			Handshake string `json:"handshake"`
			URL       string `json:"url"`
			OK        bool   `json:"ok"`
			Status    int    `json:"status,omitempty"`
			Reason    string `json:"reason,omitempty"`
			LatencyMS int64  `json:"latency_ms"`
		}{"handshake", r.Provider.Name, r.Name, r.URL, r.OK, status, r.Reason, r.Latency.Milliseconds()})
		return
	}
	st := p.Styles()
	verdict, tail := st.OK("passed"), ""
	if !r.OK {
		verdict, tail = st.Fail("failed"), ": "+r.Reason
	}
	answer := "no answer"
	if status != 0 {
		answer = st.Status(status, fmt.Sprint(status))
	}
	p.Line("%s  %s %s -> %s  %s%s", verdict, r.Provider.Name, r.Name, r.URL, answer, tail)
}
