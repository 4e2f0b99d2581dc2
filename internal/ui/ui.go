// Package ui holds hookctl's styles as data, built once from the colour
// decision of iostreams. Only this package imports lipgloss and color;
// commands call the functions, logic packages never see them.
package ui

import (
	"io"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/lipgloss"
	"github.com/fatih/color"
	"github.com/muesli/termenv"
)

// Styles renders text for one output stream. With colour off every function
// returns its input unchanged.
type Styles struct {
	Color bool

	Bold    func(string) string
	Dim     func(string) string
	OK      func(string) string // valid, accepted
	Fail    func(string) string // invalid, failed
	Warn    func(string) string // unsigned, retrying
	Accent  func(string) string // event names, URLs
	Heading func(string) string // table headings, section titles
	Box     func(string) string // a bordered box for things to notice (the Notion token)
}

// New builds the styles. The colour profile is fixed here, so lipgloss never
// queries the terminal (no AdaptiveColor, no background detection).
func New(enabled bool) *Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetHasDarkBackground(true)
	if !enabled {
		r.SetColorProfile(termenv.Ascii)
		id := func(s string) string { return s }
		return &Styles{Bold: id, Dim: id, OK: id, Fail: id, Warn: id, Accent: id, Heading: id, Box: func(s string) string {
			return s
		}}
	}
	r.SetColorProfile(termenv.ANSI256)
	render := func(st lipgloss.Style) func(string) string { return func(s string) string { return st.Render(s) } }
	fc := func(attrs ...color.Attribute) func(string) string {
		c := color.New(attrs...)
		c.EnableColor()
		return func(s string) string { return c.Sprint(s) }
	}
	return &Styles{
		Color:   true,
		Bold:    render(r.NewStyle().Bold(true)),
		Dim:     render(r.NewStyle().Foreground(lipgloss.Color("245"))),
		OK:      fc(color.FgGreen, color.Bold),
		Fail:    fc(color.FgRed, color.Bold),
		Warn:    fc(color.FgYellow),
		Accent:  render(r.NewStyle().Foreground(lipgloss.Color("75"))),
		Heading: render(r.NewStyle().Bold(true).Underline(true)),
		Box: render(r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(lipgloss.Color("214")).
			Padding(0, 1)),
	}
}

// Status colours an HTTP status by class.
func (s *Styles) Status(code int, text string) string {
	switch {
	case code >= 200 && code < 300:
		return s.OK(text)
	case code >= 300 && code < 500:
		return s.Warn(text)
	default:
		return s.Fail(text)
	}
}

// Table writes aligned columns; the first row is the heading. Alignment is
// computed on plain text, then the heading line is styled.
func (s *Styles) Table(w io.Writer, rows [][]string) error {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		_, _ = io.WriteString(tw, strings.Join(row, "\t")+"\n")
	}
	_ = tw.Flush()
	out := b.String()
	if head, rest, ok := strings.Cut(out, "\n"); ok && s.Color {
		out = s.Bold(strings.TrimRight(head, " ")) + "\n" + rest
	}
	_, err := io.WriteString(w, out)
	return err
}

// Width is how many columns s takes on a terminal, its styling not counted.
func Width(s string) int { return lipgloss.Width(s) }

// Fit cuts text with "…" so that a line already width columns wide, plus
// two spaces and text, stays within limit columns; 0 leaves it whole.
// At least 20 columns of text are kept.
func Fit(width int, text string, limit int) string {
	if limit <= 0 {
		return text
	}
	avail := limit - width - 2
	r := []rune(text)
	if len(r) <= avail {
		return text
	}
	avail = max(avail, 20)
	if len(r) <= avail {
		return text
	}
	return string(r[:avail-1]) + "…"
}
