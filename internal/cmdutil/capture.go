package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/httpraw"
	"github.com/hookctl/hookctl/internal/httpx"
	"github.com/hookctl/hookctl/internal/iostreams"
)

// CaptureArgs are the flags that pick one capture (show, verify
// --capture): an id, or --last, in --from FILE.
type CaptureArgs struct {
	From string // "" is the default capture file
	ID   string
	Last bool
}

// LoadCapture reads the capture the flags pick, with usage errors that say
// what to do; skipped lines are warned about on stderr.
func LoadCapture(ios *iostreams.IOStreams, getenv func(string) string, a CaptureArgs) (*capture.Record, error) {
	if a.From == "" {
		a.From = capture.DefaultPath(getenv)
	}
	switch {
	case a.ID != "" && a.Last:
		return nil, Usagef("pass a capture id or --last, not both")
	case a.ID == "" && !a.Last:
		return nil, Usagef("which capture? pass its id (see 'hookctl replay --list') or --last")
	}
	warn := func(msg string) { fmt.Fprintln(ios.ErrOut, "warning: "+msg) }
	rec, err := capture.Find(a.From, a.ID, warn)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, Usagef("no capture file at %s: run 'hookctl listen' to capture requests, or pass --from FILE", a.From)
	case errors.Is(err, capture.ErrNoCapture) && a.Last:
		return nil, Usagef("no captures in %s yet: send a request to 'hookctl listen'", a.From)
	case errors.Is(err, capture.ErrNoCapture):
		return nil, Usagef("no capture %s in %s: 'hookctl replay --list --from %s' shows the ids", a.ID, a.From, a.From)
	case err != nil:
		return nil, Usagef("%s: %v", a.From, httpx.Cause(err))
	}
	return rec, nil
}

// CaptureBody is a capture's exact body, or a usage error when listen did
// not store it (it was over --max-body).
func CaptureBody(rec *capture.Record) ([]byte, error) {
	if rec.BodyTruncated {
		return nil, Usagef("capture %s has no body: it was %s, over listen's --max-body, and was not stored", rec.ID, httpx.Size(rec.BodySize))
	}
	b, err := rec.BodyBytes()
	return b, AsUsage(err)
}

// RawRequest reads a raw HTTP request (or a curl --trace log) from FILE,
// or from stdin for "-" (what 'hookctl show' and 'trigger --dry-run'
// print), for verify --request.
func RawRequest(ios *iostreams.IOStreams, path string) (*httpraw.Request, error) {
	var r io.Reader
	if path == "-" {
		if ios.IsStdinTTY() {
			return nil, Usagef("--request - reads stdin, which is a terminal: pipe a request in, e.g. hookctl show --last | hookctl verify --request -")
		}
		r, path = ios.In, "(stdin)"
	} else {
		fh, err := os.Open(path)
		if err != nil {
			return nil, Usagef("cannot read --request file %s: %v", path, pathErr(err))
		}
		defer fh.Close()
		r = fh
	}
	req, err := httpraw.Parse(r)
	if err != nil {
		return nil, Usagef("--request file %s: %v", path, err)
	}
	return req, nil
}

// CapturedRequest is a captured request as verify --capture checks it
// again: its headers and exact body, the URL the sender called (for
// schemes that sign it), when it arrived (the time window is judged as
// of then) and the provider listen recognised.
type CapturedRequest struct {
	ID       string
	Header   http.Header
	Body     []byte
	URL      string
	Time     time.Time
	Provider string
}

// LoadCapturedRequest reads the capture the flags pick (LoadCapture) for
// verifying. The URL is http://HOST/PATH?QUERY as listen received it, or
// with the scheme a proxy in front of listen named (X-Forwarded-Proto,
// e.g. an https tunnel).
func LoadCapturedRequest(ios *iostreams.IOStreams, getenv func(string) string, a CaptureArgs) (*CapturedRequest, error) {
	rec, err := LoadCapture(ios, getenv, a)
	if err != nil {
		return nil, err
	}
	body, err := CaptureBody(rec)
	if err != nil {
		return nil, err
	}
	proto, _, _ := strings.Cut(rec.Headers.Get("X-Forwarded-Proto"), ",")
	proto = strings.ToLower(strings.TrimSpace(proto))
	if proto == "" {
		proto = "http"
	}
	host := rec.Host
	if host == "" {
		host = rec.Headers.Get("Host")
	}
	u := ""
	if host != "" {
		u = proto + "://" + host + rec.RequestURI()
	}
	return &CapturedRequest{ID: rec.ID, Header: rec.Headers.Clone(), Body: body, URL: u, Time: rec.Time, Provider: rec.Provider}, nil
}
