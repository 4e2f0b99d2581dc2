package cmdutil

import "github.com/spf13/cobra"

// To is where a command that sends (trigger, replay) or shows a request
// (events show) sends it: its --to flag, else the config's to: (the file
// or HOOKCTL_TO); "" when neither names one.
func (f *Factory) To(cmd *cobra.Command) (string, error) {
	cfg, err := f.Config()
	if err != nil {
		return "", err
	}
	cfg.Bind("to", cmd.Flags().Lookup("to"))
	return cfg.To(), nil
}
