package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/gencomp"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// completionFactory is a factory with buffered streams, a fixed clock and an
// environment holding only a HOME of the test's own.
func completionFactory(t *testing.T) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	streams, _, out, errOut := iostreams.Test()
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
	return &cmdutil.Factory{
		IOStreams: streams,
		Build:     cmdutil.BuildInfo{Version: "test"},
		Now:       func() time.Time { return time.Unix(1700000000, 0) },
		IDs:       ids.Seeded(1, 2),
		Getenv:    func(k string) string { return env[k] },
	}, out, errOut
}

// TestCompletionsUpToDate fails when the committed scripts differ from what
// the command tree renders now.
func TestCompletionsUpToDate(t *testing.T) {
	f, _, _ := completionFactory(t)
	root := cmd.NewCmdRoot(f)
	for _, name := range gencomp.Names() {
		want, err := gencomp.Render(root, gencomp.Files[name])
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("completions", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("completions/ is out of date: run go generate ./... (completions/%s differs)", name)
		}
	}
}

// TestCompletionCommand checks 'hookctl completion SHELL' prints the same
// script as the file shipped for that shell.
func TestCompletionCommand(t *testing.T) {
	for _, name := range gencomp.Names() {
		shell := gencomp.Files[name]
		t.Run(shell, func(t *testing.T) {
			f, out, errOut := completionFactory(t)
			if code := cmd.Run(context.Background(), f, []string{"completion", shell}); code != 0 {
				t.Fatalf("hookctl completion %s: exit %d, stderr %q", shell, code, errOut)
			}
			want, err := os.ReadFile(filepath.Join("completions", name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("hookctl completion %s differs from completions/%s", shell, name)
			}
			if !strings.Contains(out.String(), "__complete") {
				t.Errorf("hookctl completion %s: script does not call back into 'hookctl __complete'", shell)
			}
		})
	}
}

// complete runs 'hookctl __complete ARGS...', as the shell scripts do, and
// returns the candidates (without descriptions) and the directive line.
func complete(t *testing.T, args ...string) (names []string, directive string) {
	t.Helper()
	f, out, errOut := completionFactory(t)
	if code := cmd.Run(context.Background(), f, append([]string{cobra.ShellCompRequestCmd}, args...)); code != 0 {
		t.Fatalf("hookctl __complete %q: exit %d, stderr %q", args, code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Fatalf("hookctl __complete %q: no directive line in %q", args, out)
	}
	for _, l := range lines[:len(lines)-1] {
		name, _, _ := strings.Cut(l, "\t")
		names = append(names, name)
	}
	return names, lines[len(lines)-1]
}

// noFileComp is the directive line meaning "complete no file names".
func noFileComp() string { return ":" + strconv.Itoa(int(cobra.ShellCompDirectiveNoFileComp)) }

func TestCompleteProvider(t *testing.T) {
	f, _, _ := completionFactory(t)
	cat, err := f.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, command := range []string{"sign", "verify", "events", "trigger", "listen", "replay"} {
		got, dir := complete(t, command, "--provider", "")
		if !slices.Equal(got, cat.Names()) {
			t.Errorf("%s --provider: completes %q, want the catalogue's %q", command, got, cat.Names())
		}
		for _, name := range []string{"notify", "notifly", "generic", "notion", "standard", "stripe", "github"} {
			if !slices.Contains(got, name) {
				t.Errorf("%s --provider: %q missing from %q", command, name, got)
			}
		}
		if dir != noFileComp() {
			t.Errorf("%s --provider: directive %s, want %s (no file names)", command, dir, noFileComp())
		}
	}
}

func TestCompleteColor(t *testing.T) {
	got, dir := complete(t, "--color", "")
	if want := []string{"auto", "always", "never"}; !slices.Equal(got, want) {
		t.Errorf("--color completes %q, want %q", got, want)
	}
	if dir != noFileComp() {
		t.Errorf("--color: directive %s, want %s", dir, noFileComp())
	}
	// The same flag after a subcommand: it is persistent.
	if got, _ := complete(t, "sign", "--color", ""); !slices.Equal(got, []string{"auto", "always", "never"}) {
		t.Errorf("sign --color completes %q, want auto, always and never", got)
	}
}

// TestCompleteEvents checks trigger's event argument completes through
// cobra's completion request: every event, narrowed by --provider and by
// the typed prefix.
func TestCompleteEvents(t *testing.T) {
	f, _, _ := completionFactory(t)
	cat, err := f.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	notify, err := cat.Lookup("notify")
	if err != nil {
		t.Fatal(err)
	}
	var notifyEvents, all []string
	for _, e := range notify.Events {
		notifyEvents = append(notifyEvents, e.Name)
	}
	for _, p := range cat.Providers() {
		for _, e := range p.Events {
			all = append(all, e.Name)
		}
	}
	if !slices.Contains(notifyEvents, "connection.created") {
		t.Fatalf("notify's events %q lack connection.created", notifyEvents)
	}

	got, dir := complete(t, "trigger", "--provider", "notify", "")
	if !slices.Equal(got, notifyEvents) {
		t.Errorf("trigger --provider notify: completes %q, want %q", got, notifyEvents)
	}
	if dir != noFileComp() {
		t.Errorf("trigger: directive %s, want %s", dir, noFileComp())
	}
	if got, _ := complete(t, "trigger", ""); !slices.Equal(got, all) {
		t.Errorf("trigger: completes %d names, want every provider's %d", len(got), len(all))
	}
	got, _ = complete(t, "trigger", "connection.c")
	if !slices.Contains(got, "connection.created") {
		t.Errorf("trigger connection.c: %q lacks connection.created", got)
	}
	for _, name := range got {
		if !strings.HasPrefix(name, "connection.c") {
			t.Errorf("trigger connection.c: completes %q", name)
		}
	}
}
