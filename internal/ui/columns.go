package ui

import (
	"strings"
	"unicode/utf8"
)

// Columns lays out a table that streams: the widths are measured first
// (Measure on every row, e.g. in a first pass over a file), then each Row
// is written at once, none held back to align the others.
type Columns struct {
	Head  []string
	Max   []int // a longer cell is cut with …; 0: no limit
	width []int
}

// NewColumns returns columns with these headings and limits.
func NewColumns(head []string, limits []int) *Columns {
	c := &Columns{Head: head, Max: limits, width: make([]int, len(head))}
	for i, h := range head {
		c.width[i] = utf8.RuneCountInString(h)
	}
	return c
}

// Measure widens the columns to fit a row.
func (c *Columns) Measure(cells []string) {
	for i, cell := range cells {
		n := utf8.RuneCountInString(cell)
		if c.Max[i] > 0 {
			n = min(n, c.Max[i])
		}
		c.width[i] = max(c.width[i], n)
	}
}

// Row cuts and pads the cells to the measured widths, two spaces apart;
// style (when not nil) colours a cell before it is padded.
func (c *Columns) Row(vals []string, style func(i int, cell string) string) string {
	var b strings.Builder
	for i, v := range vals {
		if c.Max[i] > 0 && utf8.RuneCountInString(v) > c.Max[i] {
			v = string([]rune(v)[:c.Max[i]-1]) + "…"
		}
		pad := ""
		if i < len(vals)-1 {
			pad = strings.Repeat(" ", c.width[i]-utf8.RuneCountInString(v)+2)
		}
		if style != nil {
			v = style(i, v)
		}
		b.WriteString(v)
		b.WriteString(pad)
	}
	return b.String()
}
