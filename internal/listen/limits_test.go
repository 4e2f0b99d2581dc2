package listen

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawConn dials the server and returns the connection and a reader of its
// answers.
func rawConn(t *testing.T, srv *Server) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(strings.TrimSuffix(srv.URL(), "/"), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, bufio.NewReader(c)
}

// answerTo sends raw request bytes and reads the answer.
func answerTo(t *testing.T, c net.Conn, br *bufio.Reader, raw string) *http.Response {
	t.Helper()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading the answer to %.40q: %v", raw, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// waitHeld waits until the server holds at least n body bytes in memory.
func waitHeld(t *testing.T, srv *Server, n int64) int64 {
	t.Helper()
	for range 2000 {
		if h := srv.budget.held.Load(); h >= n {
			return h
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("the server never held %d body bytes (holds %d)", n, srv.budget.held.Load())
	return 0
}

// A Content-Length over --max-body is answered 413 from the headers alone,
// without 100 Continue, and the connection is closed.
func TestOverLimitContentLengthIsRefusedAtOnce(t *testing.T) {
	srv, _ := runServer(t, Config{MaxBody: 1 << 20})
	for _, expect := range []string{"", "Expect: 100-continue\r\n"} {
		c, br := rawConn(t, srv)
		resp := answerTo(t, c, br, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n"+expect+"\r\n")
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
			t.Errorf("%q: answer %d, close %v", expect, resp.StatusCode, resp.Close)
		}
	}
	// A chunked body that passes the limit stops there with 413.
	c, br := rawConn(t, srv)
	chunk := strings.Repeat("x", 64<<10)
	go func() {
		io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
		for range 32 {
			if _, err := io.WriteString(c, strconv.FormatInt(int64(len(chunk)), 16)+"\r\n"+chunk+"\r\n"); err != nil {
				return
			}
		}
	}()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked over the limit: %v %v", resp, err)
	}
}

// A body that claims 20 MB and sends ten bytes holds about ten bytes, not
// 20 MB; past the memory cap across requests a body gets 503.
func TestBodyMemoryFollowsTheBytesThatArrive(t *testing.T) {
	srv, _ := runServer(t, Config{MaxBody: 20 << 20, MaxBodyMemory: 1 << 20})
	slow, _ := rawConn(t, srv)
	io.WriteString(slow, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n0123456789")
	if h := waitHeld(t, srv, 1); h > 64<<10 {
		t.Errorf("a body of 10 bytes so far holds %d bytes", h)
	}
	// A second sender fills the cap, half way through its body...
	big, bigR := rawConn(t, srv)
	io.WriteString(big, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 800000\r\n\r\n"+strings.Repeat("a", 600000))
	waitHeld(t, srv, 600000)
	// ...so a third body that needs more gets 503 at once, with Retry-After.
	c, br := rawConn(t, srv)
	resp := answerTo(t, c, br, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n"+strings.Repeat("b", 500000))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" || !resp.Close {
		t.Errorf("over the memory cap: %d %v", resp.StatusCode, resp.Header)
	}
	// The body in progress completes, and its memory is given back.
	if resp := answerTo(t, big, bigR, strings.Repeat("a", 200000)); resp.StatusCode != http.StatusOK {
		t.Errorf("the body under the cap: %d", resp.StatusCode)
	}
	slow.Close()
	for range 2000 {
		if srv.budget.held.Load() == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("still holding %d bytes after every request ended", srv.budget.held.Load())
}

// At most 64 KiB of request line and headers; more gets 431.
func TestHeadersOver64KiBGet431(t *testing.T) {
	srv, _ := runServer(t, Config{})
	for _, c := range []struct {
		size int
		want int
	}{{60 << 10, http.StatusOK}, {66 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
		conn, br := rawConn(t, srv)
		resp := answerTo(t, conn, br, "POST / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("h", c.size)+"\r\nContent-Length: 0\r\n\r\n")
		if resp.StatusCode != c.want {
			t.Errorf("%d bytes of headers: %d, want %d", c.size, resp.StatusCode, c.want)
		}
	}
}

// At the connection cap, a new connection closes the one that has waited
// longest without a request (idle, or still sending its headers), so idle
// and slowloris connections cannot keep a webhook out.
func TestConnectionCapMakesRoomForNewRequests(t *testing.T) {
	srv, _ := runServer(t, Config{MaxConnections: 4})
	var idle []net.Conn
	for range 10 {
		c, _ := rawConn(t, srv)
		idle = append(idle, c)
	}
	io.WriteString(idle[9], "POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ") // a slowloris
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for i := range 5 {
		resp, err := client.Post(srv.URL(), "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("request %d: %d", i, resp.StatusCode)
		}
	}
	if n := srv.conns.open(); n > 4 {
		t.Errorf("%d connections open, cap 4", n)
	}
	// The oldest idle connection was closed by the server.
	idle[0].SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idle[0].Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("oldest idle connection: %v, want EOF", err)
	}
}

// CONNECT and PRI are refused, and the connection closed.
func TestConnectAndPRIAreRefused(t *testing.T) {
	var seen int
	srv, stop := runServer(t, Config{Display: displayFunc(func(*Result) { seen++ })})
	for _, raw := range []string{
		"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
		"PRI * HTTP/1.1\r\nHost: x\r\n\r\n",
	} {
		c, br := rawConn(t, srv)
		resp := answerTo(t, c, br, raw)
		if resp.StatusCode != http.StatusMethodNotAllowed || !resp.Close {
			t.Errorf("%.20q: %d close %v", raw, resp.StatusCode, resp.Close)
		}
	}
	// The HTTP/2 preface itself: refused, never answered as a request.
	c, br := rawConn(t, srv)
	io.WriteString(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if resp, err := http.ReadResponse(br, nil); err == nil && resp.StatusCode < 400 {
		t.Errorf("HTTP/2 preface: %d", resp.StatusCode)
	}
	stop()
	if seen != 0 {
		t.Errorf("%d refused requests reached the handler's report", seen)
	}
}

// The forwarded path is cleaned: dot segments resolved, slashes merged,
// never above the target's path; other escapes are kept.
func TestForwardedPathIsCleaned(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/../admin", "/admin"},
		{"/a/../../../admin", "/admin"},
		{"//a///b", "/a/b"},
		{"/a/./b/", "/a/b/"},
		{"/%2e%2e/admin", "/admin"},
		{"/a/%2E/b/..", "/a/"},
		{"/a%2Fb/c%20d", "/a%2Fb/c%20d"},
		{"/..", "/"},
		{"/hooks", "/hooks"},
	} {
		if got := cleanPath(c.in); got != c.want {
			t.Errorf("cleanPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// End to end: what the app receives from a route with no path (one
	// with a path is the exact destination: the request's path is unused).
	got := make(chan string, 4)
	app := appServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- r.URL.EscapedPath() }))
	rt, err := testRoute(app)
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := runServer(t, Config{Routes: []Route{rt}})
	for in, want := range map[string]string{"/../admin": "/admin", "/x/..//%2e%2e/y%2Fz": "/y%2Fz"} {
		c, br := rawConn(t, srv)
		answerTo(t, c, br, "POST "+in+" HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
		if p := <-got; p != want {
			t.Errorf("%s forwarded as %s, want %s", in, p, want)
		}
	}
}

// Bound to 0.0.0.0, listen says it is exposed and lists the machine's
// addresses (loopback among them); bound to 127.0.0.1 it is not exposed.
func TestExposedAddresses(t *testing.T) {
	for _, c := range []struct {
		host    string
		exposed bool
	}{{"127.0.0.1", false}, {"0.0.0.0", true}} {
		srv, err := New(Config{Host: c.host, Catalog: testCatalog(t)})
		if err != nil {
			t.Fatal(err)
		}
		srv.ln.Close() // never served
		addrs := srv.Addresses()
		if srv.Exposed() != c.exposed {
			t.Errorf("%s: exposed %v", c.host, srv.Exposed())
		}
		port := srv.conns.Addr().(*net.TCPAddr).Port
		local := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
		found := false
		for _, a := range addrs {
			found = found || a == local
			if strings.Contains(a, "0.0.0.0") || strings.Contains(a, "[::]") || strings.Contains(a, "[fe80:") {
				t.Errorf("%s: address %s", c.host, a)
			}
		}
		if !found {
			t.Errorf("%s: addresses %v lack %s", c.host, addrs, local)
		}
	}
}
