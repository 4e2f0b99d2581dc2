// Package cmd builds hookctl's command tree and runs it, mapping errors to
// the documented exit codes in one place.
package cmd

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/cmd/events"
	"github.com/hookctl/hookctl/cmd/listen"
	"github.com/hookctl/hookctl/cmd/providers"
	"github.com/hookctl/hookctl/cmd/replay"
	"github.com/hookctl/hookctl/cmd/sign"
	"github.com/hookctl/hookctl/cmd/trigger"
	"github.com/hookctl/hookctl/cmd/verify"
	"github.com/hookctl/hookctl/cmd/version"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// Main runs hookctl with the process's arguments and returns the exit code.
func Main(ver, commit, date string) int {
	f := cmdutil.New(cmdutil.BuildInfo{Version: ver, Commit: commit, Date: date})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C cancels the context and commands stop cleanly; after
	// it the default handling is back, so a second Ctrl-C quits at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	return Run(ctx, f, os.Args[1:])
}

// Run executes one command line against a factory; tests call it directly.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && cmdutil.ShouldPrint(err) {
		msg := "hookctl: " + cmdutil.OneLine(err)
		if cmd != nil && cmdutil.WantsHelpHint(err) {
			msg += fmt.Sprintf(" (see '%s --help')", cmd.CommandPath())
		}
		fmt.Fprintln(f.IOStreams.ErrOut, msg)
	}
	return cmdutil.ExitCode(err)
}

// NewCmdRoot builds the command tree.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "hookctl <command>",
		Short: "Test webhooks locally: trigger, listen, sign, verify, replay",
		Long: `hookctl tests webhooks on your machine, for any provider, with no account.

  hookctl trigger message.created --to localhost:5000   send a signed sample event
  hookctl listen                                        receive, verify and capture webhooks
  hookctl sign / hookctl verify                         compute or check a signature
  hookctl replay                                        resend captured requests

Run 'hookctl providers' and 'hookctl events' to see what it knows, and
'hookctl help exit-codes' for the exit codes scripts can rely on.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       f.Build.Version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			f.ConfigPath, _ = cmd.Flags().GetString("config")
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			for _, key := range []string{"color", "json", "quiet"} {
				cfg.Bind(key, cmd.Flags().Lookup(key))
			}
			mode, err := iostreams.ParseColorMode(cfg.V.GetString("color"))
			if err != nil {
				return cmdutil.AsUsage(err)
			}
			f.IOStreams.SetColorMode(mode)
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.Usagef("unknown command %q: run 'hookctl --help'", args[0])
			}
			return cmd.Help()
		},
		Args: cobra.ArbitraryArgs,
	}
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetVersionTemplate("hookctl {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &cmdutil.UsageError{Err: err, Hint: true} })

	pf := root.PersistentFlags()
	pf.String("config", "", "config file (default ./hookctl.yaml, then $XDG_CONFIG_HOME/hookctl/config.yaml)")
	pf.Bool("json", false, "print machine-readable JSON on stdout")
	pf.String("color", "auto", "colour output: auto, always or never")
	pf.BoolP("quiet", "q", false, "print only results and errors")
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions(iostreams.ColorModes, cobra.ShellCompDirectiveNoFileComp))

	root.AddCommand(
		sign.NewCmdSign(f, nil),
		verify.NewCmdVerify(f, nil),
		providers.NewCmdProviders(f, nil),
		events.NewCmdEvents(f, nil),
		version.NewCmdVersion(f, nil),
		&cobra.Command{
			Use:   "exit-codes",
			Short: "The exit codes hookctl returns",
			Long:  cmdutil.ExitCodesHelp,
		},
	)
	root.AddCommand(
		trigger.NewCmdTrigger(f, nil),
		listen.NewCmdListen(f, nil),
		replay.NewCmdReplay(f, nil),
	)
	return root
}
