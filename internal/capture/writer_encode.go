package capture

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendRecord appends rec as one JSON line, byte for byte what
// encoding/json's Encoder writes with SetEscapeHTML(false) (a test holds
// the two equal for every field, so a field added to Record without being
// added here fails it). It runs once per captured request, without
// reflection.
func appendRecord(b []byte, r *Record) ([]byte, error) {
	start := len(b)
	if y := r.Time.Year(); y < 0 || y > 9999 {
		return appendRecordSlow(b, r) // encoding/json's error for such a time
	}
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, int64(r.V), 10)
	b = appendKey(b, "id")
	b = appendString(b, r.ID)
	b = appendKey(b, "time")
	b = append(b, '"')
	b = r.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	b = appendKey(b, "remote_addr")
	b = appendString(b, r.RemoteAddr)
	b = appendKey(b, "method")
	b = appendString(b, r.Method)
	if r.Host != "" {
		b = appendKey(b, "host")
		b = appendString(b, r.Host)
	}
	b = appendKey(b, "path")
	b = appendString(b, r.Path)
	if r.Query != "" {
		b = appendKey(b, "query")
		b = appendString(b, r.Query)
	}
	b = appendKey(b, "headers")
	b = appendHeader(b, r.Headers)
	if len(r.HeadersBase64) > 0 {
		b = appendKey(b, "headers_base64")
		b = appendHeader(b, r.HeadersBase64)
	}
	b = appendKey(b, "body")
	b = appendString(b, r.Body)
	b = appendKey(b, "body_encoding")
	b = appendString(b, r.BodyEncoding)
	b = appendKey(b, "body_size")
	b = strconv.AppendInt(b, r.BodySize, 10)
	if r.BodyTruncated {
		b = append(b, `,"body_truncated":true`...)
	}
	for _, f := range [...]struct{ key, val string }{{"provider", r.Provider}, {"event", r.Event}, {"event_id", r.EventID}} {
		if f.val != "" {
			b = appendKey(b, f.key)
			b = appendString(b, f.val)
		}
	}
	b = appendKey(b, "verified")
	switch {
	case r.Verified == nil:
		b = append(b, "null"...)
	case *r.Verified:
		b = append(b, "true"...)
	default:
		b = append(b, "false"...)
	}
	if r.Reason != "" {
		b = appendKey(b, "reason")
		b = appendString(b, r.Reason)
	}
	b = appendKey(b, "status")
	b = strconv.AppendInt(b, int64(r.Status), 10)
	if f := r.Forward; f != nil {
		b = append(b, `,"forward":{"url":`...)
		b = appendString(b, f.URL)
		if f.Status != 0 {
			b = appendKey(b, "status")
			b = strconv.AppendInt(b, int64(f.Status), 10)
		}
		b = appendKey(b, "latency_ms")
		if math.IsNaN(f.LatencyMS) || math.IsInf(f.LatencyMS, 0) {
			return appendRecordSlow(b[:start], r) // encoding/json's error
		}
		b = appendFloat(b, f.LatencyMS)
		if f.Error != "" {
			b = appendKey(b, "error")
			b = appendString(b, f.Error)
		}
		if len(f.Headers) > 0 {
			b = appendKey(b, "headers")
			b = appendHeader(b, f.Headers)
		}
		if len(f.HeadersBase64) > 0 {
			b = appendKey(b, "headers_base64")
			b = appendHeader(b, f.HeadersBase64)
		}
		for _, s := range [...]struct{ key, val string }{{"body", f.Body}, {"body_encoding", f.BodyEncoding}} {
			if s.val != "" {
				b = appendKey(b, s.key)
				b = appendString(b, s.val)
			}
		}
		if f.BodySize != 0 {
			b = appendKey(b, "body_size")
			b = strconv.AppendInt(b, f.BodySize, 10)
		}
		if f.BodyTruncated {
			b = append(b, `,"body_truncated":true`...)
		}
		b = append(b, '}')
	}
	if r.SenderGone {
		b = append(b, `,"sender_gone":true`...)
	}
	return append(b, "}\n"...), nil
}

// appendRecordSlow is the reference: encoding/json without HTML escaping.
func appendRecordSlow(b []byte, r *Record) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(r)
	return buf.Bytes(), err
}

func appendKey(b []byte, key string) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

func appendHeader(b []byte, h http.Header) []byte {
	if h == nil {
		return append(b, "null"...)
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		vs := h[k]
		if vs == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, v := range vs {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendString(b, v)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendFloat formats like encoding/json: shortest form, exponent only for
// very small or very large values, "e-07" written "e-7".
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString quotes s as encoding/json does without HTML escaping:
// quotes, backslashes and control characters escaped, invalid UTF-8 as
// \ufffd, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
