package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/secrets"
)

// CatalogProvider loads the catalogue and looks up --provider in it: nil
// when name is "", a usage error (with a did-you-mean) when it is no
// provider.
func CatalogProvider(load func() (*catalog.Catalog, error), name string) (*catalog.Catalog, *catalog.Provider, error) {
	cat, err := load()
	if err != nil || name == "" {
		return cat, nil, err
	}
	p, err := cat.Lookup(name)
	if err != nil {
		return cat, nil, AsUsage(err)
	}
	return cat, p, nil
}

// SecretsLookup resolves --secret and --secret-file (bare ones for p when
// it is set) and returns the lookup a service signs with: a provider's
// secrets, or the usage error that says where to put one.
func SecretsLookup(newResolver func(secrets.CommandLine) (*secrets.Resolver, error), values, files []string, p *catalog.Provider) (func(string) ([]string, error), error) {
	r, err := newResolver(secrets.CommandLine{Values: values, Files: files, Provider: p})
	if err != nil {
		return nil, err
	}
	return func(provider string) ([]string, error) { return SecretsFor(r, provider) }, nil
}

// CompleteCaptureFile makes a flag that names a capture file complete
// *.jsonl files.
func CompleteCaptureFile(cmd *cobra.Command, flag string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"jsonl"}, cobra.ShellCompDirectiveFilterFileExt
	})
}

// TargetFlag is --to as the sending commands read it (trigger, replay,
// events show): the flag, else HOOKCTL_TO, else the config file's to:.
// "" leaves the choice to ResolveTarget.
func TargetFlag(f *Factory, cmd *cobra.Command) (string, error) {
	cfg, err := f.Config()
	if err != nil {
		return "", err
	}
	cfg.Bind("to", cmd.Flags().Lookup("to"))
	return cfg.To(), nil
}
