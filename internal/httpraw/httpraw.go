// Package httpraw reads a raw HTTP request saved to a file: request line,
// headers, blank line, body, as nc or a proxy would save it.
package httpraw

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
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
}

// Parse reads a raw request. Header lines may end in CRLF or LF.
func Parse(r io.Reader) (*Request, error) {
	br := bufio.NewReader(r)
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return nil, fmt.Errorf("empty request: want a request line such as 'POST /webhooks HTTP/1.1'")
	}
	parts := strings.Fields(line)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "HTTP/") {
		return nil, fmt.Errorf("first line %q is not a request line such as 'POST /webhooks HTTP/1.1'", clip(line))
	}
	req := &Request{Method: parts[0], RequestURI: parts[1], Proto: parts[2]}
	mh, err := tp.ReadMIMEHeader()
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("headers: %v", err)
	}
	req.Header = http.Header(mh)
	rest, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.EqualFold(req.Header.Get("Transfer-Encoding"), "chunked"):
		body, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(rest)))
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

// URL rebuilds the URL the sender called, from the Host header.
func (r *Request) URL(scheme string) string {
	if strings.HasPrefix(r.RequestURI, "http://") || strings.HasPrefix(r.RequestURI, "https://") {
		return r.RequestURI
	}
	return scheme + "://" + r.Header.Get("Host") + r.RequestURI
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
