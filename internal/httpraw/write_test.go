package httpraw

import (
	"bytes"
	"net/http"
	"testing"
)

// What Write writes, Parse reads back: the same request line, headers and
// exact body, whatever the body holds.
func TestWriteParseRoundTrip(t *testing.T) {
	body := []byte("{\"a\":1}\r\n\x00\xff tail without newline")
	h := http.Header{"X-Multi": {"1", "2"}, "Content-Type": {"application/json"}, "Content-Length": {"999"},
		"Transfer-Encoding": {"chunked"}, "Host": {"old"}}
	var b bytes.Buffer
	if err := Write(&b, "PUT", "/hooks?x=1", "app:5000", h, body); err != nil {
		t.Fatal(err)
	}
	want := "PUT /hooks?x=1 HTTP/1.1\r\nHost: app:5000\r\nContent-Type: application/json\r\nX-Multi: 1\r\nX-Multi: 2\r\nContent-Length: 32\r\n\r\n"
	if !bytes.HasPrefix(b.Bytes(), []byte(want)) {
		t.Fatalf("wrote %q", b.String())
	}
	req, err := Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "PUT" || req.RequestURI != "/hooks?x=1" || !bytes.Equal(req.Body, body) ||
		req.Header.Get("Host") != "app:5000" || len(req.Header.Values("X-Multi")) != 2 || req.URL("https") != "https://app:5000/hooks?x=1" {
		t.Errorf("read back %+v", req)
	}
}
