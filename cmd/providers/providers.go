// Package providers implements 'hookctl providers'.
package providers

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/signer"
	"github.com/hookctl/hookctl/internal/ui"
)

// Options holds the command's dependencies.
type Options struct {
	IO      *iostreams.IOStreams
	Catalog func() (*catalog.Catalog, error)
	Styles  *ui.Styles
	JSON    bool
}

//go:embed long.txt
var long string // the help text

// NewCmdProviders builds 'hookctl providers'; runF replaces the work in tests.
func NewCmdProviders(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Catalog: f.Catalog}
	return &cobra.Command{
		Use:   "providers",
		Short: "List the providers hookctl can sign and verify for",
		Long:  long,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Styles = f.JSON(), f.Styles()
			if runF != nil {
				return runF(opts)
			}
			return providersRun(opts)
		},
	}
}

// Info is a provider as --json prints it.
type Info struct {
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

// Describe turns a catalogue entry into its listing.
func Describe(p *catalog.Provider) Info {
	s := p.Scheme
	info := Info{
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

func providersRun(opts *Options) error {
	cat, err := opts.Catalog()
	if err != nil {
		return err
	}
	infos := make([]Info, 0, len(cat.Providers()))
	for _, p := range cat.Providers() {
		infos = append(infos, Describe(p))
	}
	if opts.JSON {
		return writeJSON(opts.IO.Out, infos)
	}
	rows := [][]string{{"NAME", "SIGNATURE HEADER", "EVENTS", "API VERSION", "SOURCE"}}
	for _, i := range infos {
		name := i.Name
		if len(i.Aliases) > 0 {
			name += " (" + strings.Join(i.Aliases, ", ") + ")"
		}
		rows = append(rows, []string{name, i.SignatureHeader, fmt.Sprint(i.Events), cmp.Or(i.APIVersion, "-"), i.Source})
	}
	return opts.Styles.Table(opts.IO.Out, rows)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// signatureWhere is the signature's header, or where in the body it is
// (Mailgun's body field).
func signatureWhere(s signer.Scheme) string {
	if s.Headers.Signature == "" && s.BodySig != nil {
		return "body: " + s.BodySig.Signature
	}
	return s.Headers.Signature
}
