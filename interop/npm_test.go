package interop

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestNpmLibraries runs interop/npm's tests (node --test) against a hookctl
// binary built from this checkout: @linear/sdk, square, discord-interactions,
// @paddle/paddle-node-sdk, @hubspot/api-client and standardwebhooks verify
// what hookctl sends, and hookctl verifies what they sign or accept. Each
// node test runs hookctl in a fresh HOME and XDG dirs. The packages come
// from interop/npm/package-lock.json: run 'npm ci' there first (.ci/run
// does).
func TestNpmLibraries(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("no node on the PATH: the npm interop tests need Node.js 20 or newer and npm")
	}
	if _, err := os.Stat(filepath.Join("npm", "node_modules", ".package-lock.json")); err != nil {
		t.Fatal("interop/npm has no installed packages: run (cd interop/npm && npm ci)")
	}
	// The node tests read files the go command does not see them read: name
	// them here, so a change to hookctl's source or to the tests is not
	// answered from the test cache.
	dependOn(t, "..")

	bin := filepath.Join(t.TempDir(), "hookctl")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building hookctl: %v\n%s", err, out)
	}

	cmd := exec.Command(node, "--test")
	cmd.Dir = "npm"
	cmd.Env = append(os.Environ(), "HOOKCTL_BIN="+bin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	pass, fail := tapCount(out.Bytes(), "pass"), tapCount(out.Bytes(), "fail")
	if runErr != nil || fail != 0 || pass == 0 {
		t.Fatalf("node --test in interop/npm: %v, %d passed, %d failed\n%s", runErr, pass, fail, out.Bytes())
	}
	t.Logf("node --test: %d passed, 0 failed", pass)
}

// tapCount reads node's "# pass N" or "# fail N" summary line (-1 if none).
func tapCount(out []byte, word string) int {
	m := regexp.MustCompile(`(?m)^# ` + word + ` (\d+)$`).FindSubmatch(out)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// dependOn opens every file under root (but .git and node_modules), which
// makes each a recorded input of this test for the go command's cache.
func dependOn(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == ".git" || n == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		return f.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}
