package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/hookctl/hookctl/internal/capture"
)

// listenScriptCmds are the script commands the listen scripts use to talk to
// a listen running in the background.
func listenScriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"waitfile":    cmdWaitFile,
		"post":        cmdPost,
		"readcapture": cmdReadCapture,
		"jsonfield":   cmdJSONField,
	}
}

// cmdWaitFile waits for FILE to exist (listen's --ready-file is written
// whole, by rename) and, with VAR, sets $VAR to its content without the
// final newline.
//
//	waitfile [-timeout DUR] FILE [VAR]
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	timeout := 30 * time.Second
	if len(args) >= 2 && args[0] == "-timeout" {
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		timeout, args = d, args[2:]
	}
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: waitfile [-timeout DUR] FILE [VAR]")
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(timeout)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 {
			if len(args) == 2 {
				ts.Setenv(args[1], strings.TrimRight(string(b), "\r\n"))
			}
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitfile: %s did not appear within %s", args[0], timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cmdPost sends one HTTP request and prints "status N" then the response
// body on stdout. -H adds a header, -Hfile adds every 'Name: value' line of
// a file (e.g. the output of 'hookctl sign'), -X sets the method, -path is
// appended to the URL, -status fails the command unless the answer has that
// status. With !, the request must fail to get any answer.
//
//	post [-X METHOD] [-H 'Name: value'] [-Hfile FILE] [-path /p?q] [-status N] URL [BODYFILE]
func cmdPost(ts *testscript.TestScript, neg bool, args []string) {
	method, suffix, want := http.MethodPost, "", 0
	hdr := http.Header{}
	addHeader := func(line string) {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			ts.Fatalf("post: header %q is not 'Name: value'", line)
		}
		hdr.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	for len(args) >= 2 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-X":
			method = args[1]
		case "-H":
			addHeader(args[1])
		case "-Hfile":
			b, err := os.ReadFile(ts.MkAbs(args[1]))
			ts.Check(err)
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				if line := strings.TrimSpace(sc.Text()); line != "" {
					addHeader(line)
				}
			}
		case "-path":
			suffix = args[1]
		case "-status":
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			want = n
		default:
			ts.Fatalf("post: unknown option %s", args[0])
		}
		args = args[2:]
	}
	if len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: post [-X METHOD] [-H 'Name: value'] [-Hfile FILE] [-path /p?q] [-status N] URL [BODYFILE]")
	}
	url := strings.TrimRight(args[0], "/") + suffix
	if suffix == "" {
		url = args[0]
	}
	var body []byte
	if len(args) == 2 {
		b, err := os.ReadFile(ts.MkAbs(args[1]))
		ts.Check(err)
		body = b
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	ts.Check(err)
	req.Header = hdr
	client := &http.Client{Timeout: 60 * time.Second}
	resp, err := client.Do(req)
	if neg {
		if err == nil {
			resp.Body.Close()
			ts.Fatalf("post: got status %d, want no answer", resp.StatusCode)
		}
		fmt.Fprintf(ts.Stdout(), "error %v\n", err)
		return
	}
	ts.Check(err)
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "status %d\n%s", resp.StatusCode, rb)
	if want != 0 && resp.StatusCode != want {
		ts.Fatalf("post: status %d, want %d (body %q)", resp.StatusCode, want, rb)
	}
}

// cmdReadCapture reads a capture file with capture.Reader and prints one
// line per record: method, path, provider, event, event id, verdict and
// status; warnings (torn or corrupt lines) go to stderr. With -bodies DIR,
// each record's exact body is written to DIR/N.body (N from 1).
//
//	readcapture [-bodies DIR] FILE
func cmdReadCapture(ts *testscript.TestScript, neg bool, args []string) {
	dir := ""
	if len(args) == 3 && args[0] == "-bodies" {
		dir, args = ts.MkAbs(args[1]), args[2:]
		ts.Check(os.MkdirAll(dir, 0o755))
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: readcapture [-bodies DIR] FILE")
	}
	f, r, err := capture.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	r.Warn = func(msg string) { fmt.Fprintln(ts.Stderr(), msg) }
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for n := 1; ; n++ {
		rec, err := r.Next()
		if err == io.EOF {
			return
		}
		ts.Check(err)
		verdict := "valid"
		switch {
		case rec.Verified == nil:
			verdict = dash(rec.Reason)
		case !*rec.Verified:
			verdict = "invalid: " + rec.Reason
		}
		body, err := rec.BodyBytes()
		ts.Check(err)
		if dir != "" {
			ts.Check(os.WriteFile(filepath.Join(dir, strconv.Itoa(n)+".body"), body, 0o644))
		}
		fmt.Fprintf(ts.Stdout(), "%s %s %s %s %s %s %d body=%dB truncated=%v\n", rec.Method, rec.RequestURI(),
			dash(rec.Provider), dash(rec.Event), dash(rec.EventID), verdict, rec.Status, len(body), rec.BodyTruncated)
	}
}

// cmdJSONField sets $VAR to a top-level string field of the JSON object on
// line N (from 1) of FILE: a capture id from 'hookctl listen --json'.
//
//	jsonfield FILE N KEY VAR
func cmdJSONField(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: jsonfield FILE N KEY VAR")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	lines := strings.Split(ts.ReadFile(args[0]), "\n")
	if n < 1 || n > len(lines) {
		ts.Fatalf("jsonfield: %s has no line %d", args[0], n)
	}
	var obj map[string]any
	ts.Check(json.Unmarshal([]byte(lines[n-1]), &obj))
	v, ok := obj[args[2]].(string)
	if !ok {
		ts.Fatalf("jsonfield: line %d has no string %q", n, args[2])
	}
	ts.Setenv(args[3], v)
}
