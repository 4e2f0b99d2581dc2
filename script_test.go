package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as hookctl (and as the small helper
// programs the scripts use) inside testscript's sandbox.
func TestMain(m *testing.M) {
	testscript.Main(m, scriptCommands())
}

func scriptCommands() map[string]func() {
	return map[string]func(){
		"hookctl":       main,
		"testreceiver":  testReceiverMain,
		"checkreceiver": checkReceiverMain,
	}
}

// TestScripts runs testdata/script/*.txtar end to end.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// A clean, predictable environment: no colour decisions from the
			// machine running the tests, no config from its home folder.
			env.Setenv("HOME", env.WorkDir+"/home")
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/home/.config")
			env.Setenv("XDG_STATE_HOME", env.WorkDir+"/home/.local/state")
			for _, k := range []string{"NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM", "HOOKCTL_SECRET"} {
				env.Setenv(k, "")
			}
			return nil
		},
		Cmds: scriptCmds(),
	})
}

// scriptCmds gathers the custom script commands: this file's and those the
// listen scripts define in scriptcmds_listen_test.go.
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"trimnl": cmdTrimNL,
	}
	for name, fn := range listenScriptCmds() {
		cmds[name] = fn
	}
	return cmds
}

// cmdTrimNL removes the final newline of each named file: txtar always ends
// a file with one, and signatures are over exact bytes.
func cmdTrimNL(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: trimnl FILE...")
	}
	for _, name := range args {
		path := ts.MkAbs(name)
		b, err := os.ReadFile(path)
		ts.Check(err)
		if n := len(b); n > 0 && b[n-1] == '\n' {
			b = b[:n-1]
		}
		ts.Check(os.WriteFile(path, b, 0o644))
	}
}
