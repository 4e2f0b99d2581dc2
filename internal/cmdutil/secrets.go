package cmdutil

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/secrets"
	"github.com/hookctl/hookctl/internal/signer"
)

// SecretsHelp documents the one precedence, for `hookctl help secrets`.
const SecretsHelp = `Every command that signs or verifies (sign, verify, trigger, listen,
replay, check) finds a provider's secrets in the same order. The first place that
has any secret for the provider decides; places are not mixed.

  1. --secret P=S and --secret-file P=FILE: secrets for provider P (a name
     or an alias, see 'hookctl providers')
  2. --secret S and --secret-file FILE: bare secrets, for --provider when
     it is given, else for every provider not named in a P= form
  3. HOOKCTL_<PROVIDER>_SECRET, e.g. HOOKCTL_STRIPE_SECRET, with the
     provider's name, not an alias (HOOKCTL_STANDARD_SECRET); dashes and
     dots become _ (a provider my-app: HOOKCTL_MY_APP_SECRET)
  4. HOOKCTL_SECRET
  5. the config file: secrets.<provider> (a string, or a list for
     rotation), then providers.<provider>.secret, then secret
  6. notion only: the verification token of the last handshake (sent by
     'hookctl trigger --handshake' or received by 'hookctl listen'), kept in
     $XDG_STATE_HOME/hookctl/notion_verification_token. While listen runs,
     a handshake it receives comes first for notion.
  7. your development secret, when none of the above has one: made on
     first use and kept (mode 0600) in $XDG_CONFIG_HOME/hookctl/dev_secret.
     'hookctl secret' prints it, for your app (export WEBHOOK_SECRET=$(hookctl
     secret)); 'hookctl secret --provider P' prints P's form of it (twilio:
     an auth token, notion: a verification token). Commands say on stderr
     when they used it; -q keeps them quiet.

P=S: the part before the first '=' must name a provider; otherwise the
whole value is the secret, so whsec_... secrets (whose base64 may end in
'=') and text secrets holding '=' stay whole. A part that is no provider
but is within two edits of one is an error, not a bare secret:
'--secret strpe=whsec_...' exits 2 with
  "strpe is not a provider; did you mean stripe?"
To pass such a text secret as it is, name its provider (--secret
notify=strpe=x) or put it in a file. --secret-file P=FILE reads the same
way, except that a file really named 'strpe=x' is read. --secret-file
reads the whole file, less one final newline.

Several secrets: repeat the flags. --secret and --secret-file count
together, the values first, then the files; neither is ever ignored.
Verifying (verify, listen) accepts a signature made with any of them.
Signing (sign, trigger, replay --resign) signs with all of them: schemes
that carry several signatures per request (standard, svix, stripe) send
one per secret, as during key rotation; the others take one secret and
refuse more with an error. trigger --handshake sends one token: give it
once, with --secret or --secret-file.

Secrets are never printed, in errors or output; the development secret
alone is printed, by 'hookctl secret' and by 'hookctl listen' as it starts.`

// AddSecretFlags registers --secret (-s) and --secret-file, the same on
// every command; use says what the secret is for ("to sign with").
func AddSecretFlags(cmd *cobra.Command, values, files *[]string, use string) {
	fl := cmd.Flags()
	fl.StringArrayVarP(values, "secret", "s", nil, "secret "+use+", as `[P=]SECRET` (with P=, for provider P alone); repeatable (see 'hookctl help secrets')")
	fl.StringArrayVar(files, "secret-file", nil, "read a secret "+use+" from a file, as `[P=]FILE` (with P=, for provider P alone); repeatable")
}

// SecretsFrom returns a maker of resolvers over a catalogue and the places
// after the command line (tests pass none). Its errors are usage errors
// that name the flags.
func SecretsFrom(cat *catalog.Catalog, src secrets.Sources) func(secrets.CommandLine) (*secrets.Resolver, error) {
	return func(cl secrets.CommandLine) (*secrets.Resolver, error) {
		r, err := secrets.New(cat, cl, src)
		return r, SecretError(err)
	}
}

// ProviderSecrets resolves the secrets of one provider (sign, verify):
// the bare secrets on the command line are for it.
func ProviderSecrets(newResolver func(secrets.CommandLine) (*secrets.Resolver, error), values, files []string, p *catalog.Provider) ([]string, error) {
	r, err := newResolver(secrets.CommandLine{Values: values, Files: files, Provider: p})
	if err != nil {
		return nil, err
	}
	return SecretsFor(r, p.Name)
}

// SecretsFor returns a provider's secrets, or the usage error that says
// where to put one.
func SecretsFor(r *secrets.Resolver, provider string) ([]string, error) {
	vals, err := r.Values(provider)
	if err != nil {
		return nil, SecretError(err)
	}
	if len(vals) == 0 {
		return nil, NoSecretNamed(provider, r.Named())
	}
	return vals, nil
}

// NoSecretNamed is NoSecret, saying which providers the P= secrets given
// (named) are for.
func NoSecretNamed(provider string, named []string) error {
	if len(named) == 0 {
		return NoSecret(provider)
	}
	return Usagef("%v; the P= secrets given are for %s alone", NoSecret(provider), strings.Join(named, ", "))
}

// NoSecret is the error when a provider has no secret anywhere.
func NoSecret(provider string) error {
	return Usagef("no secret for %s: pass --secret, --secret-file, or set %s (or HOOKCTL_SECRET)", provider, secrets.EnvName(provider))
}

// SecretError turns the resolver's errors into usage errors naming the
// flag the secret came from.
func SecretError(err error) error {
	if err == nil {
		return nil
	}
	var (
		arg  *secrets.ArgError
		typo *secrets.TypoError
		key  *secrets.KeyError
		dev  *secrets.DevError
	)
	switch {
	case errors.As(err, &dev):
		return Usagef("%v; %v", NoSecret(dev.Provider), dev.Err)
	case errors.As(err, &arg):
		if arg.Arg == "" {
			return Usagef("%s%s", secretFlag(arg.File), arg.Problem)
		}
		return Usagef("%s %s%s", secretFlag(arg.File), arg.Arg, arg.Problem)
	case errors.As(err, &typo):
		return Usagef("%s %s=...: %v", secretFlag(typo.File), typo.Name, typo)
	case errors.As(err, &key) && key.Where != "":
		return Usagef("--secret-file %s: %v", key.Where, key)
	}
	return AsUsage(err)
}

func secretFlag(file bool) string {
	if file {
		return "--secret-file"
	}
	return "--secret"
}

// SchemeError words an error of signing or verifying for provider, naming
// the flag that mends it where one does.
func SchemeError(provider string, err error) error {
	switch {
	case errors.Is(err, signer.ErrNeedURL):
		return Usagef("%s signs the full request URL: pass --url (the URL the provider calls, with its query)", provider)
	case errors.Is(err, signer.ErrNoSecret):
		return NoSecret(provider)
	}
	return AsUsage(fmt.Errorf("%s: %w", provider, err))
}

// VerifyToken is Meta's verify token as every command resolves it: the
// --verify-token flag, else providers.P.verify_token in the config, else
// "" (the services then take the provider's first secret).
func VerifyToken(flag string, cfg func() (*config.Config, error), provider string) string {
	if flag != "" || cfg == nil {
		return flag
	}
	if c, err := cfg(); err == nil {
		return c.VerifyToken(provider)
	}
	return ""
}
