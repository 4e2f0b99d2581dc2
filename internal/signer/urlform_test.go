package signer_test

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/signer"
)

// HubSpot v3 signs the request URI with the escapes of : / ? @ ! $ ' ( ) *
// , ; decoded and every other escape kept (HubSpot's "Validate the v3
// request signature"; @hubspot/api-client's Signature.getSignature takes
// the URL so prepared). The interop tests check the same against the
// library.
func TestHubSpotV3DecodesTheListedEscapes(t *testing.T) {
	s := scheme(t, "hubspot")
	body := `[{"eventId":1}]`
	const ts = "1700000000000"
	for _, c := range []struct{ sent, signed string }{
		{"https://example.com/hubspot", "https://example.com/hubspot"},
		{"https://example.com/h?u=a%40b.com&t=x%3Ay%2Fz%3Fq", "https://example.com/h?u=a@b.com&t=x:y/z?q"},
		{"https://example.com/h?v=%21%24%27%28%29%2A%2C%3B", "https://example.com/h?v=!$'()*,;"},
		{"https://example.com/h?v=%3a%2f%2a", "https://example.com/h?v=:/*"}, // hex digits in either case
		// Not in the list: space, &, =, +, #, % itself, and UTF-8 stay encoded.
		{"https://example.com/h?q=a%20b%26c%3Dd%2Be%23f%25g%C3%A4", "https://example.com/h?q=a%20b%26c%3Dd%2Be%23f%25g%C3%A4"},
		// One pass: %253A is %25 then "3A", not a second escape.
		{"https://example.com/h?q=%253A", "https://example.com/h?q=%253A"},
		// A cut escape at the end stays as it is.
		{"https://example.com/h?q=%3", "https://example.com/h?q=%3"},
	} {
		h, _ := signed(t, s, signer.SignInput{Secrets: []string{"client-secret"}, URL: c.sent, Timestamp: moreTS, Body: strings.NewReader(body)})
		want := macB64(sha256.New, "client-secret", "POST"+c.signed+body+ts)
		if got := h.Get("X-HubSpot-Signature-v3"); got != want {
			t.Errorf("%s: signature %q, want HMAC over %q (%q)", c.sent, got, c.signed, want)
			continue
		}
		// The app may verify with the URL as the request carried it or as
		// HubSpot's docs have it decoded: both are the same signed bytes.
		for _, u := range []string{c.sent, c.signed} {
			mustValid(t, s, check{header: h, body: body, secrets: []string{"client-secret"}, url: u, now: moreTS})
		}
	}
	// Decoding stops at the listed characters: an escape outside it is part
	// of what is signed.
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"k"}, URL: "https://example.com/h?q=a%20b", Timestamp: moreTS, Body: strings.NewReader(body)})
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{"k"}, url: "https://example.com/h?q=a b", now: moreTS}, "no signature matches")
	// Square signs its notification URL exactly as configured.
	sq, u := scheme(t, "square"), "https://example.com/sq?x=%3A"
	h, _ = signed(t, sq, signer.SignInput{Secrets: []string{"k"}, URL: u, Body: strings.NewReader(body)})
	mustValid(t, sq, check{header: h, body: body, secrets: []string{"k"}, url: u})
	mustInvalid(t, sq, check{header: h, body: body, secrets: []string{"k"}, url: "https://example.com/sq?x=:"}, "no signature matches")
}
