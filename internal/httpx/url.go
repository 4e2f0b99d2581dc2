package httpx

import (
	"net/url"
	"strings"
)

// JoinURL is where a request for path and query goes when it is sent on to
// base (listen's --forward-to, replay's --to). A base with a path is the
// exact destination: "http://app:5000/in" and "/hooks?x=1" give
// http://app:5000/in?x=1. A base with no path (or just "/") gets the
// request's path: "http://app:5000" and "/hooks?x=1" give
// http://app:5000/hooks?x=1. The request's query is kept either way, after
// base's own. path is escaped as in a request line; one that is not is
// escaped here.
func JoinURL(base *url.URL, path, query string) string {
	uri := path
	if query != "" {
		uri += "?" + query
	}
	p, err := url.ParseRequestURI(uri)
	if err != nil || p.Host != "" || p.Scheme != "" {
		p = &url.URL{Path: path, RawQuery: query}
	}
	if !strings.HasPrefix(p.Path, "/") {
		p.Path, p.RawPath = "/"+p.Path, ""
	}
	u := *base
	if !HasPath(base) {
		u.Path, u.RawPath = p.Path, p.RawPath
	}
	switch {
	case u.RawQuery == "":
		u.RawQuery = p.RawQuery
	case p.RawQuery != "":
		u.RawQuery += "&" + p.RawQuery
	}
	u.ForceQuery = false
	return u.String()
}

// HasPath reports whether a target names a path of its own (anything but
// "" and "/"): JoinURL then sends there whatever path came in.
func HasPath(u *url.URL) bool { return u.Path != "" && u.Path != "/" }
