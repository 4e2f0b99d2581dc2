package cmd

import (
	"slices"
	"testing"

	"github.com/hookctl/hookctl/internal/cmdutil"
)

func TestCommandName(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"sign", "--provider", "notify"}, "sign"},
		{[]string{"--json", "verify"}, "verify"},
		{[]string{"--config", "sign", "listen"}, "listen"}, // "sign" is the config file
		{[]string{"--config=x.yaml", "-q", "trigger"}, "trigger"},
		{[]string{"--color", "never", "replay"}, "replay"},
		{[]string{"--", "sign"}, ""},
		{[]string{"help", "sign"}, "help"},
		{[]string{"-h"}, ""},
	} {
		global := newRoot(cmdutil.New(cmdutil.BuildInfo{})).PersistentFlags()
		if got := cmdutil.CommandName(global, tc.args); got != tc.want {
			t.Errorf("commandName(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func names(t *testing.T, args []string) []string {
	t.Helper()
	var out []string
	for _, c := range rootFor(cmdutil.New(cmdutil.BuildInfo{}), args).Commands() {
		out = append(out, c.Name())
	}
	slices.Sort(out)
	return out
}

// The list rootFor picks from names each command as cobra does, and the
// whole tree holds exactly the listed commands: a command added to one and
// not the other fails here.
func TestSubcommandsMatchTheTree(t *testing.T) {
	f := cmdutil.New(cmdutil.BuildInfo{})
	var listed []string
	for _, sc := range subcommands() {
		if got := sc.build(f).Name(); got != sc.name {
			t.Errorf("subcommand %q builds a command named %q", sc.name, got)
		}
		listed = append(listed, sc.name)
	}
	slices.Sort(listed)
	var tree []string
	for _, c := range NewCmdRoot(f).Commands() {
		tree = append(tree, c.Name())
	}
	slices.Sort(tree)
	if !slices.Equal(listed, tree) {
		t.Errorf("subcommands() = %q, tree = %q", listed, tree)
	}
}

func TestRootForBuildsOnlyTheNamedCommand(t *testing.T) {
	if got := names(t, []string{"--json", "sign", "-"}); !slices.Equal(got, []string{"sign"}) {
		t.Errorf("sign line builds %q", got)
	}
	full := len(subcommands())
	for _, args := range [][]string{nil, {"help"}, {"help", "sign"}, {"completion", "bash"}, {"__complete", "si"}, {"sgn"}, {"--version"}} {
		// cobra adds help and completion itself when it executes, not here.
		if got := names(t, args); len(got) != full {
			t.Errorf("%q builds %q, want the whole tree", args, got)
		}
	}
}
