package cmdutil

import (
	"strconv"
	"strings"
	"time"

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

// UnixFlag reads a flag of unix seconds (sign's --timestamp, verify's
// --now): now when v is "", else the time it names; a usage error naming
// the flag when it is not a non-negative integer.
func UnixFlag(flag, v string, now func() time.Time) (time.Time, error) {
	if v == "" {
		return now(), nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, Usagef("invalid --%s %q: want unix seconds, e.g. %d", flag, v, now().Unix())
	}
	return time.Unix(n, 0), nil
}
