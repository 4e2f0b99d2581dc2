package present

import (
	"fmt"

	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
)

// Hint prints a dim line of advice on stderr, only on a terminal: what a
// person at the keyboard needs and a script does not.
func Hint(ios *iostreams.IOStreams, stErr *ui.Styles, format string, args ...any) {
	if ios.Interactive() {
		fmt.Fprintln(ios.ErrOut, stErr.Dim(fmt.Sprintf(format, args...)))
	}
}

// Warn prints a styled "warning: ..." line on stderr, on a terminal or
// not: a warning is for scripts too.
func Warn(ios *iostreams.IOStreams, stErr *ui.Styles, format string, args ...any) {
	fmt.Fprintf(ios.ErrOut, "%s %s\n", stErr.Warn("warning:"), fmt.Sprintf(format, args...))
}
