package cmdutil

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/iostreams"
)

func TestOpenBody(t *testing.T) {
	ios, in, _, _ := iostreams.Test()
	in.WriteString("from stdin")
	for _, arg := range []string{"", "-"} {
		rc, err := OpenBody(ios, arg, "hookctl verify ...")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if arg == "" && string(b) != "from stdin" {
			t.Errorf("%q read %q", arg, b)
		}
	}
	p := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(p, []byte("exact\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rc, err := OpenBody(ios, p, "x")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(rc); string(b) != "exact\r\n" {
		t.Errorf("file read %q", b)
	}
	rc.Close()

	// hookctl never waits on a terminal for a body.
	ios.SetTTY(true, false, false)
	for _, c := range []struct{ arg, want string }{
		{"", "no body: pass a FILE or pipe the body on stdin (e.g. hookctl verify ... < body.json)"},
		{filepath.Join(t.TempDir(), "nope"), "cannot read body file"},
		{t.TempDir(), "is a folder: pass a file"},
	} {
		_, err := OpenBody(ios, c.arg, "hookctl verify ... < body.json")
		var u *UsageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.arg, err, c.want)
		}
	}
}

func TestNoSecret(t *testing.T) {
	err := NoSecret("standard-webhooks")
	if ExitCode(err) != ExitUsage || err.Error() != "no secret for standard-webhooks: pass --secret, --secret-file, or set HOOKCTL_STANDARD_WEBHOOKS_SECRET (or HOOKCTL_SECRET)" {
		t.Errorf("%v", err)
	}
}
