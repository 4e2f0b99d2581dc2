package present

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/httpraw"
)

// RawRequest prints a request about to be sent as raw HTTP/1.1 (trigger
// --dry-run): what 'hookctl verify --request -' and curl read.
func RawRequest(w io.Writer, r *delivery.Request) error {
	u, err := url.Parse(r.URL)
	if err != nil {
		return err
	}
	host := u.Host
	if h := r.Header.Get("Host"); h != "" {
		host = h
	}
	return httpraw.Write(w, r.Method, u.RequestURI(), host, r.Header, r.Body)
}

// RawCapture prints a captured request as raw HTTP/1.1 (hookctl show):
// the request line, the headers as captured, a blank line, the exact body.
func RawCapture(w io.Writer, rec *capture.Record) error {
	body, err := rec.BodyBytes()
	if err != nil {
		return err
	}
	host := rec.Host
	if host == "" {
		host = rec.Headers.Get("Host")
	}
	return httpraw.Write(w, rec.Method, rec.RequestURI(), host, rec.Headers, body)
}

// RawRequests prints requests as RawRequest does, a blank line between two
// ('hookctl verify --request -' reads the first).
func RawRequests(w io.Writer, reqs []*delivery.Request) error {
	for i, r := range reqs {
		if i > 0 {
			if _, err := io.WriteString(w, "\n\n"); err != nil {
				return err
			}
		}
		if err := RawRequest(w, r); err != nil {
			return err
		}
	}
	return nil
}

// shownRequest is a request as 'hookctl events show --json' prints it.
type shownRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// ShownRequest prints a request to read, not to send (hookctl events
// show): the method and full URL, the headers sorted by name (each name's
// first value), a blank line and the body; with asJSON, those as one object.
func ShownRequest(w io.Writer, r *delivery.Request, asJSON bool) error {
	names := slices.Sorted(maps.Keys(r.Header))
	method := cmp.Or(r.Method, http.MethodPost)
	if asJSON {
		out := shownRequest{Method: r.Method, URL: r.URL, Headers: map[string]string{}, Body: string(r.Body)}
		for _, k := range names {
			out.Headers[k] = r.Header.Get(k)
		}
		return JSON(w, out)
	}
	fmt.Fprintf(w, "%s %s\n", method, r.URL)
	for _, k := range names {
		fmt.Fprintf(w, "%s: %s\n", k, r.Header.Get(k))
	}
	_, err := fmt.Fprintf(w, "\n%s\n", r.Body)
	return err
}
