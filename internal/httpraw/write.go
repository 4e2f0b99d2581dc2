package httpraw

import (
	"bufio"
	"io"
	"net/http"
	"net/textproto"
	"sort"
	"strconv"
)

// Write writes a request as raw HTTP/1.1, the form Parse reads: the request
// line, Host, the headers sorted by name (each name's values in their
// order), Content-Length, a blank line, then the exact body. Host,
// Content-Length and Transfer-Encoding in h are replaced by the ones that
// describe what is written (the body is whole, never chunked). Lines end in
// CRLF, as on the wire; the body is written as is.
func Write(w io.Writer, method, requestURI, host string, h http.Header, body []byte) error {
	bw := bufio.NewWriter(w)
	if method == "" {
		method = http.MethodPost
	}
	if requestURI == "" {
		requestURI = "/"
	}
	bw.WriteString(method + " " + requestURI + " HTTP/1.1\r\n")
	if host != "" {
		bw.WriteString("Host: " + host + "\r\n")
	}
	names := make([]string, 0, len(h))
	for k := range h {
		switch textproto.CanonicalMIMEHeaderKey(k) {
		case "Host", "Content-Length", "Transfer-Encoding":
			continue
		}
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			bw.WriteString(k + ": " + v + "\r\n")
		}
	}
	bw.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
	bw.Write(body)
	return bw.Flush()
}
