package present

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/ui"
)

// ProviderInfo is a provider as 'hookctl providers --json' prints it.
type ProviderInfo struct {
	Name            string   `json:"name"`
	Aliases         []string `json:"aliases,omitempty"`
	Title           string   `json:"title"`
	SignatureHeader string   `json:"signature_header"`
	TimestampHeader string   `json:"timestamp_header,omitempty"`
	IDHeader        string   `json:"id_header,omitempty"`
	Signed          string   `json:"signed"`
	Hash            string   `json:"hash"`
	Encoding        string   `json:"encoding"`
	Prefix          string   `json:"prefix,omitempty"`
	SecretForm      string   `json:"secret_form"`
	Tolerance       string   `json:"tolerance,omitempty"`
	Events          int      `json:"events"`
	Success         string   `json:"success"`
	Timeout         string   `json:"timeout"`
	Schedule        []string `json:"schedule"`
	ScheduleSource  string   `json:"schedule_source"`
	AfterLast       string   `json:"after_last,omitempty"`
	RetryHeaders    []string `json:"retry_headers,omitempty"`
	APIVersion      string   `json:"api_version,omitempty"`
	Source          string   `json:"source"`
}

// DescribeProvider turns a catalogue entry into its listing.
func DescribeProvider(p *catalog.Provider) ProviderInfo {
	s := p.Scheme
	info := ProviderInfo{
		Name: p.Name, Aliases: p.Aliases, Title: p.Title,
		SignatureHeader: signatureWhere(s), TimestampHeader: s.Headers.Timestamp, IDHeader: s.Headers.ID,
		Signed: string(s.Signed), Hash: s.Hash, Encoding: s.Enc, Prefix: s.Prefix, SecretForm: s.Secret,
		Events: len(p.Events), Success: p.Delivery.SuccessRule(), Timeout: p.Delivery.Timeout.String(),
		ScheduleSource: "provider", AfterLast: p.Delivery.AfterLast, APIVersion: p.APIVersion, Source: p.Source,
	}
	for _, h := range []string{p.Delivery.RetryNumHeader, p.Delivery.RetryReasonHeader} {
		if h != "" {
			info.RetryHeaders = append(info.RetryHeaders, h)
		}
	}
	if s.Tolerance > 0 {
		info.Tolerance = s.Tolerance.String()
	}
	if p.Delivery.DefaultSchedule {
		info.ScheduleSource = "hookctl default (Svix's schedule)"
	}
	for _, d := range p.Delivery.Schedule {
		info.Schedule = append(info.Schedule, FormatWait(d))
	}
	return info
}

// FormatWait writes a wait as people read it: 0, 5s, 5m, 2h.
func FormatWait(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// Providers lists the providers: a table, or with asJSON every detail.
func Providers(w io.Writer, st *ui.Styles, ps []*catalog.Provider, asJSON bool) error {
	infos := make([]ProviderInfo, 0, len(ps))
	for _, p := range ps {
		infos = append(infos, DescribeProvider(p))
	}
	if asJSON {
		return JSON(w, infos)
	}
	rows := [][]string{{"NAME", "SIGNATURE HEADER", "EVENTS", "API VERSION", "SOURCE"}}
	for _, i := range infos {
		name := i.Name
		if len(i.Aliases) > 0 {
			name += " (" + strings.Join(i.Aliases, ", ") + ")"
		}
		rows = append(rows, []string{name, i.SignatureHeader, fmt.Sprint(i.Events), cmp.Or(i.APIVersion, "-"), i.Source})
	}
	return st.Table(w, rows)
}

// signatureWhere is the signature's header, or where in the body it is
// (Mailgun's body field).
func signatureWhere(s signer.Scheme) string {
	if s.Headers.Signature == "" && s.BodySig != nil {
		return "body: " + s.BodySig.Signature
	}
	return s.Headers.Signature
}
