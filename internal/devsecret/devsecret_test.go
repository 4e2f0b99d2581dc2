package devsecret

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
)

func TestLoadMakesOnceAndKeeps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hookctl", FileName)
	if s, err := Peek(path); err != nil || s != "" {
		t.Fatalf("Peek before: %q, %v", s, err)
	}
	a, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !Valid(a) || !strings.HasPrefix(a, "whsec_") {
		t.Fatalf("secret %q is not whsec_ + base64 of 32 bytes", a)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	b, err := Load(path)
	if err != nil || b != a {
		t.Fatalf("second Load = %q, %v; want the first %q", b, err, a)
	}
	if p, _ := Peek(path); p != a {
		t.Errorf("Peek = %q", p)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want the secret alone (no temporary files left)", len(entries))
	}
}

// Goroutines racing to make the secret all get the same one.
func TestLoadRace(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	const n = 16
	got := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got[i], errs[i] = Load(path)
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] != got[0] {
			t.Fatalf("Load %d = %q, %v; Load 0 = %q", i, got[i], errs[i], got[0])
		}
	}
}

// Processes racing to make the secret all get the same one.
func TestLoadRaceProcesses(t *testing.T) {
	if path := os.Getenv("DEVSECRET_HELPER_PATH"); path != "" {
		s, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("secret=" + s + "\n")
		return
	}
	path := filepath.Join(t.TempDir(), FileName)
	const n = 6
	cmds := make([]*exec.Cmd, n)
	outs := make([]strings.Builder, n)
	for i := range n {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^TestLoadRaceProcesses$")
		cmds[i].Env = append(os.Environ(), "DEVSECRET_HELPER_PATH="+path)
		cmds[i].Stdout = &outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	var first string
	for i := range n {
		if err := cmds[i].Wait(); err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, outs[i].String())
		}
		_, after, ok := strings.Cut(outs[i].String(), "secret=")
		s, _, _ := strings.Cut(after, "\n")
		if !ok || !Valid(s) {
			t.Fatalf("helper %d printed %q", i, outs[i].String())
		}
		if first == "" {
			first = s
		} else if s != first {
			t.Fatalf("helper %d got %q, helper 0 %q", i, s, first)
		}
	}
}

func TestDamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte("whsec_short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), path) {
		t.Fatalf("Load of a damaged file: %v", err)
	}
}

func TestUnwritableFolder(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "hookctl")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil { // a file where the folder should be
		t.Fatal(err)
	}
	_, err := Load(filepath.Join(blocker, FileName))
	if err == nil || !strings.Contains(err.Error(), "the development secret "+filepath.Join(blocker, FileName)) {
		t.Fatalf("Load under a file: %v", err)
	}
}

func TestFor(t *testing.T) {
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := New()
	other, _ := New()
	seen := map[string]string{}
	for _, name := range []string{"stripe", "standard", "svix", "github", "notify", "twilio", "notion"} {
		p, err := cat.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		k, err := For(base, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Scheme.Key(k.Secret); err != nil {
			t.Errorf("%s: the development secret %q is no key of the scheme: %v", name, k.Secret, err)
		}
		if k.App() != k.Secret {
			t.Errorf("%s: a symmetric provider's app gets %q, not the secret", name, k.App())
		}
		again, _ := For(base, p)
		if again != k {
			t.Errorf("%s: For is not stable", name)
		}
		if o, _ := For(other, p); o.Secret == k.Secret {
			t.Errorf("%s: two secrets give the same form", name)
		}
		seen[name] = k.Secret
	}
	if seen["stripe"] != base || seen["standard"] != base {
		t.Errorf("stripe and standard take the whsec_ text as it is")
	}
	if tw := seen["twilio"]; len(tw) != 32 || strings.Trim(tw, "0123456789abcdef") != "" {
		t.Errorf("twilio's auth token %q is not 32 hex characters", tw)
	}
	if !strings.HasPrefix(seen["notion"], "secret_") {
		t.Errorf("notion's token %q does not start secret_", seen["notion"])
	}
	if (Key{Secret: "priv", Public: "pub"}).App() != "pub" {
		t.Errorf("a key pair's app is configured with the public key")
	}
}
