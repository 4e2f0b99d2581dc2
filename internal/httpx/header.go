package httpx

import (
	"net/http"
	"net/textproto"
	"slices"
	"strings"
)

// HopByHop are the headers of one connection, which a proxy never passes
// on (RFC 9110 section 7.6.1).
var HopByHop = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// CopyEndToEnd adds src's headers to dst, values in their order and keys as
// written, except the hop-by-hop ones, those src's Connection header names,
// and the canonical names in drop (e.g. Content-Length and Host, which the
// transport writes itself). Names are compared case-insensitively.
func CopyEndToEnd(dst, src http.Header, drop ...string) {
	var named []string
	for k, vs := range src {
		if textproto.CanonicalMIMEHeaderKey(k) != "Connection" {
			continue
		}
		for _, v := range vs {
			for _, name := range strings.Split(v, ",") {
				if name = strings.TrimSpace(name); name != "" {
					named = append(named, textproto.CanonicalMIMEHeaderKey(name))
				}
			}
		}
	}
	for k, vs := range src {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		if slices.Contains(HopByHop, ck) || slices.Contains(named, ck) || slices.Contains(drop, ck) {
			continue
		}
		dst[k] = append(dst[k], vs...)
	}
}
