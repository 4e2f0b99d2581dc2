package cmdutil

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/devsecret"
	"github.com/hookctl/hookctl/internal/secrets"
)

// noteDevSecret says, once, that a command fell back to the development
// secret: on stderr, on a terminal or not (a CI log then shows why a
// signature matched or not), unless -q.
func (f *Factory) noteDevSecret(provider string, named []string) {
	if f.Quiet() {
		return
	}
	msg := "hookctl: no secret configured for " + provider + ": using your development secret ('hookctl secret' prints it)"
	if len(named) > 0 {
		msg += "; the P= secrets given are for " + strings.Join(named, ", ") + " alone"
	}
	fmt.Fprintln(f.IOStreams.ErrOut, msg)
}

// DevSecretPath is where the development secret is kept; "" when there is
// no config folder (no XDG_CONFIG_HOME, HOME or APPDATA).
func (f *Factory) DevSecretPath() string {
	dir := config.Dir(f.Getenv)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, devsecret.FileName)
}

// DevSecret returns the per-user development secret, made on first use.
func (f *Factory) DevSecret() (string, error) {
	f.devOnce.Do(func() {
		path := f.DevSecretPath()
		if path == "" {
			f.devErr = errors.New("no folder for the development secret: set XDG_CONFIG_HOME or HOME")
			return
		}
		f.dev, f.devErr = devsecret.Load(path)
	})
	return f.dev, f.devErr
}

// DevSecretNoted marks the development secret as already mentioned (listen
// prints it when it starts), so no later hint repeats it.
func (f *Factory) DevSecretNoted() { f.devNoted.Do(func() {}) }

// DevSecretLine is what listen prints as it starts when the development
// secret verifies some provider's requests ("" when every provider that
// can arrive has a secret of its own): the secret, in only's form when
// listen judges every request as only's. It counts as the one mention.
func (f *Factory) DevSecretLine(r *secrets.Resolver, only *catalog.Provider) (string, error) {
	f.DevSecretNoted()
	var providers []*catalog.Provider
	if only != nil {
		providers = []*catalog.Provider{only}
	} else if cat, err := f.Catalog(); err == nil {
		providers = cat.Providers()
	}
	for _, p := range providers {
		_, source, err := r.For(p.Name)
		var dev *secrets.DevError
		if errors.As(err, &dev) {
			return "", nil // none can be made: each request then says "no secret for P"
		}
		if err != nil {
			return "", SecretError(err)
		}
		if source != secrets.SourceDev {
			continue
		}
		base, err := f.DevSecret()
		if err != nil {
			return "", nil
		}
		if only != nil {
			k, err := devsecret.For(base, p) // a key pair's app gets the public key
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("Development %s for %s: %s (no secret is configured for %s; set your app up with this one)", k.Form, p.Name, k.App(), p.Name), nil
		}
		return "Development secret: " + base + " (for providers with no secret configured; 'hookctl secret --provider P' prints P's form)", nil
	}
	return "", nil
}
