// Package httpraw reads a raw HTTP request saved to a file: request line,
// headers, blank line, body, as nc or a proxy would save it.
package httpraw

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// Request is a parsed raw request. Body is the exact bytes after the blank
// line (limited by Content-Length when present, de-chunked when chunked).
type Request struct {
	Method     string
	RequestURI string
	Proto      string
	Header     http.Header
	Body       []byte
	// CurlTrace is set when the file was a curl --trace or --trace-ascii
	// log rather than the raw request.
	CurlTrace bool
	// Lossy: a --trace-ascii body holding '.', which curl also prints for
	// every byte outside printable ASCII, so the body may not be the one
	// sent. curl --trace keeps the exact bytes.
	Lossy bool
}

// Parse reads a raw request, or a curl --trace or --trace-ascii log of one
// (the first request in it). Lines may end in CRLF or LF, in the headers
// and in a chunked body alike; blank lines before the request line are
// skipped, as servers do.
func Parse(r io.Reader) (*Request, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if !isCurlTrace(data) {
		return parseRaw(data)
	}
	raw, lossy, err := fromCurlTrace(data)
	if err != nil {
		return nil, err
	}
	req, err := parseRaw(raw)
	if err != nil {
		return nil, fmt.Errorf("the request in the curl trace: %v", err)
	}
	req.CurlTrace, req.Lossy = true, lossy
	return req, nil
}

func parseRaw(data []byte) (*Request, error) {
	br := bufio.NewReader(bytes.NewReader(data))
	tp := textproto.NewReader(br)
	var line string
	for line == "" {
		var err error
		if line, err = tp.ReadLine(); err != nil && line == "" {
			return nil, fmt.Errorf("empty request: want a request line such as 'POST /webhooks HTTP/1.1'")
		}
		line = strings.TrimSpace(line)
	}
	parts := strings.Fields(line)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "HTTP/") {
		return nil, fmt.Errorf("first line %q is not a request line such as 'POST /webhooks HTTP/1.1'", clip(line))
	}
	req := &Request{Method: parts[0], RequestURI: parts[1], Proto: parts[2]}
	mh, err := tp.ReadMIMEHeader()
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("headers: %s: want 'Name: value' lines, then a blank line", printable(clipN(err.Error(), 120)))
	}
	req.Header = http.Header(mh)
	rest, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.EqualFold(req.Header.Get("Transfer-Encoding"), "chunked"):
		body, err := dechunk(rest)
		if err != nil {
			return nil, fmt.Errorf("chunked body: %v", err)
		}
		req.Body = body
	case req.Header.Get("Content-Length") != "":
		n, err := strconv.Atoi(req.Header.Get("Content-Length"))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("Content-Length %q is not a number", req.Header.Get("Content-Length"))
		}
		if len(rest) < n {
			return nil, fmt.Errorf("body is %d bytes, shorter than its Content-Length %d: the file is cut off", len(rest), n)
		}
		req.Body = rest[:n]
	default:
		req.Body = rest
	}
	return req, nil
}

// URL rebuilds the URL the sender called, from the Host header; "" when
// the request names no host.
func (r *Request) URL(scheme string) string {
	if strings.HasPrefix(r.RequestURI, "http://") || strings.HasPrefix(r.RequestURI, "https://") {
		return r.RequestURI
	}
	host := r.Header.Get("Host")
	if host == "" {
		return ""
	}
	return scheme + "://" + host + r.RequestURI
}

// dechunk decodes a chunked body whose lines end in CRLF or LF (a saved
// request may have had its line endings changed). Trailers are ignored.
func dechunk(b []byte) ([]byte, error) {
	out := []byte{}
	for {
		line, rest, ok := bytes.Cut(b, []byte("\n"))
		if !ok {
			return nil, fmt.Errorf("cut off before the last (0) chunk")
		}
		size, _, _ := bytes.Cut(bytes.TrimSuffix(line, []byte("\r")), []byte(";"))
		n, err := strconv.ParseUint(string(bytes.TrimSpace(size)), 16, 62)
		if err != nil {
			return nil, fmt.Errorf("chunk size %q is not a hex number", clip(string(size)))
		}
		if n == 0 {
			return out, nil
		}
		if uint64(len(rest)) < n {
			return nil, fmt.Errorf("a chunk of %d bytes is cut off after %d", n, len(rest))
		}
		out, rest = append(out, rest[:n]...), rest[n:]
		switch {
		case bytes.HasPrefix(rest, []byte("\r\n")):
			rest = rest[2:]
		case bytes.HasPrefix(rest, []byte("\n")):
			rest = rest[1:]
		default:
			return nil, fmt.Errorf("a chunk of %d bytes is not followed by a line break: is its size right?", n)
		}
		b = rest
	}
}

// printable keeps an error about the file's bytes on one line.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

func clip(s string) string { return clipN(s, 60) }

func clipN(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
