package capture

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReaderSkipsTornLastLine(t *testing.T) {
	var buf bytes.Buffer
	for _, id := range []string{"cap_1", "cap_2"} {
		rec := Record{V: Version, ID: id, Method: "POST", Path: "/"}
		rec.SetBody([]byte("{\"a\":1}\n"))
		b, _ := json.Marshal(rec)
		buf.Write(append(b, '\n'))
	}
	buf.WriteString(`{"v":1,"id":"cap_3","meth`)
	var warnings []string
	r := NewReader(&buf, "captures.jsonl")
	r.Warn = func(m string) { warnings = append(warnings, m) }
	var got []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec.ID)
		if b, _ := rec.BodyBytes(); string(b) != "{\"a\":1}\n" {
			t.Errorf("body %q", b)
		}
	}
	if strings.Join(got, ",") != "cap_1,cap_2" {
		t.Errorf("records %v", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "torn last line") {
		t.Errorf("warnings %v", warnings)
	}
}

func TestBinaryBodyRoundTrip(t *testing.T) {
	var rec Record
	in := []byte{0xff, 0x00, 'a', 0xfe}
	rec.SetBody(in)
	if rec.BodyEncoding != EncodingBase64 {
		t.Fatalf("encoding %s", rec.BodyEncoding)
	}
	out, err := rec.BodyBytes()
	if err != nil || !bytes.Equal(in, out) {
		t.Fatalf("round trip %v %v", out, err)
	}
}

// Header values that are not UTF-8 come back byte for byte; the lossy
// "headers" entry stays for readers that predate headers_base64.
func TestHeadersThatAreNotUTF8RoundTrip(t *testing.T) {
	in := http.Header{"X-Latin1": {"caf\xe9", "ok"}, "X-Plain": {"plain"}}
	rec := Record{V: Version, ID: "cap_1", Method: "POST", Path: "/"}
	rec.SetHeaders(in)
	rec.SetBody([]byte("x"))
	line, err := appendRecord(nil, &rec)
	if err != nil {
		t.Fatal(err)
	}
	if in.Get("X-Latin1") != "caf\xe9" {
		t.Fatal("SetHeaders changed the request's headers")
	}
	var old struct{ Headers http.Header }
	if err := json.Unmarshal(line, &old); err != nil || old.Headers.Get("X-Latin1") != "caf\ufffd" {
		t.Errorf("headers for old readers: %v %v", old.Headers, err)
	}
	if !bytes.Contains(line, []byte(`"headers_base64":{"X-Latin1":["Y2Fm6Q==","b2s="]}`)) {
		t.Errorf("line %s", line)
	}
	back, err := NewReader(bytes.NewReader(line), "c.jsonl").Next()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Headers, in) {
		t.Errorf("headers read back %q, want %q", back.Headers, in)
	}
	// Plain headers add nothing to the record.
	rec.SetHeaders(http.Header{"X-Plain": {"plain"}})
	if line, _ := appendRecord(nil, &rec); bytes.Contains(line, []byte("headers_base64")) {
		t.Errorf("line %s", line)
	}
}

// A body of control characters is stored in base64 (4/3 of its size), not
// as \u00XX escapes (six times); text with a few of them stays text.
func TestControlCharacterBodiesAreCompact(t *testing.T) {
	ctl := bytes.Repeat([]byte{0x01, 0x02, 0x1b, 0x00}, 1024)
	for _, c := range []struct {
		body []byte
		enc  string
	}{
		{ctl, EncodingBase64},
		{[]byte("a log line in \x1b[31mred\x1b[0m, then the rest of the line in plain text\n"), EncodingText},
		{[]byte(`{"a":"b","c":"d\n"}`), EncodingText},
		{[]byte("\u2028\u2028\u2028"), EncodingBase64},
		{[]byte{}, EncodingText},
	} {
		var rec Record
		rec.ID = "cap_1"
		rec.SetBody(c.body)
		if rec.BodyEncoding != c.enc {
			t.Errorf("%q stored as %s, want %s", c.body, rec.BodyEncoding, c.enc)
		}
		line, err := appendRecord(nil, &rec)
		if err != nil {
			t.Fatal(err)
		}
		if limit := 200 + len(c.body)*4/3*2; len(line) > limit {
			t.Errorf("%d-byte body takes a %d-byte line", len(c.body), len(line))
		}
		back, err := NewReader(bytes.NewReader(line), "c.jsonl").Next()
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := back.BodyBytes(); !bytes.Equal(b, c.body) {
			t.Errorf("%q read back as %q", c.body, b)
		}
	}
}

