package cmdutil

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/hookctl/hookctl/internal/config"
)

// ChecksConfigAnnotation marks a command that checks the whole config
// itself ('hookctl config'), so the root does not check its part first.
const ChecksConfigAnnotation = "hookctl:checks-config"

// WarnConfig prints one warning line on stderr for each setting nothing
// reads (an unknown key in the file, an unknown HOOKCTL_* variable), for
// the commands in sections; commands are every command's name. Warnings
// are printed even off a terminal and with -q: a setting that is silently
// ignored is what they are for.
func WarnConfig(f *Factory, sections map[string]*pflag.FlagSet, commands []string) error {
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	cat, err := f.Catalog()
	if err != nil {
		return err
	}
	environ := f.Environ
	if environ == nil {
		environ = os.Environ
	}
	for _, w := range cfg.Check(config.Known{Commands: commands, Sections: sections, Providers: cat.Names(), Environ: environ()}) {
		fmt.Fprintln(f.IOStreams.ErrOut, "hookctl: warning: "+w)
	}
	return nil
}
