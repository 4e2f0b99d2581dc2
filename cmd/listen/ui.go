package listen

import (
	"context"

	"github.com/spf13/cobra"

	inspectcmd "github.com/hookctl/hookctl/cmd/inspect"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/inspect"
	"github.com/hookctl/hookctl/internal/listen"
)

// addUIFlags adds --ui and --ui-port.
func addUIFlags(cmd *cobra.Command, opts *Options) {
	fl := cmd.Flags()
	fl.BoolVar(&opts.UI, "ui", false, "also serve the web inspector over the capture file (as 'hookctl inspect', on 127.0.0.1)")
	fl.IntVar(&opts.UIPort, "ui-port", inspectcmd.DefaultPort, "the inspector's port with --ui; 0 takes a free one, and the default falls back to one when 4040 is taken")
	cmd.MarkFlagsMutuallyExclusive("ui", "no-capture")
}

// startUI serves the inspector over the capture file listen writes, on
// 127.0.0.1 whatever --host is; the page re-signs with listen's secrets.
// The returned func stops it.
func startUI(ctx context.Context, opts *Options, d *present.Listen, cfg listen.Config, path string) (func(), error) {
	ui, err := inspectcmd.Start(inspectcmd.Deps{Catalog: cfg.Catalog, Now: opts.Now, IDs: opts.IDs, Secrets: cfg.Secrets},
		inspect.StartConfig{Capture: path, Port: opts.UIPort, Fallback: !opts.UIPortSet})
	if err != nil {
		return nil, err
	}
	d.Notice("Inspector at %s", ui.URL)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := ui.Serve(ctx); err != nil {
			d.Warn("the inspector stopped: %v", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}
