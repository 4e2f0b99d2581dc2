package mutate

import (
	"bytes"
	"strconv"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/signer"
)

// Schemes that sign inside the body (Mailgun: "signature": {"timestamp",
// "token", "signature"}, the MAC over timestamp + token) have no signature
// header: each change is made to those body fields instead. The signature
// covers the timestamp and the token, not the body's other bytes, so
// tampered-body changes a byte of the token, the timestamp kinds write
// the body's timestamp, and a fresh signature (duplicate) is a new token.

// bodySig is the scheme's in-body signature, or nil.
func bodySig(p *catalog.Provider) *signer.BodySignature { return p.Scheme.BodySig }

// setField returns a copy of body with the value at path replaced by raw
// (JSON); false when the body has no such value.
func setField(body []byte, path string, raw []byte) ([]byte, bool) {
	start, end, ok := override.Span(body, path)
	if !ok {
		return body, false
	}
	out := make([]byte, 0, len(body)-(end-start)+len(raw))
	out = append(append(append(out, body[:start]...), raw...), body[end:]...)
	return out, true
}

// setText writes text at path as the value already there is written: a
// JSON string stays a string, a number a bare number.
func setText(body []byte, path, text string) ([]byte, bool) {
	raw, ok := override.Lookup(body, path)
	if !ok {
		return body, false
	}
	if len(raw) > 0 && raw[0] == '"' {
		return setField(body, path, strconv.AppendQuote(nil, text))
	}
	return setField(body, path, []byte(text))
}

// stamp writes the signing time t into the body's timestamp field, in the
// scheme's format, so the signature is made over it.
func stamp(p *catalog.Provider, in Input, t time.Time) Input {
	bs := bodySig(p)
	if bs == nil {
		return in
	}
	in.Body, _ = setText(in.Body, bs.Timestamp, timeText(p.Scheme.TimeFormat, t))
	return in
}

// timeText is t as a scheme writes its timestamps.
func timeText(format string, t time.Time) string {
	switch format {
	case signer.TimeUnixMS:
		return strconv.FormatInt(t.UnixMilli(), 10)
	case signer.TimeRFC3339:
		return t.UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// freshToken replaces the body's token with a new one of the same length
// (the provider makes a new token for each signature), so the request's
// signature is new while the event stays the same.
func freshToken(p *catalog.Provider, in Input) Input {
	bs := bodySig(p)
	if bs == nil {
		return in
	}
	raw, _ := override.Lookup(in.Body, bs.Token)
	old := override.Text(raw)
	tok := ids.New().Hex(max(len(old), 16))
	if tok == old { // all but impossible; a token must differ
		tok = string(nextAlnum(tok[0])) + tok[1:]
	}
	in.Body, _ = setText(in.Body, bs.Token, tok)
	return in
}

// tamperToken changes one byte of the signed token in a signed body: the
// last letter or digit of its text.
func tamperToken(bs *signer.BodySignature, body []byte) []byte {
	start, end, ok := override.Span(body, bs.Token)
	if !ok {
		return TamperByte(body)
	}
	tok := bytes.Clone(body[start:end])
	if at := lastAlnum(tok, tok[0] == '"'); at >= 0 {
		tok[at] = nextAlnum(tok[at])
	}
	out, _ := setField(body, bs.Token, tok)
	return out
}

// bodySignature is the text of the signature field of a signed body.
func bodySignature(bs *signer.BodySignature, body []byte) string {
	raw, _ := override.Lookup(body, bs.Signature)
	return override.Text(raw)
}

// withoutSignature removes the signature field from a signed body (the
// rest is kept; the body comes back compact).
func withoutSignature(bs *signer.BodySignature, body []byte) ([]byte, error) {
	return override.Apply(body, []override.Op{{Path: bs.Signature, Unset: true}})
}
