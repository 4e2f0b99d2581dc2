// Package cmd builds hookctl's command tree and runs it, mapping errors to
// the documented exit codes in one place.
package cmd

import (
	"context"
	_ "embed"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/cmd/captures"
	"github.com/hookctl/hookctl/cmd/check"
	configcmd "github.com/hookctl/hookctl/cmd/config"
	"github.com/hookctl/hookctl/cmd/events"
	"github.com/hookctl/hookctl/cmd/inspect"
	"github.com/hookctl/hookctl/cmd/listen"
	"github.com/hookctl/hookctl/cmd/providers"
	"github.com/hookctl/hookctl/cmd/replay"
	"github.com/hookctl/hookctl/cmd/secret"
	"github.com/hookctl/hookctl/cmd/show"
	"github.com/hookctl/hookctl/cmd/sign"
	"github.com/hookctl/hookctl/cmd/trigger"
	"github.com/hookctl/hookctl/cmd/verify"
	"github.com/hookctl/hookctl/cmd/version"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
)

//go:embed root.txt
var rootLong string // the help text

// Main runs hookctl with the process's arguments and returns the exit code.
func Main(ver, commit, date string) int {
	f := cmdutil.New(cmdutil.BuildInfo{Version: ver, Commit: commit, Date: date})
	return Run(context.Background(), f, os.Args[1:])
}

// Run executes one command line against a factory; tests call it directly.
// It builds only the command the line names (see rootFor).
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := rootFor(f, args)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	cmdutil.PrintError(f.IOStreams, cmd, err)
	return cmdutil.ExitCode(err)
}

// subcommand is one command of the tree and how to build it.
type subcommand struct {
	name  string
	build func(f *cmdutil.Factory) *cobra.Command
}

// subcommands lists hookctl's commands in the order help shows them.
func subcommands() []subcommand {
	return []subcommand{
		{"sign", func(f *cmdutil.Factory) *cobra.Command { return sign.NewCmdSign(f, nil) }},
		{"verify", func(f *cmdutil.Factory) *cobra.Command { return verify.NewCmdVerify(f, nil) }},
		{"providers", func(f *cmdutil.Factory) *cobra.Command { return providers.NewCmdProviders(f, nil) }},
		{"events", func(f *cmdutil.Factory) *cobra.Command { return events.NewCmdEvents(f, nil) }},
		{"version", func(f *cmdutil.Factory) *cobra.Command { return version.NewCmdVersion(f, nil) }},
		{"secret", func(f *cmdutil.Factory) *cobra.Command { return secret.NewCmdSecret(f, nil) }},
		{"config", func(f *cmdutil.Factory) *cobra.Command { return configcmd.NewCmdConfig(f, otherCommands, nil) }},
		{"exit-codes", helpTopic("exit-codes", "The exit codes hookctl returns", cmdutil.ExitCodesHelp)},
		{"secrets", helpTopic("secrets", "Where secrets come from, in which order", cmdutil.SecretsHelp)},
		{"trigger", func(f *cmdutil.Factory) *cobra.Command { return trigger.NewCmdTrigger(f, nil) }},
		{"listen", func(f *cmdutil.Factory) *cobra.Command { return listen.NewCmdListen(f, nil) }},
		{"replay", func(f *cmdutil.Factory) *cobra.Command { return replay.NewCmdReplay(f, nil) }},
		{"show", func(f *cmdutil.Factory) *cobra.Command { return show.NewCmdShow(f, nil) }},
		{"captures", func(f *cmdutil.Factory) *cobra.Command { return captures.NewCmdCaptures(f, nil) }},
		{"check", func(f *cmdutil.Factory) *cobra.Command { return check.NewCmdCheck(f, nil) }},
		{"inspect", func(f *cmdutil.Factory) *cobra.Command { return inspect.NewCmdInspect(f, nil) }},
	}
}

// helpTopic builds a help-only entry (cmdutil.HelpTopic).
func helpTopic(name, short, long string) func(*cmdutil.Factory) *cobra.Command {
	return func(*cmdutil.Factory) *cobra.Command { return cmdutil.HelpTopic(name, short, long) }
}

// commandNames are the commands' names, which the config file's sections
// and HOOKCTL_<COMMAND>_* variables may name.
func commandNames() []string {
	var out []string
	for _, sc := range subcommands() {
		if sc.name != "exit-codes" && sc.name != "secrets" {
			out = append(out, sc.name)
		}
	}
	return out
}

// otherCommands builds every command but config, for 'hookctl config'.
func otherCommands(f *cmdutil.Factory) []*cobra.Command {
	var out []*cobra.Command
	for _, sc := range subcommands() {
		if c := sc.build(f); sc.name != "config" && c.Annotations[cmdutil.TopicAnnotation] == "" {
			out = append(out, c)
		}
	}
	return out
}

// rootFor builds the root with only the command that args name, when they
// name one: building every command's flags is most of hookctl's own
// start-up work, and `hookctl sign` should start about as fast as a Go
// program can. Anything else (no command, help, completion, an unknown
// name, which wants suggestions) gets the whole tree.
func rootFor(f *cmdutil.Factory, args []string) *cobra.Command {
	root := newRoot(f)
	name := cmdutil.CommandName(root.PersistentFlags(), args)
	for _, sc := range subcommands() {
		if sc.name == name {
			root.AddCommand(sc.build(f))
			root.CompletionOptions.DisableDefaultCmd = true // only the whole tree (completion, __complete) needs it
			return root
		}
	}
	for _, sc := range subcommands() {
		root.AddCommand(sc.build(f))
	}
	return root
}

// NewCmdRoot builds the whole command tree (help, completion scripts).
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	return rootFor(f, nil)
}

// newRoot is the root command with its global flags and no subcommands.
func newRoot(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:                        "hookctl <command>",
		Short:                      "Test webhooks locally: trigger, listen, sign, verify, replay",
		Long:                       rootLong,
		SilenceErrors:              true,
		SilenceUsage:               true,
		SuggestionsMinimumDistance: 2,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return cmdutil.Configure(f, cmd, commandNames())
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if v, _ := cmd.Flags().GetBool("version"); v {
				fmt.Fprintf(f.IOStreams.Out, "hookctl %s\n", f.Build.Resolved().Version)
				return nil
			}
			if len(args) > 0 {
				return cmdutil.UnknownCommand(cmd, args[0])
			}
			return cmd.Help()
		},
		Args: cobra.ArbitraryArgs,
	}
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetHelpCommand(cmdutil.NewHelpCmd())
	cmdutil.PadHelpTopics(root)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &cmdutil.UsageError{Err: err, Hint: true} })

	pf := root.PersistentFlags()
	pf.String("config", "", "config file (default ./hookctl.yaml, then $XDG_CONFIG_HOME/hookctl/config.yaml)")
	pf.Bool("json", false, "print machine-readable JSON on stdout")
	pf.String("color", "auto", "colour output: auto, always or never")
	pf.BoolP("quiet", "q", false, "print only results and errors")
	// Our own --version rather than cobra's: its version output is a
	// text/template, and executing one anywhere makes the linker keep every
	// method of every type (a larger, slower-starting binary).
	root.Flags().BoolP("version", "v", false, "print hookctl's version")
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions(iostreams.ColorModes, cobra.ShellCompDirectiveNoFileComp))

	return root
}
