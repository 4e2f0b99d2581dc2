// Package signbench breaks hookctl's start-up down into the work main does
// after the runtime and package init: 'go test -bench . ./bench/sign/'.
// bench/sign/run.sh measures the whole process; these say where the time
// inside it goes. Benchmarks only: they assert nothing about speed.
package signbench

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/config"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/iostreams"
)

func factory(env map[string]string) (*cmdutil.Factory, *bytes.Buffer) {
	streams, _, out, _ := iostreams.Test()
	return &cmdutil.Factory{
		IOStreams: streams,
		Now:       time.Now,
		IDs:       ids.New(),
		Getenv:    func(k string) string { return env[k] },
	}, out
}

func emptyEnv(b *testing.B) map[string]string {
	home := b.TempDir()
	return map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}
}

// BenchmarkIDs is ids.New: seeding from the system's random source.
func BenchmarkIDs(b *testing.B) {
	for b.Loop() {
		_ = ids.New()
	}
}

// BenchmarkCommandTree is building every command and flag.
func BenchmarkCommandTree(b *testing.B) {
	f, _ := factory(emptyEnv(b))
	for b.Loop() {
		_ = cmd.NewCmdRoot(f)
	}
}

// BenchmarkConfigLoad is a fresh viper instance finding no config file.
func BenchmarkConfigLoad(b *testing.B) {
	env := emptyEnv(b)
	for b.Loop() {
		if _, err := config.Load("", func(k string) string { return env[k] }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCatalog is building the built-in providers and their events.
func BenchmarkCatalog(b *testing.B) {
	for b.Loop() {
		if _, err := catalog.New(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSign1K is one whole 'hookctl sign --provider notify' of a 1 KB
// file, in process: everything main does, less runtime start and init.
func BenchmarkSign1K(b *testing.B) {
	body := filepath.Join(b.TempDir(), "body.json")
	if err := os.WriteFile(body, bytes.Repeat([]byte("x"), 1024), 0o644); err != nil {
		b.Fatal(err)
	}
	env := emptyEnv(b)
	args := []string{"sign", "--provider", "notify", "--secret", "s", body}
	for b.Loop() {
		f, out := factory(env)
		if code := cmd.Run(context.Background(), f, args); code != 0 {
			b.Fatalf("exit %d", code)
		}
		_, _ = io.Copy(io.Discard, out)
	}
}

// BenchmarkVersion is 'hookctl version': the tree, config and catalog, and
// no signing.
func BenchmarkVersion(b *testing.B) {
	env := emptyEnv(b)
	for b.Loop() {
		f, _ := factory(env)
		if code := cmd.Run(context.Background(), f, []string{"version"}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
