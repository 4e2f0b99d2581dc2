package httpraw

import (
	"bytes"
	"fmt"
	"net/textproto"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const body = `{"event":"connection.created"}`
	for _, c := range []struct {
		name, raw, body, sig string
	}{
		{"CRLF", "POST /hooks HTTP/1.1\r\nHost: localhost:5000\r\nx-notify-signature: abc\r\nContent-Length: 30\r\n\r\n" + body, body, "abc"},
		{"LF", "POST /hooks HTTP/1.1\nHost: localhost:5000\nx-notify-signature: abc\n\n" + body, body, "abc"},
		{"no Content-Length keeps every byte", "POST /hooks HTTP/1.1\nX-Notify-Signature:abc\n\n" + body + "\n", body + "\n", "abc"},
		{"Content-Length cuts what follows", "POST /hooks HTTP/1.1\r\nX-Notify-Signature: abc\r\nContent-Length: 30\r\n\r\n" + body + "\r\n\r\n", body, "abc"},
		{"CRLF inside the body is kept", "POST /hooks HTTP/1.1\r\nX-Notify-Signature: abc\r\n\r\na\r\nb", "a\r\nb", "abc"},
		{"chunked CRLF", "POST /hooks HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-Notify-Signature: abc\r\n\r\n5\r\n{\"eve\r\n19;ext=1\r\nnt\":\"connection.created\"}\r\n0\r\nX-Trailer: 1\r\n\r\n", body, "abc"},
		{"chunked LF", "POST /hooks HTTP/1.1\nTransfer-Encoding: chunked\nX-Notify-Signature: abc\n\n1E\n" + body + "\n0\n\n", body, "abc"},
		{"blank lines before the request line", "\r\n\nPOST /hooks HTTP/1.1\nX-Notify-Signature: abc\n\n" + body, body, "abc"},
		{"headers end at the end of the file", "POST /hooks HTTP/1.1\nX-Notify-Signature: abc\n", "", "abc"},
		{"folded header", "POST /hooks HTTP/1.1\nX-Notify-Signature: a\n bc\n\n", "", "a bc"},
		{"empty body", "GET / HTTP/1.0\r\nx-notify-signature: abc\r\n\r\n", "", "abc"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Parse(strings.NewReader(c.raw))
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Body) != c.body {
				t.Errorf("body %q, want %q", r.Body, c.body)
			}
			if got := r.Header.Get("X-NOTIFY-SIGNATURE"); got != c.sig {
				t.Errorf("signature header %q, want %q", got, c.sig)
			}
		})
	}
}

