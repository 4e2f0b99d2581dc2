package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// Configure runs before every command (the root's PersistentPreRunE): it
// loads the configuration (the environment alone for commands that need
// none), gives every flag the command line left unset its value from
// HOOKCTL_<COMMAND>_<FLAG> or the file's <command>.<flag>, warns about
// settings nothing reads (commands: every command's name), and sets the
// colour mode. Commands then read their flags as usual.
func Configure(f *Factory, cmd *cobra.Command, commands []string) error {
	f.ConfigPath, _ = cmd.Flags().GetString("config")
	if isCompletion(cmd) {
		return nil // completion functions load what they need, and fail quietly
	}
	f.NoConfigFile = needsNoConfig(cmd)
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	if err := cfg.BindFlags("", cmd.Root().PersistentFlags()); err != nil {
		return AsUsage(err)
	}
	if key := commandKey(cmd); key != "" && !f.NoConfigFile {
		flags := cmd.LocalNonPersistentFlags()
		if err := cfg.BindFlags(key, flags); err != nil {
			return AsUsage(err)
		}
		if cmd.Annotations[ChecksConfigAnnotation] == "" {
			if err := WarnConfig(f, map[string]*pflag.FlagSet{key: flags}, commands); err != nil {
				return err
			}
		}
	}
	mode, err := iostreams.ParseColorMode(cfg.Color())
	if err != nil {
		if s, ok := cfg.Setting("color"); ok && s.Origin.Kind != config.FromFlag {
			return Usagef("%v (from %s)", err, s.Origin) // the file's line, or the variable
		}
		return AsUsage(err)
	}
	f.IOStreams.SetColorMode(mode)
	return nil
}

// needsNoConfig reports the commands that read no config file: the root
// (help, --version), help, version and completion scripts.
func needsNoConfig(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.HasParent() && (c.Name() == "help" || c.Name() == "version" || c.Name() == "completion") {
			return true
		}
	}
	return !cmd.HasParent()
}

func isCompletion(cmd *cobra.Command) bool {
	return cmd.Name() == cobra.ShellCompRequestCmd || cmd.Name() == cobra.ShellCompNoDescRequestCmd
}

// commandKey is a command's path below the root, dotted: "listen".
func commandKey(cmd *cobra.Command) string {
	var parts []string
	for c := cmd; c.HasParent(); c = c.Parent() {
		parts = append([]string{c.Name()}, parts...)
	}
	return strings.Join(parts, ".")
}

// CommandName is the first argument that is not a global flag or a global
// flag's value: the command a line runs.
func CommandName(global *pflag.FlagSet, args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return ""
		case !strings.HasPrefix(a, "-") || a == "-":
			return a
		case strings.Contains(a, "="):
			continue
		}
		var fl *pflag.Flag
		if name, ok := strings.CutPrefix(a, "--"); ok {
			fl = global.Lookup(name)
		} else if len(a) == 2 {
			fl = global.ShorthandLookup(a[1:])
		}
		if fl != nil && fl.NoOptDefVal == "" {
			i++ // the flag's value, as in --config FILE
		}
	}
	return ""
}
