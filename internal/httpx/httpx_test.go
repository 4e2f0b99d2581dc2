package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
)

func TestJoinURL(t *testing.T) {
	for _, c := range []struct{ base, path, query, want string }{
		// a base with no path gets the request's path and query
		{"http://app:5000/", "/hooks", "x=1", "http://app:5000/hooks?x=1"},
		{"http://app:5000", "/hooks", "", "http://app:5000/hooks"},
		{"http://localhost:5000/", "/webhooks", "a=1", "http://localhost:5000/webhooks?a=1"},
		{"http://localhost:5000/", "/upload/%C3%A4%20b", "", "http://localhost:5000/upload/%C3%A4%20b"},
		{"http://localhost:5000/", "/upload/ä b", "", "http://localhost:5000/upload/%C3%A4%20b"},
		{"http://localhost:5000/", "/a%2Fb", "", "http://localhost:5000/a%2Fb"},
		{"http://localhost:5000/", "", "", "http://localhost:5000/"},
		{"http://localhost:5000/?k=v", "/hook", "a=1", "http://localhost:5000/hook?k=v&a=1"},
		// a base with a path is the exact destination; the query is kept
		{"http://app:5000/webhooks", "/webhooks", "", "http://app:5000/webhooks"},
		{"http://app:5000/in", "/hooks/a%2Fb", "", "http://app:5000/in"},
		{"http://app:5000/in/", "/hooks", "", "http://app:5000/in/"},
		{"http://app:5000/in", "/", "", "http://app:5000/in"},
		{"http://app:5000/in?k=v", "/", "x=1", "http://app:5000/in?k=v&x=1"},
		{"http://localhost:5000/app", "/webhooks", "a=1", "http://localhost:5000/app?a=1"},
		{"http://localhost:5000/app?k=v", "/hook", "a=1&b=%20", "http://localhost:5000/app?k=v&a=1&b=%20"},
		{"https://example.com/b%2Fc", "/upload", "", "https://example.com/b%2Fc"},
	} {
		base, err := url.Parse(c.base)
		if err != nil {
			t.Fatal(err)
		}
		got := JoinURL(base, c.path, c.query)
		if got != c.want {
			t.Errorf("JoinURL(%s, %s, %s) = %s, want %s", c.base, c.path, c.query, got, c.want)
		}
		if _, err := url.Parse(got); err != nil {
			t.Errorf("%s does not parse: %v", got, err)
		}
	}
}

func TestCopyEndToEnd(t *testing.T) {
	src := http.Header{
		"Connection": {"keep-alive, X-Hop"}, "X-Hop": {"x"}, "Keep-Alive": {"timeout=5"}, "Transfer-Encoding": {"chunked"},
		"Content-Length": {"12"}, "Host": {"old.example"}, "x-lower-case": {"kept as written"}, "X-Multi": {"1", "2"}, "upgrade": {"h2c"},
	}
	dst := http.Header{}
	CopyEndToEnd(dst, src, "Content-Length", "Host")
	want := http.Header{"x-lower-case": {"kept as written"}, "X-Multi": {"1", "2"}}
	if fmt.Sprint(dst) != fmt.Sprint(want) {
		t.Errorf("copied %v, want %v", dst, want)
	}
	dst = http.Header{}
	CopyEndToEnd(dst, src)
	if dst.Get("Content-Length") != "12" || dst.Get("Keep-Alive") != "" {
		t.Errorf("copied %v", dst)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 KiB", 25 << 20: "25.0 MiB", 30 << 20: "30.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"25MB": 25 << 20, "25MiB": 25 << 20, "512kb": 512 << 10, "1GiB": 1 << 30, "100": 100, "7 B": 7} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "0", "-1", "lots", "1TB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestVerdict(t *testing.T) {
	yes, no := true, false
	for _, c := range []struct {
		verified *bool
		reason   string
		want     string
	}{
		{&yes, "", "valid"}, {&no, "signature mismatch", "invalid: signature mismatch"}, {&no, "", "invalid"},
		{nil, "unsigned", "unsigned"}, {nil, "", ""},
	} {
		if got := Verdict(c.verified, c.reason); got != c.want {
			t.Errorf("Verdict(%v, %q) = %q, want %q", c.verified, c.reason, got, c.want)
		}
	}
}

func TestClassify(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, refused := http.Get("http://" + addr + "/")
	for _, c := range []struct {
		err  error
		want Failure
	}{
		{refused, Refused},
		{&url.Error{Op: "Post", URL: "x", Err: &net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}}, DNS},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), Timeout},
		{io.ErrUnexpectedEOF, Closed},
		{&net.OpError{Op: "dial", Err: syscall.EHOSTUNREACH}, Unreachable},
		{errors.New("http: server gave HTTP response to HTTPS client"), NotTLS},
		{errors.New("something else"), Other},
	} {
		if got := Classify(c.err); got != c.want {
			t.Errorf("Classify(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	if Refused.String() != "connection refused" || Other.String() != "error" {
		t.Errorf("labels %s %s", Refused, Other)
	}
}

func TestCause(t *testing.T) {
	err := &net.OpError{Op: "listen", Net: "tcp", Err: &osSyscall{}}
	if got := Cause(err); !strings.Contains(got.Error(), "in use") {
		t.Errorf("Cause = %v", got)
	}
}

type osSyscall struct{}

func (*osSyscall) Error() string { return "address already in use" }
