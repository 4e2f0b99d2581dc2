package capture

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// appendRecord appends rec as one JSON line, byte for byte what
// encoding/json's Encoder writes with SetEscapeHTML(false) (a test holds
// the two equal for every field, so a field added to Record without being
// added here fails it). It runs once per captured request, without
// reflection.
func appendRecord(b []byte, r *Record) ([]byte, error) {
	if y := r.Time.Year(); y < 0 || y > 9999 {
		return appendRecordSlow(b, r) // encoding/json's error for such a time
	}
	if f := r.Forward; f != nil && (math.IsNaN(f.LatencyMS) || math.IsInf(f.LatencyMS, 0)) {
		return appendRecordSlow(b, r) // encoding/json's error
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
	b = appendOptional(b, "host", r.Host)
	b = appendKey(b, "path")
	b = appendString(b, r.Path)
	b = appendOptional(b, "query", r.Query)
	b = appendKey(b, "headers")
	b = appendHeader(b, r.Headers)
	if len(r.HeadersBase64) > 0 {
		b = appendKey(b, "headers_base64")
		b = appendHeader(b, r.HeadersBase64)
	}
	b = appendKey(b, "body")
	b = r.appendBody(b)
	b = appendKey(b, "body_encoding")
	b = appendString(b, r.BodyEncoding)
	b = appendKey(b, "body_size")
	b = strconv.AppendInt(b, r.BodySize, 10)
	if r.BodyTruncated {
		b = append(b, `,"body_truncated":true`...)
	}
	b = appendOptional(b, "provider", r.Provider)
	b = appendOptional(b, "event", r.Event)
	b = appendOptional(b, "event_id", r.EventID)
	b = appendKey(b, "verified")
	switch {
	case r.Verified == nil:
		b = append(b, "null"...)
	case *r.Verified:
		b = append(b, "true"...)
	default:
		b = append(b, "false"...)
	}
	b = appendOptional(b, "reason", r.Reason)
	b = appendKey(b, "status")
	b = strconv.AppendInt(b, int64(r.Status), 10)
	if r.Forward != nil {
		b = append(b, `,"forward":`...)
		b = appendForward(b, r.Forward)
	}
	if r.SenderGone {
		b = append(b, `,"sender_gone":true`...)
	}
	return append(b, "}\n"...), nil
}

// appendBody appends the body as a JSON string: Body, or the bytes
// SetBodyBytes referred to, encoded as BodyEncoding says.
func (r *Record) appendBody(b []byte) []byte {
	if r.bodyRef == nil {
		return appendString(b, r.Body)
	}
	if r.BodyEncoding == EncodingBase64 {
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, r.bodyRef)
		return append(b, '"')
	}
	// A read-only view for the length of the call: nothing keeps it.
	return appendString(b, unsafe.String(unsafe.SliceData(r.bodyRef), len(r.bodyRef)))
}

// appendForward appends a Forward object; its latency is a finite number.
func appendForward(b []byte, f *Forward) []byte {
	b = append(b, `{"url":`...)
	b = appendString(b, f.URL)
	if f.Status != 0 {
		b = appendKey(b, "status")
		b = strconv.AppendInt(b, int64(f.Status), 10)
	}
	b = appendKey(b, "latency_ms")
	b = appendFloat(b, f.LatencyMS)
	b = appendOptional(b, "error", f.Error)
	if len(f.Headers) > 0 {
		b = appendKey(b, "headers")
		b = appendHeader(b, f.Headers)
	}
	if len(f.HeadersBase64) > 0 {
		b = appendKey(b, "headers_base64")
		b = appendHeader(b, f.HeadersBase64)
	}
	b = appendOptional(b, "body", f.Body)
	b = appendOptional(b, "body_encoding", f.BodyEncoding)
	if f.BodySize != 0 {
		b = appendKey(b, "body_size")
		b = strconv.AppendInt(b, f.BodySize, 10)
	}
	if f.BodyTruncated {
		b = append(b, `,"body_truncated":true`...)
	}
	return append(b, '}')
}

// appendRecordSlow is the reference: encoding/json without HTML escaping.
func appendRecordSlow(b []byte, r *Record) ([]byte, error) {
	if r.bodyRef != nil {
		c := *r
		c.Body, _ = encodeBody(r.bodyRef)
		c.bodyRef = nil
		r = &c
	}
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(r)
	return buf.Bytes(), err
}

// appendOptional appends a string field that is left out when empty
// (omitempty).
func appendOptional(b []byte, key, val string) []byte {
	if val == "" {
		return b
	}
	b = appendKey(b, key)
	return appendString(b, val)
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
