// Package signer computes and checks webhook signatures. Every provider,
// built-in or user-defined, is described by one Scheme; there is one signer.
//
// The signer works on the exact bytes it is given and streams them: no
// trimming, no re-encoding, no JSON re-serialization, constant memory.
package signer

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/ids"
)

// Signed names the bytes a scheme feeds to the MAC.
type Signed string

const (
	SignedBody            Signed = "body"              // the raw body
	SignedTimestampBody   Signed = "timestamp.body"    // ts + "." + body (Stripe)
	SignedIDTimestampBody Signed = "id.timestamp.body" // id + "." + ts + "." + body (Standard Webhooks)
	SignedSlack           Signed = "v0:timestamp:body" // "v0:" + ts + ":" + body (Slack)
	SignedTwilio          Signed = "twilio"            // URL + sorted POST params, or URL with bodySHA256
)

// Format is how MACs are written into the signature header.
type Format string

const (
	FormatPlain  Format = "plain"  // Prefix + mac; one signature
	FormatList   Format = "list"   // "v1,<mac> v1,<mac>": space-separated, Prefix on each (Standard Webhooks)
	FormatStripe Format = "stripe" // "t=<ts>,v1=<mac>,v1=<mac>" (Stripe)
)

// Secret forms.
const (
	SecretText  = "text"  // the secret's bytes are the key
	SecretWhsec = "whsec" // "whsec_" + base64: the decoded bytes are the key
)

// Hash and encoding names.
const (
	HashSHA256 = "sha256"
	HashSHA1   = "sha1"
	HashSHA512 = "sha512"
	EncHex     = "hex"
	EncBase64  = "base64"
)

// HeaderSet names the headers of one signature: the signature itself and,
// where the scheme uses them, the timestamp and id headers.
type HeaderSet struct {
	Signature string
	Timestamp string
	ID        string
}

// Extra is an additional signature header carrying the same payload under
// another hash (GitHub's legacy X-Hub-Signature with sha1). Sign writes it;
// Verify falls back to it only when the main header is absent.
type Extra struct {
	Header string
	Hash   string
	Prefix string
}

// Scheme describes how one provider signs.
type Scheme struct {
	Headers HeaderSet   // the names Sign writes
	Accept  []HeaderSet // other names Verify also reads; the first one present wins over Headers
	Signed  Signed
	Hash    string
	Enc     string
	Prefix  string // before each MAC: "sha256=", "v0=", "v1," (list), "v1=" (stripe)
	Format  Format
	Secret  string // SecretText or SecretWhsec
	IDKind  ids.Kind

	// Tolerance is the time window for schemes that sign a timestamp; 0 means
	// none. RejectFuture also rejects timestamps further ahead than it.
	Tolerance    time.Duration
	RejectFuture bool

	Extra []Extra

	// TimeFormat is how the timestamp is written: TimeUnix (""), TimeUnixMS
	// or TimeRFC3339.
	TimeFormat string
	// TimestampField is a dotted path of the JSON body holding the time
	// checked against Tolerance, for schemes that send it there rather
	// than in a header (Linear's webhookTimestamp); it is not signed apart
	// from the body.
	TimestampField string
	// BodySig places the signature in the body (Mailgun).
	BodySig *BodySignature
	// AsymPrefix is the version prefix of Ed25519 entries in a list
	// ("v1a," in Standard Webhooks), signed with whsk_ keys and verified
	// with whpk_ ones.
	AsymPrefix string
	// URLForm is how a scheme that signs the URL writes it: URLAsSent
	// ("") or URLHubSpot (urlform.go).
	URLForm string
}

// Validate reports a scheme that cannot sign, naming the field.
func (s *Scheme) Validate() error {
	if s.Headers.Signature == "" && s.BodySig == nil {
		return fmt.Errorf("signature header is empty")
	}
	if s.Signed == SignedToken {
		return nil // the header is the secret: no hash, encoding or format
	}
	if s.Hash != HashEd25519 {
		if _, err := newHash(s.Hash); err != nil {
			return err
		}
	}
	if s.Enc != EncHex && s.Enc != EncBase64 {
		return fmt.Errorf("encoding %q is not hex or base64", s.Enc)
	}
	switch s.Secret {
	case SecretText, SecretWhsec:
		if s.Hash == HashEd25519 {
			return fmt.Errorf("hash ed25519 needs the secret form %s (hex keys)", SecretEd25519Hex)
		}
	case SecretEd25519Hex:
		if s.Hash != HashEd25519 {
			return fmt.Errorf("secret form %s is for hash ed25519", SecretEd25519Hex)
		}
	default:
		return fmt.Errorf("secret form %q is not text, whsec or %s", s.Secret, SecretEd25519Hex)
	}
	if !validTimeFormat(s.TimeFormat) {
		return fmt.Errorf("timestamp format %q is not unix, unix-ms or rfc3339", s.TimeFormat)
	}
	switch s.Format {
	case FormatPlain, FormatList, FormatStripe, FormatPaddle:
	default:
		return fmt.Errorf("format %q is not plain, list, stripe or paddle", s.Format)
	}
	if s.BodySig != nil && (s.BodySig.Signature == "" || s.BodySig.Timestamp == "" || s.BodySig.Token == "") {
		return fmt.Errorf("a signature in the body needs the paths of its signature, timestamp and token")
	}
	if s.Signed == SignedTwilio {
		return nil
	}
	return s.validateSigned()
}

// UsesTimestamp reports whether the scheme signs a timestamp.
func (s *Scheme) UsesTimestamp() bool {
	if s.Signed == SignedTwilio || s.Signed == SignedToken || s.BodySig != nil {
		return false
	}
	return s.has(pTS)
}

// UsesID reports whether requests carry an id header the scheme fills.
func (s *Scheme) UsesID() bool { return s.Headers.ID != "" }

// MultiSignature reports whether one request can carry several signatures
// (key rotation).
func (s *Scheme) MultiSignature() bool {
	return s.Format == FormatList || s.Format == FormatStripe || s.Format == FormatPaddle
}

func newHash(name string) (func() hash.Hash, error) {
	switch strings.ToLower(name) {
	case HashSHA256:
		return sha256.New, nil
	case HashSHA1:
		return sha1.New, nil
	case HashSHA512:
		return sha512.New, nil
	}
	return nil, fmt.Errorf("hash %q is not sha256, sha1 or sha512", name)
}

// Key turns a secret as the user writes it into MAC key bytes.
func (s *Scheme) Key(secret string) ([]byte, error) {
	if secret == "" {
		return nil, fmt.Errorf("the secret is empty")
	}
	if k, ok, err := s.edKey(secret, false); ok || err != nil {
		return k.pub, err
	}
	if s.Secret != SecretWhsec {
		return []byte(secret), nil
	}
	raw := strings.TrimPrefix(secret, "whsec_")
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(raw)
	}
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("the secret must be whsec_ followed by base64 (as the provider's dashboard shows it)")
	}
	return key, nil
}

func encode(enc string, mac []byte) string {
	if enc == EncBase64 {
		return base64.StdEncoding.EncodeToString(mac)
	}
	return hex.EncodeToString(mac)
}