func TestParseRequestLineAndURL(t *testing.T) {
	r, err := Parse(strings.NewReader("POST /myapp.php?foo=1&bar=2 HTTP/1.1\r\nHost: mycompany.com\r\n\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" || r.RequestURI != "/myapp.php?foo=1&bar=2" || r.Proto != "HTTP/1.1" {
		t.Errorf("request line %+v", r)
	}
	if got := r.URL("https"); got != "https://mycompany.com/myapp.php?foo=1&bar=2" {
		t.Errorf("URL %s", got)
	}
	r, _ = Parse(strings.NewReader("POST http://proxy.test:8080/x HTTP/1.1\nHost: other\n\n"))
	if got := r.URL("https"); got != "http://proxy.test:8080/x" {
		t.Errorf("absolute-form URL %s", got)
	}
	r, _ = Parse(strings.NewReader("POST /x HTTP/1.1\n\n"))
	if got := r.URL("https"); got != "" {
		t.Errorf("no Host: URL %q, want empty", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ raw, want string }{
		{"", "empty request"},
		{"\n\n\n", "empty request"},
		{"{\"event\":\"x\"}\n", "is not a request line"},
		{"POST /x\n\n", "is not a request line"},
		{"POST /x HTTP/1.1 extra\n\n", "is not a request line"},
		{"POST /x HTTP/1.1\nno colon here\n\n", `no colon here`},
		{"POST /x HTTP/1.1\n leading space: x\n\n", "headers"},
		{"POST /x HTTP/1.1\nContent-Length: ten\n\nbody", `Content-Length "ten" is not a number`},
		{"POST /x HTTP/1.1\nContent-Length: -1\n\nbody", "is not a number"},
		{"POST /x HTTP/1.1\nContent-Length: 10\n\nshort", "body is 5 bytes, shorter than its Content-Length 10"},
		{"POST /x HTTP/1.1\nTransfer-Encoding: chunked\n\nzz\nabc\n0\n\n", `chunk size "zz" is not a hex number`},
		{"POST /x HTTP/1.1\nTransfer-Encoding: chunked\n\n10\nabc\n0\n\n", "cut off"},
		{"POST /x HTTP/1.1\nTransfer-Encoding: chunked\n\n2\nabc\n0\n\n", "not followed by a line break"},
		{"POST /x HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n", "cut off before the last (0) chunk"},
	} {
		_, err := Parse(strings.NewReader(c.raw))
		if err == nil {
			t.Errorf("%q parsed", c.raw)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("%q: error %q, want one line saying %q", c.raw, err, c.want)
		}
	}
}

// FuzzParse: any bytes parse or fail with a one-line error, never a panic;
// what parses is consistent with its headers.
func FuzzParse(f *testing.F) {
	f.Add([]byte("POST /hooks HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcdef"))
	f.Add([]byte("POST /hooks HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n"))
	f.Add([]byte("\n\nGET / HTTP/1.0\n\n"))
	f.Add([]byte("POST / HTTP/1.1\nContent-Length: 99999999999999999999\n\n"))
	f.Add([]byte("POST / HTTP/1.1\nTransfer-Encoding: chunked\n\nffffffffffffffff\n"))
	f.Add([]byte("POST / HTTP/1.1\n\tx: y\n\n"))
	f.Add([]byte("=> Send header, 18 bytes (0x12)\n0000: POST / HTTP/1.1\n0011: \n"))
	f.Add([]byte("=> Send header, 3 bytes (0x3)\n0000: 47 45 54                                        GET\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := Parse(bytes.NewReader(raw))
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if r.Method == "" || r.RequestURI == "" || !strings.HasPrefix(r.Proto, "HTTP/") || r.Header == nil {
			t.Fatalf("parsed %+v", r)
		}
		if len(r.Body) > len(raw) {
			t.Fatalf("body of %d bytes from %d bytes of input", len(r.Body), len(raw))
		}
		if cl := r.Header.Get("Content-Length"); cl != "" && !strings.EqualFold(r.Header.Get("Transfer-Encoding"), "chunked") {
			if n, _ := strconv.Atoi(cl); n != len(r.Body) {
				t.Fatalf("Content-Length %s, body %d bytes", cl, len(r.Body))
			}
		}
	})
}

// FuzzRoundTrip: a request written out with CRLF or LF line endings, with or
// without Content-Length or chunked, parses back to the same header and the
// exact body.
func FuzzRoundTrip(f *testing.F) {
	f.Add("POST", "/hooks?a=1", "X-Notify-Signature", "abc", []byte(`{"a":1}`), uint8(0))
	f.Add("PUT", "/", "webhook-signature", "v1,abc v1,def", []byte("a\r\nb\n"), uint8(1))
	f.Add("POST", "/x", "Stripe-Signature", "t=1,v1=2", []byte(""), uint8(2))
	f.Add("POST", "/x", "X-A", "  padded  ", []byte("\r\n\r\n"), uint8(5))
	f.Fuzz(func(t *testing.T, method, target, name, value string, body []byte, mode uint8) {
		if !token(method) || !token(name) || !visible(target) || !fieldValue(value) {
			return
		}
		eol := "\r\n"
		if mode&1 == 1 {
			eol = "\n"
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "%s %s HTTP/1.1%s%s: %s%s", method, target, eol, name, value, eol)
		switch mode / 2 % 3 {
		case 0: // the body runs to the end of the file
		case 1:
			fmt.Fprintf(&b, "Content-Length: %d%s", len(body), eol)
		case 2:
			fmt.Fprintf(&b, "Transfer-Encoding: chunked%s", eol)
		}
		b.WriteString(eol)
		if mode/2%3 == 2 {
			for rest := body; len(rest) > 0; {
				n := min(len(rest), 7)
				fmt.Fprintf(&b, "%x%s%s%s", n, eol, rest[:n], eol)
				rest = rest[n:]
			}
			fmt.Fprintf(&b, "0%s%s", eol, eol)
		} else {
			b.Write(body)
			if mode/2%3 == 1 {
				b.WriteString("trailing bytes past Content-Length")
			}
		}
		r, err := Parse(&b)
		if err != nil {
			t.Fatalf("%v", err)
		}
		if r.Method != method || r.RequestURI != target {
			t.Fatalf("request line %s %s", r.Method, r.RequestURI)
		}
		if got, want := r.Header.Get(name), strings.Trim(value, " \t"); got != want && strings.TrimSpace(got) != strings.TrimSpace(want) {
			t.Fatalf("header %s = %q, want %q", name, got, want)
		}
		if !bytes.Equal(r.Body, body) {
			t.Fatalf("body %q, want %q", r.Body, body)
		}
	})
}

// token reports whether s is an HTTP token (a method or header name).
func token(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return textproto.CanonicalMIMEHeaderKey(s) != ""
}

// fieldValue reports whether s may be a header value: no control bytes but
// horizontal tab.
func fieldValue(s string) bool {
	for _, c := range []byte(s) {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// visible reports whether s is non-empty printable ASCII without spaces (a
// request target).
func visible(s string) bool {
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return s != ""
}

// Traces saved by curl 7.88 (--trace, --trace-time --trace, --trace-ascii)
// of requests to a local listen.
func TestParseCurlTrace(t *testing.T) {
	utf8Body := "{\"msg\":\"h\u00e9llo\"}\n"
	for _, c := range []struct {
		file, header, value, body string
		lossy                     bool
	}{
		{"curl-trace.txt", "x-notify-signature", "4bfb72facc139afd8fdb8eef52eba553b1f6738e2593fe37ed7c67f8658d2688", utf8Body, false},
		{"curl-trace-time.txt", "x-notify-signature", "4bfb72facc139afd8fdb8eef52eba553b1f6738e2593fe37ed7c67f8658d2688", utf8Body, false},
		{"curl-trace-ascii.txt", "webhook-signature", "v1,bBwTEoOv6zfAnGF/YVt4HFz4TC9U8kh1AyFNTzMV1Y4=", `{"msg":"hello","n":1}`, false},
		// --trace-ascii shows é and the newline as dots: the body is not
		// the one sent, and Lossy says it may not be.
		{"curl-trace-ascii-utf8.txt", "x-notify-signature", "4bfb72facc139afd8fdb8eef52eba553b1f6738e2593fe37ed7c67f8658d2688", `{"msg":"h..llo"}.`, true},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		r, err := Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if r.Method != "POST" || r.Header.Get("Host") != "127.0.0.1:5094" || !r.CurlTrace {
			t.Errorf("%s: %s %s host %q trace %v", c.file, r.Method, r.RequestURI, r.Header.Get("Host"), r.CurlTrace)
		}
		if got := r.Header.Get(c.header); got != c.value {
			t.Errorf("%s: %s = %q, want %q", c.file, c.header, got, c.value)
		}
		if string(r.Body) != c.body || r.Lossy != c.lossy {
			t.Errorf("%s: body %q lossy %v, want %q %v", c.file, r.Body, r.Lossy, c.body, c.lossy)
		}
	}
}

func TestParseCurlTraceErrors(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("testdata", "curl-trace.txt"))
	if err != nil {
		t.Fatal(err)
	}
	cut := full[:bytes.Index(full, []byte("0010: 0a"))] // the body's last row
	for _, c := range []struct{ raw, want string }{
		{"== Info: Connected\n<= Recv header, 2 bytes (0x2)\n0000: 0d 0a                                           ..\n", "no request"},
		{string(cut), "Send data block: 16 bytes, but its title says 17: is the file cut off?"},
		{"=> Send header, 4 bytes (0x4)\nzz: x\n", `row "zz: x" is not 'offset: data'`},
		{"=> Send header, 20 bytes (0x14)\n0000: GET / HTTP/1.1\n000a: X\n", "overlaps"},
		{"=> Send header, 4 bytes (0x4)\n0000: 47 45 54 0a                                     GET.\n", "the request in the curl trace:"},
	} {
		_, err := Parse(strings.NewReader(c.raw))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("%q: error %v, want one line saying %q", clip(c.raw), err, c.want)
		}
	}
}

// curlDump writes data as curl's --trace (hex) or --trace-ascii does
// (tool_cb_dbg.c, dump()): a port kept here to test the reader against.
func curlDump(w *bytes.Buffer, title string, data []byte, ascii bool) {
	width := 16
	if ascii {
		width = 64
	}
	fmt.Fprintf(w, "%s, %d bytes (0x%x)\n", title, len(data), len(data))
	size := len(data)
	for i := 0; i < size; i += width {
		fmt.Fprintf(w, "%04x: ", i)
		if !ascii {
			for c := 0; c < width; c++ {
				if i+c < size {
					fmt.Fprintf(w, "%02x ", data[i+c])
				} else {
					w.WriteString("   ")
				}
			}
		}
		for c := 0; c < width && i+c < size; c++ {
			if ascii && i+c+1 < size && data[i+c] == '\r' && data[i+c+1] == '\n' {
				i += c + 2 - width
				break
			}
			if ch := data[i+c]; ch >= 0x20 && ch < 0x7f {
				w.WriteByte(ch)
			} else {
				w.WriteByte('.')
			}
			if ascii && i+c+2 < size && data[i+c+1] == '\r' && data[i+c+2] == '\n' {
				i += c + 3 - width
				break
			}
		}
		w.WriteByte('\n')
	}
}

// FuzzCurlTrace: a request dumped as curl would, in hex or (for a printable
// body) as text, in one or more data blocks, reads back to the exact body.
func FuzzCurlTrace(f *testing.F) {
	f.Add([]byte(`{"a":1}`), "abc", false, uint8(0))
	f.Add([]byte("a\r\nb\r\n\r\n"), "v1,x y", true, uint8(3))
	f.Add([]byte("x\r\n"), "0123456789012345678901234567890123456789012345678901234567890123", true, uint8(64))
	f.Fuzz(func(t *testing.T, body []byte, sig string, ascii bool, split uint8) {
		if !fieldValue(sig) || strings.TrimSpace(sig) != sig || sig == "" {
			return
		}
		if ascii {
			for _, ch := range []byte(sig) {
				if ch < 0x20 || ch >= 0x7f || ch == '.' {
					return
				}
			}
			for _, ch := range body {
				if (ch < 0x20 || ch >= 0x7f || ch == '.') && ch != '\r' && ch != '\n' {
					return // --trace-ascii cannot carry it
				}
			}
			if bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\r")) || bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\n")) {
				return // a lone CR or LF is a '.' too
			}
		}
		head := fmt.Sprintf("POST /hooks HTTP/1.1\r\nHost: example.test\r\nX-Sig: %s\r\nContent-Length: %d\r\n\r\n", sig, len(body))
		var w bytes.Buffer
		w.WriteString("== Info: Connected to example.test\n")
		curlDump(&w, "=> Send header", []byte(head), ascii)
		n := len(body)
		if split > 0 && int(split) < n {
			n = int(split)
		}
		curlDump(&w, "=> Send data", body[:n], ascii)
		if ascii && n > 0 && n < len(body) && body[n-1] == '\r' && body[n] == '\n' {
			return // a CRLF split between blocks shows as two dots
		}
		if n < len(body) {
			curlDump(&w, "=> Send data", body[n:], ascii)
		}
		curlDump(&w, "<= Recv header", []byte("HTTP/1.1 200 OK\r\n"), ascii)
		r, err := Parse(bytes.NewReader(w.Bytes()))
		if err != nil {
			t.Fatalf("%v\n%s", err, w.Bytes())
		}
		if !bytes.Equal(r.Body, body) || r.Header.Get("X-Sig") != sig {
			t.Fatalf("body %q sig %q, want %q %q\n%s", r.Body, r.Header.Get("X-Sig"), body, sig, w.Bytes())
		}
	})
}
