package signer

import (
	"net/url"
	"sort"
	"strings"
)

// parseForm returns the sorted name+value concatenation Twilio appends to the
// URL: names sorted, each name's values sorted.
func parseForm(body string) (string, error) {
	vals, err := url.ParseQuery(body)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		vs := append([]string(nil), vals[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	return b.String(), nil
}

// queryParam finds a parameter in a URL's query without re-encoding the URL.
func queryParam(rawURL, name string) (string, bool) {
	_, query, ok := strings.Cut(rawURL, "?")
	if !ok {
		return "", false
	}
	q, err := url.ParseQuery(query)
	if err != nil || !q.Has(name) {
		return "", false
	}
	return q.Get(name), true
}

// setQueryParam sets one parameter, keeping the rest of the URL as written.
func setQueryParam(rawURL, name, value string) string {
	base, query, hasQuery := strings.Cut(rawURL, "?")
	if !hasQuery || query == "" {
		return base + "?" + name + "=" + value
	}
	parts := strings.Split(query, "&")
	for i, p := range parts {
		if k, _, _ := strings.Cut(p, "="); k == name {
			parts[i] = name + "=" + value
			return base + "?" + strings.Join(parts, "&")
		}
	}
	return base + "?" + query + "&" + name + "=" + value
}

// twilioURLVariants returns the URL as given, without its port and with
// its port (the scheme's default when none is written), as Twilio's own
// validators try them. The rest of the URL is kept byte for byte.
func twilioURLVariants(rawURL string) []string {
	out := []string{rawURL}
	add := func(u string) {
		for _, have := range out {
			if have == u {
				return
			}
		}
		out = append(out, u)
	}
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return out
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo := ""
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	host, port := authority, ""
	if i := strings.LastIndexByte(authority, ':'); i >= 0 && !strings.Contains(authority[i:], "]") {
		host, port = authority[:i], authority[i+1:]
	}
	base := scheme + "://" + userinfo
	add(base + host + tail)
	if port == "" {
		switch strings.ToLower(scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		default:
			return out
		}
	}
	add(base + host + ":" + port + tail)
	return out
}
