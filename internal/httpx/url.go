package httpx

import (
	"net/url"
	"strings"
)

// JoinURL is where a request for path and query goes when it is sent on to
// base: the path appended to base's path and the query to base's query
// ("http://app:5000/in" and "/hooks?x=1" give http://app:5000/in/hooks?x=1;
// a request for "/" goes to base's path as is). path is escaped as in a
// request line; one that is not is escaped here.
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
	if p.Path != "/" { // a request for / goes to base's path as is
		u.Path = strings.TrimSuffix(base.Path, "/") + p.Path
		u.RawPath = strings.TrimSuffix(base.EscapedPath(), "/") + p.EscapedPath()
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
