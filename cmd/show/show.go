// Package show implements 'hookctl show'.
package show

import (
	_ "embed"
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// Options holds show's dependencies and flag values.
type Options struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	JSON   bool
	cmdutil.CaptureArgs
}

//go:embed long.txt
var long string // the help text

// NewCmdShow builds 'hookctl show'; runF replaces the work in tests.
func NewCmdShow(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "show [CAPTURE_ID | --last] [--from FILE]",
		Short: "Print one captured request as raw HTTP",
		Long:  long,
		Example: `  hookctl show --last
  hookctl show cap_01j9x2k3m4 --json
  hookctl show --last | hookctl verify --request -
  hookctl show --last --from ci/captures.jsonl > request.http`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.ID = args[0]
			}
			opts.JSON = f.JSON()
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Last, "last", false, "show the newest capture")
	fl.StringVar(&opts.From, "from", "", "capture file to read (default $XDG_STATE_HOME/hookctl/captures.jsonl, where listen writes)")
	cmdutil.CompleteCaptureFile(cmd, "from")
	return cmd
}

func showRun(opts *Options) error {
	rec, err := cmdutil.LoadCapture(opts.IO, opts.Getenv, opts.CaptureArgs)
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetEscapeHTML(false)
		return enc.Encode(rec)
	}
	if _, err := cmdutil.CaptureBody(rec); err != nil {
		return err
	}
	return present.RawCapture(opts.IO.Out, rec)
}
