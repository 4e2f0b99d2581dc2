package iostreams

import (
	"os"
	"strconv"

	"github.com/charmbracelet/x/term"
)

// TerminalWidth is stdout's width in columns when it is a terminal, 0 when
// it is not (nothing is cut for a file or a pipe). $COLUMNS wins over the
// terminal's own size; 80 when neither is known.
func (s *IOStreams) TerminalWidth() int {
	if !s.stdoutTTY {
		return 0
	}
	if s.width > 0 {
		return s.width
	}
	if n, err := strconv.Atoi(s.getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := s.Out.(*os.File); ok {
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// SetTerminalWidth fixes the width TerminalWidth reports on a terminal
// (tests).
func (s *IOStreams) SetTerminalWidth(n int) { s.width = n }
