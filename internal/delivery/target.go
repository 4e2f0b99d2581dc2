package delivery

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// TargetForms says which target forms ParseTarget accepts.
const TargetForms = "host:port, :port, host:port/path or an http:// or https:// URL"

// ErrNoTarget is an empty target.
var ErrNoTarget = errors.New("no target")

// TargetError is a target ParseTarget cannot read: Value as given, and why.
type TargetError struct{ Value, Why string }

func (e *TargetError) Error() string {
	return fmt.Sprintf("invalid target %q: %s; want %s", e.Value, e.Why, TargetForms)
}

// ParseTarget turns a target (trigger's and replay's --to) into the URL requests go to:
// "localhost:5000", ":5000" (localhost), "5000" (localhost),
// "localhost:5000/webhooks", or a full http:// or https:// URL. A target
// without a scheme gets http://, and an empty path becomes "/". Errors are
// ErrNoTarget or a *TargetError.
func ParseTarget(s string) (*url.URL, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return nil, ErrNoTarget
	}
	bad := func(why string) error { return &TargetError{Value: s, Why: why} }
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
