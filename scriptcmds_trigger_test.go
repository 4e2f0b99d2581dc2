package main

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// triggerScriptCmds are the script commands the trigger (and replay)
// scripts need beside hookctl and testreceiver. Wire them into
// TestScripts' Params.Cmds.
func triggerScriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"envfile": cmdEnvFile,
	}
}

// cmdEnvFile waits (up to 30 s) for FILE to appear, then sets each of its
// NAME=value lines in the script's environment. testreceiver writes such a
// file once it listens (URL, ADDR, PORT), which is how a script learns the
// address of a receiver running in the background:
//
//	exec testreceiver --ready recv.env --count 1 &
//	envfile recv.env
//	exec hookctl trigger connection.created --to $URL --secret s
//	wait
func cmdEnvFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: envfile FILE")
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(30 * time.Second)
	var b []byte
	for {
		var err error
		b, err = os.ReadFile(path)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			ts.Fatalf("envfile %s: %v", args[0], err)
		}
		if time.Now().After(deadline) {
			ts.Fatalf("envfile %s: the file did not appear within 30s (did the background command start?)", args[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok || name == "" {
			ts.Fatalf("envfile %s: line %q is not NAME=value", args[0], line)
		}
		ts.Setenv(name, value)
	}
}
