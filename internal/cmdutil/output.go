package cmdutil

import "github.com/hookctl/hookctl/internal/ui"

// Output is how a command prints, for its Options: --json, -q, and the
// styles of stdout and stderr.
func (f *Factory) Output() (json, quiet bool, styles, stylesErr *ui.Styles) {
	return f.JSON(), f.Quiet(), f.Styles(), f.StylesErr()
}
