package delivery

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// TargetHelp says which --to forms are accepted.
const TargetHelp = "want host:port, :port, host:port/path or an http:// or https:// URL (e.g. --to localhost:5000)"

// ParseTarget turns a --to value into the URL requests go to:
// "localhost:5000", ":5000" (localhost), "5000" (localhost),
// "localhost:5000/webhooks", or a full http:// or https:// URL. A target
// without a scheme gets http://, and an empty path becomes "/".
func ParseTarget(s string) (*url.URL, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return nil, fmt.Errorf("no target: pass --to (e.g. --to localhost:5000), or set HOOKCTL_TO or 'to:' in hookctl.yaml")
	}
	bad := func(why string) error {
		return fmt.Errorf("invalid --to %q: %s; %s", s, why, TargetHelp)
	}
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme := strings.ToLower(raw[:i])
		if scheme != "http" && scheme != "https" {
			return nil, bad("hookctl sends over http or https, not " + raw[:i])
		}
	} else {
		if isPort(raw) {
			raw = "localhost:" + raw
		} else if strings.HasPrefix(raw, ":") {
			raw = "localhost" + raw
		}
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, bad(ue.Err.Error())
		}
		return nil, bad(err.Error())
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Host == "" || u.Hostname() == "" {
		return nil, bad("no host")
	}
	if u.User != nil {
		return nil, bad("credentials in the URL are not supported: use -H 'Authorization: ...'")
	}
	if p := u.Port(); p != "" {
		if !isPort(p) {
			return nil, bad(fmt.Sprintf("port %s is not a number from 1 to 65535", p))
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return nil, bad("the port is empty")
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535 && strconv.Itoa(n) == s
}

// HostPort is the host:port a URL connects to, with the scheme's default
// port filled in.
func HostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}
