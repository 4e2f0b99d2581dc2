package signer

import "strings"

// URL forms: how a scheme that signs the request URL writes it into the
// signed bytes (Scheme.URLForm).
const (
	// URLAsSent signs the URL exactly as given (Twilio, Square): the
	// default.
	URLAsSent = ""
	// URLHubSpot is HubSpot's v3 rule: before signing, the request URI has
	// the percent-escapes of : / ? @ ! $ ' ( ) * , ; decoded, and no
	// others (developers.hubspot.com, "Validate the v3 request signature").
	// A verifier given the URL as the request carried it decodes it the
	// same way, so both forms verify.
	URLHubSpot = "hubspot"
)

// hubspotDecoded reports the character an escape's two hex digits stand
// for, when it is one HubSpot decodes.
func hubspotDecoded(hi, lo byte) (byte, bool) {
	if hi >= 'a' && hi <= 'f' {
		hi -= 'a' - 'A'
	}
	if lo >= 'a' && lo <= 'f' {
		lo -= 'a' - 'A'
	}
	switch string([]byte{hi, lo}) {
	case "3A":
		return ':', true
	case "2F":
		return '/', true
	case "3F":
		return '?', true
	case "40":
		return '@', true
	case "21":
		return '!', true
	case "24":
		return '$', true
	case "27":
		return '\'', true
	case "28":
		return '(', true
	case "29":
		return ')', true
	case "2A":
		return '*', true
	case "2C":
		return ',', true
	case "3B":
		return ';', true
	}
	return 0, false
}

// signedURL is the URL as the scheme signs it. One pass, left to right:
// a decoded character never starts a new escape, so "%253A" stays as it
// is (%25 is not decoded) and decoding twice changes nothing more.
func (s *Scheme) signedURL(u string) string {
	if s.URLForm != URLHubSpot || !strings.Contains(u, "%") {
		return u
	}
	var b strings.Builder
	b.Grow(len(u))
	for i := 0; i < len(u); i++ {
		if u[i] == '%' && i+2 < len(u) {
			if c, ok := hubspotDecoded(u[i+1], u[i+2]); ok {
				b.WriteByte(c)
				i += 2
				continue
			}
		}
		b.WriteByte(u[i])
	}
	return b.String()
}
