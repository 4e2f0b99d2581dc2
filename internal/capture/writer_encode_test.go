package capture

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fill sets every field of a struct, recursively, to a non-zero value
// derived from seed, so a field appendRecord does not write shows up.
func fill(v reflect.Value, seed string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(seed + "-\"q\"\\<&>\u2028\x01é")
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(len(seed)) + 7)
	case reflect.Float64:
		v.SetFloat(12.345)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), seed)
		v.Set(p)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		val := reflect.New(v.Type().Elem()).Elem()
		fill(val, seed)
		m.SetMapIndex(reflect.ValueOf("X-"+seed), val)
		v.Set(m)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), seed+"0")
		fill(s.Index(1), seed+"1")
		v.Set(s)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2024, 1, 2, 3, 4, 5, 600, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Field(i).CanSet() { // not bodyRef: SetBodyBytes's, tested below
				fill(v.Field(i), v.Type().Field(i).Name)
			}
		}
	default:
		panic("fill: unhandled kind " + v.Kind().String() + ": teach fill and appendRecord about it")
	}
}

func sameAsEncodingJSON(t *testing.T, rec *Record) {
	t.Helper()
	fast, err := appendRecord(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := appendRecordSlow(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fast, slow) {
		t.Errorf("appendRecord differs from encoding/json:\n fast %s\n json %s", fast, slow)
	}
}

func TestAppendRecordWritesEveryField(t *testing.T) {
	var rec Record
	fill(reflect.ValueOf(&rec).Elem(), "all")
	sameAsEncodingJSON(t, &rec)
}

func TestAppendRecordMatchesEncodingJSON(t *testing.T) {
	var every strings.Builder
	for c := range 256 {
		every.WriteByte(byte(c))
	}
	f, tr := false, true
	strs := []string{"", "plain", every.String(), "Zoë ✓ 😀", "bad\xff\xfe utf8", "\u2028\u2029", "<script>&amp;</script>", "tab\tnl\ncr\rbs\bff\f"}
	for i, s := range strs {
		rec := &Record{V: 1, ID: "cap_" + s, Time: time.Unix(1700000000, int64(i)*123456789).In(time.FixedZone("X", 3600)),
			RemoteAddr: s, Method: "POST", Host: s, Path: "/" + s, Query: s, Body: s, BodyEncoding: EncodingText, BodySize: int64(len(s)),
			Provider: s, Event: s, EventID: s, Reason: s, Status: 200 + i}
		rec.Headers = http.Header{"B-" + s: {s, ""}, "A": {s}, "Nil": nil}
		switch i % 3 {
		case 0:
			rec.Verified = &tr
		case 1:
			rec.Verified = &f
			rec.BodyTruncated = true
		}
		sameAsEncodingJSON(t, rec)
		for _, lat := range []float64{0, 0.001, 1e-7, 12.5, 123456.789, 1e21, 3e22} {
			rec.Forward = &Forward{URL: "http://app/" + s, Status: i % 2 * 502, LatencyMS: lat, Error: s}
			rec.SenderGone = i%3 == 0
			sameAsEncodingJSON(t, rec)
			rec.Forward.SetAnswer(http.Header{"X-" + s: {s}, "Empty": {}}, []byte(s), int64(len(s)*(i%2+1)))
			sameAsEncodingJSON(t, rec)
		}
	}
	sameAsEncodingJSON(t, &Record{})                       // nil headers, zero time
	sameAsEncodingJSON(t, &Record{Headers: http.Header{}}) // empty headers

	// What encoding/json refuses, appendRecord refuses too.
	for _, rec := range []*Record{{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, {Forward: &Forward{LatencyMS: math.NaN()}}} {
		if _, err := appendRecord(nil, rec); err == nil {
			t.Errorf("appendRecord accepted %+v", rec)
		}
	}
	// And the line is what the reader reads back.
	rec := &Record{V: 1, ID: "cap_x", Headers: http.Header{"X": {"y"}}}
	rec.SetBody([]byte(every.String()))
	line, _ := appendRecord(nil, rec)
	var back Record
	if err := json.Unmarshal(line, &back); err != nil {
		t.Fatal(err)
	}
	if b, _ := back.BodyBytes(); !bytes.Equal(b, []byte(every.String())) {
		t.Errorf("body did not round-trip")
	}
}

// A record whose body SetBodyBytes refers to is written exactly as one
// given the same body with SetBody, by appendRecord and by encoding/json.
func TestSetBodyBytesEncodesAsSetBody(t *testing.T) {
	bodies := [][]byte{nil, {}, []byte("plain"), []byte(`{"a":"Zoë \u2028 \"q\""}`), []byte("bad\xff\xfe utf8"),
		[]byte("\x00\x01\x02\x03 control"), []byte("\u2028\u2029"), bytes.Repeat([]byte("tab\tnl\n"), 100)}
	for _, body := range bodies {
		want := &Record{V: 1, ID: "cap_x", Headers: http.Header{"X": {"y"}}}
		got := *want
		want.SetBody(body)
		got.SetBodyBytes(body)
		if got.BodyEncoding != want.BodyEncoding || got.BodySize != want.BodySize {
			t.Errorf("SetBodyBytes(%q): encoding %s size %d, SetBody: %s %d", body, got.BodyEncoding, got.BodySize, want.BodyEncoding, want.BodySize)
		}
		for _, enc := range []func([]byte, *Record) ([]byte, error){appendRecord, appendRecordSlow} {
			g, err1 := enc(nil, &got)
			w, err2 := enc(nil, want)
			if err1 != nil || err2 != nil || !bytes.Equal(g, w) {
				t.Errorf("SetBodyBytes(%q) writes\n %s\nSetBody writes\n %s", body, g, w)
			}
		}
	}
}

func BenchmarkAppendRecord(b *testing.B) {
	rec := record("cap_01k843k573tm2o7teriu", `{"event_id":"evt_ck7qhp33c68tov35spng","event":"connection.updated","data":{"name":"Zoë"}}`)
	rec.Headers = http.Header{"Content-Type": {"application/json"}, "X-Notify-Signature": {"9e4618c899541b266ae77e2c9b1e3a8b74f9411e9c7c0122d6aa0e2dcbd1f2a8"}, "User-Agent": {"wrk"}}
	b.Run("fast", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = appendRecord(buf[:0], rec)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = appendRecordSlow(buf[:0], rec)
		}
	})
}
