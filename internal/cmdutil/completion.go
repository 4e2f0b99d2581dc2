package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"
)

// RegisterProviderCompletion completes --provider with the catalogue's names.
func RegisterProviderCompletion(cmd *cobra.Command, f *Factory) {
	_ = cmd.RegisterFlagCompletionFunc("provider", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		cat, err := f.Catalog()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, p := range cat.Providers() {
			out = append(out, p.Name+"\t"+p.Title)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// CompleteEvents completes event names, of --provider when it is set.
func CompleteEvents(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		cat, err := f.Catalog()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		only, _ := cmd.Flags().GetString("provider")
		var out []string
		for _, p := range cat.Providers() {
			if only != "" && p.Name != only {
				continue
			}
			for _, e := range p.Events {
				if strings.HasPrefix(e.Name, toComplete) {
					out = append(out, e.Name+"\t"+p.Name+": "+e.Description)
				}
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
