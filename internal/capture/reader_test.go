package capture

import (
	"bytes"
	"encoding/json"
	"io"
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
