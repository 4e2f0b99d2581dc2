package cmdutil

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hookctl/hookctl/internal/secrets"
)

// The resolver's errors name no flag; the command layer's name the one
// the secret came from, and are usage errors.
func TestSecretErrorNamesTheFlag(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.key")
	if err := os.WriteFile(bad, []byte("whsec_!!\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	newResolver := SecretsFrom(nil, secrets.Sources{})
	for _, c := range []struct {
		cl   secrets.CommandLine
		want string
	}{
		{secrets.CommandLine{Values: []string{""}}, "--secret is empty"},
		{secrets.CommandLine{Values: []string{"notify="}}, "--secret notify= has no secret after the '='"},
		{secrets.CommandLine{Values: []string{"strpe=whsec_x"}}, "--secret strpe=...: strpe is not a provider; did you mean stripe?"},
		{secrets.CommandLine{Values: []string{"standard=whsec_!!"}}, "standard: the secret must be whsec_ followed by base64 (as the provider's dashboard shows it)"},
		{secrets.CommandLine{Files: []string{filepath.Join(dir, "nope")}}, "--secret-file " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{secrets.CommandLine{Files: []string{"strpe=" + bad}}, "--secret-file strpe=...: strpe is not a provider; did you mean stripe?"},
		{secrets.CommandLine{Files: []string{"standard=" + bad}}, "--secret-file " + bad + ": standard: the secret must be whsec_ followed by base64 (as the provider's dashboard shows it)"},
	} {
		_, err := newResolver(c.cl)
		if err == nil || err.Error() != c.want || ExitCode(err) != ExitUsage {
			t.Errorf("%v: %v (exit %d), want %q", c.cl, err, ExitCode(err), c.want)
		}
	}
	r, err := newResolver(secrets.CommandLine{Values: []string{"notify=s"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SecretsFor(r, "github"); ExitCode(err) != ExitUsage || err.Error() != "no secret for github: pass --secret, --secret-file, or set HOOKCTL_GITHUB_SECRET (or HOOKCTL_SECRET); the P= secrets given are for notify alone" {
		t.Errorf("no secret: %v", err)
	}
	if keys, err := SecretsFor(r, "notify"); err != nil || len(keys) != 1 || keys[0] != "s" {
		t.Errorf("notify: %q, %v", keys, err)
	}
}
