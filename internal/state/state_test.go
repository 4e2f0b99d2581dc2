package state

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNotionTokenRoundTrip(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string {
		if k == "XDG_STATE_HOME" {
			return dir
		}
		return ""
	}
	if tok, err := NotionToken(env); err != nil || tok != "" {
		t.Fatalf("no token yet: got %q, %v", tok, err)
	}
	if err := SaveNotionToken(env, "secret_abc"); err != nil {
		t.Fatal(err)
	}
	if tok, err := NotionToken(env); err != nil || tok != "secret_abc" {
		t.Fatalf("got %q, %v", tok, err)
	}
	path := filepath.Join(dir, "hookctl", "notion_verification_token")
	if NotionTokenPath(env) != path {
		t.Errorf("path %s", NotionTokenPath(env))
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, %v: want 0600", st.Mode().Perm(), err)
	}
}

func TestDirFallsBackToHome(t *testing.T) {
	env := func(k string) string {
		if k == "HOME" {
			return "/home/dev"
		}
		return ""
	}
	if got := Dir(env); got != "/home/dev/.local/state/hookctl" {
		t.Errorf("Dir = %s", got)
	}
}
