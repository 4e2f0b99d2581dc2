package present

import (
	"fmt"

	"github.com/hookctl/hookctl/internal/trigger"
)

// Handshake prints a token handshake (Notion's): the token on stdout (a
// {"type":"handshake"} line in JSON mode) and, when it was accepted and
// not with --quiet, what to do with it on stderr.
func (p *Delivery) Handshake(r *trigger.HandshakeResult) {
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

// challenge adds what a challenge handshake (Slack's url_verification)
// has always shown: the challenge sent and whether the answer echoed it;
// in JSON mode its own line, {"type":"handshake","provider":"slack",
// "challenge":...,"echoed":...}, stands for the verification's.
func (p *Delivery) challenge(r *trigger.VerifyResult) {
	h := r.Provider.Handshake
	var c string
	if r.Sent != nil {
		c = h.Challenge(r.Sent.Body)
	}
	if p.JSON() {
		p.JSONLine(struct {
			Type      string `json:"type"`
			Provider  string `json:"provider"`
			Challenge string `json:"challenge"`
			Echoed    bool   `json:"echoed"`
		}{"handshake", r.Provider.Name, c, r.OK})
		return
	}
	verdict := "echoed"
	if !r.OK {
		verdict = "not echoed"
	}
	p.Line("challenge: %s (%s)", c, verdict)
	if r.OK && !p.opt.Quiet {
		fmt.Fprintf(p.io.ErrOut, "The endpoint answers %s's %s as %s requires: it can be saved as the Request URL.\n", r.Provider.Title, h.Event, r.Provider.Title)
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
	isChallenge := r.Provider.Handshake != nil && !r.Provider.Handshake.IsToken()
	if isChallenge && p.JSON() {
		p.challenge(r)
		return
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
	if isChallenge {
		p.challenge(r)
	}
}