// Capture files written before headers_base64 and the compact bodies still
// read: the replay fixture, record for record.
func TestOldCaptureFileReads(t *testing.T) {
	recs, warnings := readAll(t, filepath.Join("..", "..", "testdata", "captures", "mixed.jsonl"))
	if len(recs) != 7 || len(warnings) != 0 {
		t.Fatalf("%d records, warnings %v", len(recs), warnings)
	}
	for _, r := range recs {
		if _, err := r.BodyBytes(); err != nil {
			t.Error(err)
		}
	}
	if b, _ := recs[2].BodyBytes(); !bytes.Equal(b, []byte("\x00\xff\xfehi\n\x80\x00")) {
		t.Errorf("binary body %q", b)
	}
}

// Only a body that was over --max-body is said to be.
func TestNotStoredWhy(t *testing.T) {
	for status, want := range map[int]string{413: "over listen's --max-body", 503: "memory for bodies was full", 400: "did not arrive whole"} {
		r := Record{Status: status, BodyTruncated: true}
		if got := r.NotStoredWhy(); !strings.Contains(got, want) {
			t.Errorf("status %d: %q", status, got)
		}
	}
}

// The app's answer comes back exactly: headers that are not UTF-8, a
// binary body, and a big body cut at MaxForwardBody with its whole size.
func TestForwardAnswerRoundTrip(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), MaxForwardBody/16+10)
	for _, c := range []struct {
		name      string
		h         http.Header
		body      []byte
		size      int64
		encoding  string
		truncated bool
	}{
		{"text", http.Header{"Content-Type": {"application/json"}}, []byte(`{"ok":true}`), 11, EncodingText, false},
		{"binary", http.Header{"X-Latin1": {"caf\xe9"}}, []byte{0xff, 0x00, 'a'}, 3, EncodingBase64, false},
		{"big", http.Header{"X-Big": {"1"}}, big, int64(len(big)), EncodingText, true},
		{"over the limit read", http.Header{}, big[:100], 1 << 30, EncodingText, true},
	} {
		rec := Record{V: Version, ID: "cap_1", Method: "POST", Path: "/", Forward: &Forward{URL: "http://app/", Status: 200, LatencyMS: 1}}
		rec.Forward.SetAnswer(c.h, c.body, c.size)
		line, err := appendRecord(nil, &rec)
		if err != nil {
			t.Fatal(err)
		}
		back, err := NewReader(bytes.NewReader(line), "c.jsonl").Next()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		f := back.Forward
		want := c.body[:min(len(c.body), MaxForwardBody)]
		got, err := f.BodyBytes()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: body %d bytes %v, want %d bytes", c.name, len(got), err, len(want))
		}
		if f.BodyEncoding != c.encoding || f.BodySize != c.size || f.BodyTruncated != c.truncated {
			t.Errorf("%s: encoding %s size %d truncated %v", c.name, f.BodyEncoding, f.BodySize, f.BodyTruncated)
		}
		if len(c.h) > 0 && !reflect.DeepEqual(f.Headers, c.h) {
			t.Errorf("%s: headers %q, want %q", c.name, f.Headers, c.h)
		}
	}
	// A forward written before the answer was kept reads with none.
	old := `{"v":1,"id":"cap_1","method":"POST","path":"/","headers":{},"body":"","body_encoding":"text","body_size":0,"verified":null,"status":200,"forward":{"url":"http://app/","status":200,"latency_ms":1.5}}` + "\n"
	back, err := NewReader(strings.NewReader(old), "c.jsonl").Next()
	if err != nil || back.Forward == nil || back.Forward.Headers != nil || back.Forward.BodySize != 0 {
		t.Fatalf("old forward %+v %v", back, err)
	}
	if b, err := back.Forward.BodyBytes(); err != nil || len(b) != 0 {
		t.Errorf("old forward body %q %v", b, err)
	}
}
