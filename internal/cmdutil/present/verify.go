package present

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/ui"
	"github.com/hookctl/hookctl/internal/verify"
)

// Verdict is 'hookctl verify's verdict as --json prints it. Provider is
// null when none was named or detected, Reason null when the signature
// is valid.
type Verdict struct {
	Valid    bool    `json:"valid"`
	Provider *string `json:"provider"`
	Reason   *string `json:"reason"`
	Detected bool    `json:"detected"`
	Header   string  `json:"header,omitempty"`
}

// NewVerdict words a check's result: the reason of an invalid one
// (InvalidReason), or that no provider was found.
func NewVerdict(r *verify.Result) Verdict {
	v := Verdict{Valid: r.Valid, Detected: r.Detected, Header: r.Header}
	reason := ""
	switch {
	case r.Provider == nil:
		reason = "no signature header of a known provider (pass --provider, or see 'hookctl providers')"
	case !r.Valid:
		reason = InvalidReason(r.Reason, r.Provider.Name, r.Source, r.Lossy)
	}
	if reason != "" {
		v.Reason = &reason
	}
	if r.Provider != nil {
		v.Provider = &r.Provider.Name
	}
	return v
}

// PrintVerdict prints a check's verdict: one line, "valid" or "invalid:
// reason", saying which provider was detected; with asJSON the Verdict as
// JSON; with quiet (and no asJSON) nothing.
func PrintVerdict(w io.Writer, st *ui.Styles, r *verify.Result, asJSON, quiet bool) error {
	v := NewVerdict(r)
	if asJSON {
		return JSONLine(w, v)
	}
	if quiet {
		return nil
	}
	line := st.OK("valid")
	if !v.Valid {
		line = st.Fail("invalid") + ": " + *v.Reason
	}
	if v.Detected {
		line += st.Dim(fmt.Sprintf(" (provider %s, detected from %s)", *v.Provider, v.Header))
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

// InvalidReason is the one-line reason of an invalid verdict for
// provider, from signer's ("" reads "the signature does not verify").
// When no signature matched and the secret checked with was the
// development secret or key pair (the last step of the secrets order:
// secrets.SourceDev, SourceDevKey), it says so and how to check with the
// provider's own; lossy (a curl --trace-ascii log) adds why the body may
// differ from the one sent.
func InvalidReason(reason, provider string, source secrets.Source, lossy bool) string {
	reason = cmp.Or(reason, "the signature does not verify")
	dev := map[secrets.Source]string{secrets.SourceDev: "secret", secrets.SourceDevKey: "key pair"}[source]
	if dev != "" && mismatch(reason) {
		reason += fmt.Sprintf(" (checked with the development %s: pass --secret or set %s)", dev, secrets.EnvName(provider))
	}
	if lossy {
		reason += "; note: curl --trace-ascii prints bytes outside printable ASCII as '.', so the body may differ from the one sent: save the request with curl --trace instead"
	}
	return reason
}

// mismatch reports whether a reason of signer's says no signature matched
// the secrets, rather than a header, encoding or timestamp problem that
// no other secret would mend.
func mismatch(reason string) bool {
	for _, s := range []string{"no signature matches ", "no signature verifies ", " is not the secret token "} {
		if strings.Contains(reason, s) {
			return true
		}
	}
	return false
}
