// Package captures implements 'hookctl captures prune' and 'hookctl
// captures clear'.
package captures

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// Options holds the commands' dependencies and flag values.
type Options struct {
	IO     *iostreams.IOStreams
	Now    func() time.Time
	Getenv func(string) string
	JSON   bool

	From, OlderThan string
	Keep            int
	Clear           bool
}

//go:embed long.txt
var long string // the help text

// NewCmdCaptures builds 'hookctl captures' and its subcommands; runF
// replaces the work in tests.
func NewCmdCaptures(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "captures <prune|clear>",
		Short: "Prune or clear the capture file",
		Long:  long,
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newCmd(f, runF, false), newCmd(f, runF, true))
	return cmd
}

func newCmd(f *cmdutil.Factory, runF func(*Options) error, clear bool) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, Getenv: f.Getenv, Keep: -1, Clear: clear}
	cmd := &cobra.Command{
		Use:     "prune [--older-than DUR] [--keep N] [--from FILE]",
		Short:   "Remove the oldest captures",
		Long:    long,
		Example: "  hookctl captures prune --older-than 7d\n  hookctl captures prune --keep 1000 --from ci/captures.jsonl",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = f.JSON()
			if runF != nil {
				return runF(opts)
			}
			return pruneRun(opts)
		},
	}
	if clear {
		cmd.Use, cmd.Short, cmd.Example = "clear [--from FILE]", "Remove every capture", "  hookctl captures clear"
	} else {
		cmd.Flags().StringVar(&opts.OlderThan, "older-than", "", "remove captures older than `DUR` (30m, 12h, 7d)")
		cmd.Flags().IntVar(&opts.Keep, "keep", -1, "keep only the newest `N` captures")
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "capture file (default $XDG_STATE_HOME/hookctl/captures.jsonl, where listen writes)")
	return cmd
}

func pruneRun(opts *Options) error {
	po := capture.PruneOptions{Keep: opts.Keep, Clear: opts.Clear}
	switch {
	case !opts.Clear && opts.OlderThan == "" && opts.Keep < 0:
		return cmdutil.Usagef("say what to remove: --older-than DUR, --keep N, or 'hookctl captures clear'")
	case opts.OlderThan != "":
		d, err := ParseAge(opts.OlderThan)
		if err != nil {
			return err
		}
		po.Before = opts.Now().Add(-d)
	}
	path := opts.From
	if path == "" {
		path = capture.DefaultPath(opts.Getenv)
	}
	res, err := capture.Prune(path, po)
	if errors.Is(err, fs.ErrNotExist) {
		return cmdutil.Usagef("no capture file at %s: nothing to remove", path)
	} else if err != nil {
		return cmdutil.Failedf("%s: %v", path, httpx.Cause(err))
	}
	if opts.JSON {
		return json.NewEncoder(opts.IO.Out).Encode(map[string]any{
			"file": path, "removed": res.Removed, "kept": res.Kept, "size_before": res.Before, "size_after": res.After,
		})
	}
	_, err = fmt.Fprintf(opts.IO.Out, "removed %d, kept %d captures: %s is %s (was %s)\n",
		res.Removed, res.Kept, path, httpx.Size(res.After), httpx.Size(res.Before))
	return err
}

// ParseAge reads --older-than: a Go duration (90m, 12h) or a number of
// days (7d).
func ParseAge(s string) (time.Duration, error) {
	v := strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err == nil && n > 0 && n < 100000 {
			return time.Duration(n * 24 * float64(time.Hour)), nil
		}
	} else if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d, nil
	}
	return 0, cmdutil.Usagef("invalid --older-than %q: pass an age such as 30m, 12h or 7d", s)
}
