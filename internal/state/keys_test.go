package state

import (
	"bytes"
	"os"
	"testing"
)

func TestDevKeySeed(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		if k == "XDG_STATE_HOME" {
			return dir
		}
		return ""
	}
	a, path, created, err := DevKeySeed(getenv, "discord")
	if err != nil || !created || len(a) != 32 {
		t.Fatalf("first call: %x %v %v", a, created, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %s: %v, mode %v; want 0600", path, err, st.Mode())
	}
	b, _, created, err := DevKeySeed(getenv, "discord")
	if err != nil || created || !bytes.Equal(a, b) {
		t.Fatalf("second call made another key: %x %x %v %v", a, b, created, err)
	}
	if err := os.WriteFile(path, []byte("nonsense"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := DevKeySeed(getenv, "discord"); err == nil {
		t.Error("a damaged key file was accepted")
	}
}
