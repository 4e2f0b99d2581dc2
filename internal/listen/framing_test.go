package listen

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// feedConn is a connection that yields its input in pieces of a given size.
type feedConn struct {
	net.Conn
	in    []byte
	piece int
}

func (c *feedConn) Read(p []byte) (int, error) {
	if len(c.in) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.piece)], c.in)
	c.in = c.in[n:]
	return n, nil
}

// through returns what net/http would read from a framedConn given in,
// read in pieces of every size from 1 byte up.
func through(t *testing.T, in string) []string {
	t.Helper()
	var outs []string
	for _, piece := range []int{1, 2, 3, 7, 64, 4096} {
		fc := newFramedConn(&feedConn{in: []byte(in), piece: piece})
		var out bytes.Buffer
		buf := make([]byte, 5)
		for {
			n, err := fc.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				break
			}
		}
		outs = append(outs, out.String())
	}
	return outs
}

func TestFramedConnPassesOrdinaryTrafficUnchanged(t *testing.T) {
	chunked := "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n"
	// a body that looks like a header block with both fields
	tricky := "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 49\r\n\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
	in := tricky + chunked + "\r\nGET /b HTTP/1.1\nHost: x\n\n" + tricky
	for _, out := range through(t, in) {
		if out != in {
			t.Fatalf("changed:\n%q\nwant\n%q", out, in)
		}
	}
}

func TestFramedConnSpoilsContentLengthBesideTransferEncoding(t *testing.T) {
	first := "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
	smuggle := "POST / HTTP/1.1\r\nHost: x\r\ncontent-length:  4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n"
	want := strings.Replace(first+smuggle, "content-length:  4", "content-length:  x", 1)
	for _, out := range through(t, first+smuggle) {
		if out != want {
			t.Fatalf("got\n%q\nwant\n%q", out, want)
		}
	}
}

// End to end: the request with both fields gets 400 and a closed
// connection; neither it nor the request hidden in its body is handled.
func TestRequestWithContentLengthAndTransferEncodingGets400(t *testing.T) {
	var paths []string
	srv, stop := runServer(t, Config{OnRequest: func(r *Result) { paths = append(paths, r.Path) }})
	c, br := rawConn(t, srv)
	resp := answerTo(t, c, br, "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("plain request: %d", resp.StatusCode)
	}
	resp = answerTo(t, c, br, "POST /smuggler HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nPOST /hidden HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp.StatusCode != http.StatusBadRequest || !resp.Close {
		t.Errorf("both fields: %d, close %v", resp.StatusCode, resp.Close)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if rest, err := io.ReadAll(br); len(rest) != 0 || err != nil {
		t.Errorf("after the 400: %q %v", rest, err)
	}
	stop() // the display has shown every request once Run returns
	if len(paths) != 1 || paths[0] != "/ok" {
		t.Errorf("handled %v, want only /ok", paths)
	}
}

// Whatever the input and however it is split, framedConn passes on every
// byte, changing at most one to 'x', the same way for every split.
func FuzzFramedConn(f *testing.F) {
	f.Add("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
	f.Add("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nff\r\n" + strings.Repeat("a", 255) + "\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n")
	f.Add("GET / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789")
	f.Fuzz(func(t *testing.T, in string) {
		outs := through(t, in)
		for _, out := range outs {
			if out != outs[0] {
				t.Fatalf("depends on the split: %q vs %q", out, outs[0])
			}
		}
		if len(outs[0]) != len(in) {
			t.Fatalf("%d bytes out for %d in", len(outs[0]), len(in))
		}
		diff := 0
		for i := range in {
			if in[i] != outs[0][i] {
				diff++
				if outs[0][i] != 'x' {
					t.Fatalf("byte %d changed to %q", i, outs[0][i])
				}
			}
		}
		if diff > 1 {
			t.Fatalf("%d bytes changed", diff)
		}
	})
}
