package cmd

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// configure runs before every command: it loads the configuration (the
// environment alone for commands that need none), gives every flag the
// command line left unset its value from HOOKCTL_<COMMAND>_<FLAG> or the
// file's <command>.<flag>, warns about settings nothing reads, and sets
// the colour mode. Commands then read their flags as usual.
func configure(f *cmdutil.Factory, cmd *cobra.Command) error {
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
		return cmdutil.AsUsage(err)
	}
	if key := commandKey(cmd); key != "" && !f.NoConfigFile {
		flags := cmd.LocalNonPersistentFlags()
		if err := cfg.BindFlags(key, flags); err != nil {
			return cmdutil.AsUsage(err)
		}
		if cmd.Annotations[cmdutil.ChecksConfigAnnotation] == "" {
			if err := cmdutil.WarnConfig(f, map[string]*pflag.FlagSet{key: flags}, commandNames()); err != nil {
				return err
			}
		}
	}
	mode, err := iostreams.ParseColorMode(cfg.Color())
	if err != nil {
		if s, ok := cfg.Setting("color"); ok && s.Origin.Kind != config.FromFlag {
			return cmdutil.Usagef("%v (from %s)", err, s.Origin) // the file's line, or the variable
		}
		return cmdutil.AsUsage(err)
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

// newHelpCmd is 'hookctl help [TOPIC]': an unknown topic is a usage error
// (exit 2) that names it.
func newHelpCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command | topic]",
		Short: "Help about any command or topic",
		Long:  "Print the help of a command (hookctl help listen) or a topic (hookctl help secrets).",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			for _, sub := range c.Root().Commands() {
				if !sub.Hidden && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err == nil && target != nil && (len(args) == 0 || (target.HasParent() && len(rest) == 0)) {
				return target.Help()
			}
			topic := strings.Join(args, " ")
			if s := c.Root().SuggestionsFor(args[0]); len(s) > 0 {
				return cmdutil.Usagef("unknown help topic %q: did you mean %q? (run 'hookctl help')", topic, s[0])
			}
			return cmdutil.Usagef("unknown help topic %q: run 'hookctl help' for the commands and topics", topic)
		},
	}
}

// padHelpTopics lists the root's help topics like its commands: the name
// alone, padded to the same column, instead of cobra's full command path.
func padHelpTopics(root *cobra.Command) {
	usage := root.UsageFunc() // cobra's own, before ours replaces it
	root.SetUsageFunc(func(c *cobra.Command) error {
		if c != root {
			return usage(c)
		}
		var buf bytes.Buffer
		out := c.OutOrStderr()
		c.SetOut(&buf)
		err := usage(c)
		c.SetOut(out)
		text := buf.String()
		const heading = "\nAdditional help topics:"
		head, tail, ok := strings.Cut(text, heading)
		if !ok {
			_, werr := fmt.Fprint(out, text)
			return firstErr(err, werr)
		}
		_, footer, _ := strings.Cut(tail, "\n\n")
		var b strings.Builder
		b.WriteString(head + heading)
		for _, sub := range c.Commands() {
			if sub.IsAdditionalHelpTopicCommand() {
				fmt.Fprintf(&b, "\n  %-*s %s", sub.NamePadding(), sub.Name(), sub.Short)
			}
		}
		if footer != "" {
			b.WriteString("\n\n" + footer)
		} else {
			b.WriteString("\n")
		}
		_, werr := fmt.Fprint(out, b.String())
		return firstErr(err, werr)
	})
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
