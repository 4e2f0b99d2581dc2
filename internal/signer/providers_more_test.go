package signer_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/signer"
)

// The providers of issue 14, each signed as its documentation says and
// checked with crypto/hmac or crypto/ed25519 directly.

const moreTS = int64(1700000000)

func TestPaddle(t *testing.T) {
	s := scheme(t, "paddle")
	body := `{"event_id":"evt_01","event_type":"transaction.completed"}`
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"pdl_ntfset_01_secret"}, Timestamp: moreTS, Body: strings.NewReader(body)})
	want := "ts=1700000000;h1=" + macHex(sha256.New, "pdl_ntfset_01_secret", "1700000000:"+body)
	if got := h.Get("Paddle-Signature"); got != want {
		t.Fatalf("Paddle-Signature %q, want %q", got, want)
	}
	ok := check{header: h, body: body, secrets: []string{"pdl_ntfset_01_secret"}, now: moreTS + 5}
	mustValid(t, s, ok)
	// The SDKs' 5-second window.
	late := ok
	late.now = moreTS + 6
	mustInvalid(t, s, late, "timestamp too old")
	// Rotation: one h1 per secret; either verifies.
	h2, _ := signed(t, s, signer.SignInput{Secrets: []string{"old", "new"}, Timestamp: moreTS, Body: strings.NewReader(body)})
	if n := strings.Count(h2.Get("Paddle-Signature"), ";h1="); n != 2 {
		t.Errorf("two secrets give %d h1 entries: %s", n, h2.Get("Paddle-Signature"))
	}
	mustValid(t, s, check{header: h2, body: body, secrets: []string{"new"}, now: moreTS})
	mustInvalid(t, s, check{header: hdr("Paddle-Signature", "h1=ab"), body: body, secrets: []string{"k"}, now: moreTS}, "no ts= timestamp")
	mustInvalid(t, s, check{header: hdr("Paddle-Signature", "ts=1700000000"), body: body, secrets: []string{"k"}, now: moreTS}, "no h1= signature")
}

func TestZoom(t *testing.T) {
	s := scheme(t, "zoom")
	body := `{"event":"meeting.started","payload":{"account_id":"x"},"event_ts":1700000000000}`
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"zoomsecret"}, Timestamp: moreTS, Body: strings.NewReader(body)})
	if got, want := h.Get("x-zm-signature"), "v0="+macHex(sha256.New, "zoomsecret", "v0:1700000000:"+body); got != want {
		t.Fatalf("x-zm-signature %q, want %q", got, want)
	}
	if h.Get("x-zm-request-timestamp") != "1700000000" {
		t.Errorf("timestamp header %q", h.Get("x-zm-request-timestamp"))
	}
	mustValid(t, s, check{header: h, body: body, secrets: []string{"zoomsecret"}, now: moreTS})
	mustInvalid(t, s, check{header: h, body: body + " ", secrets: []string{"zoomsecret"}, now: moreTS}, "no signature matches")
}

func TestMeta(t *testing.T) {
	s := scheme(t, "meta")
	body := `{"object":"page","entry":[]}`
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"appsecret"}, Body: strings.NewReader(body)})
	if got, want := h.Get("X-Hub-Signature-256"), "sha256="+macHex(sha256.New, "appsecret", body); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	mustValid(t, s, check{header: h, body: body, secrets: []string{"appsecret"}})
}

func TestTwitch(t *testing.T) {
	s := scheme(t, "twitch")
	body := `{"subscription":{"type":"channel.follow"}}`
	at := time.Date(2026, 12, 1, 22, 0, 0, 123456789, time.UTC)
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"s3cre77890ab"}, ID: "e76c6bd4-55c9-4987-8304-da1588d8988b", Time: at, Timestamp: at.Unix(), Body: strings.NewReader(body)})
	ts := h.Get("Twitch-Eventsub-Message-Timestamp")
	if ts != "2026-12-01T22:00:00.123456789Z" {
		t.Errorf("timestamp %q, want RFC 3339 with nanoseconds", ts)
	}
	want := "sha256=" + macHex(sha256.New, "s3cre77890ab", "e76c6bd4-55c9-4987-8304-da1588d8988b"+ts+body)
	if got := h.Get("Twitch-Eventsub-Message-Signature"); got != want {
		t.Fatalf("signature %q, want %q", got, want)
	}
	ok := check{header: h, body: body, secrets: []string{"s3cre77890ab"}, now: at.Unix() + 600}
	mustValid(t, s, ok)
	late := ok
	late.now = at.Unix() + 601
	mustInvalid(t, s, late, "timestamp too old")
	bad := hdr("Twitch-Eventsub-Message-Id", "x", "Twitch-Eventsub-Message-Timestamp", "1700000000", "Twitch-Eventsub-Message-Signature", want)
	mustInvalid(t, s, check{header: bad, body: body, secrets: []string{"s3cre77890ab"}, now: at.Unix()}, "want RFC 3339")
}

func TestDiscord(t *testing.T) {
	s := scheme(t, "discord")
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pubHex := hex.EncodeToString(priv.Public().(ed25519.PublicKey))
	secret, err := s.NewEd25519Secret(seed)
	if err != nil {
		t.Fatal(err)
	}
	if pk, err := s.PublicKey(secret); err != nil || pk != pubHex {
		t.Fatalf("PublicKey = %q, %v; want %s", pk, err, pubHex)
	}
	body := `{"type":1}`
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{secret}, Timestamp: moreTS, Body: strings.NewReader(body)})
	sig, _ := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if !ed25519.Verify(priv.Public().(ed25519.PublicKey), []byte("1700000000"+body), sig) {
		t.Fatalf("crypto/ed25519 rejects the signature %s", h.Get("X-Signature-Ed25519"))
	}
	// Apps verify with the public key, as the developer portal shows it;
	// the private key verifies too (hookctl's own development pair).
	mustValid(t, s, check{header: h, body: body, secrets: []string{pubHex}})
	mustValid(t, s, check{header: h, body: body, secrets: []string{secret}})
	mustInvalid(t, s, check{header: h, body: `{"type":2}`, secrets: []string{pubHex}}, "no signature verifies with this public key")
	other := hex.EncodeToString(ed25519.NewKeyFromSeed(make([]byte, 32)).Public().(ed25519.PublicKey))
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{other}}, "no signature verifies")
	h.Set("X-Signature-Ed25519", "zz")
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{pubHex}}, "not hex")
	if _, err := s.Verify(signer.VerifyInput{Header: h, Body: strings.NewReader(body), Secrets: []string{"abc"}}); err == nil {
		t.Error("a key that is not hex was accepted")
	}
}

func TestLinear(t *testing.T) {
	s := scheme(t, "linear")
	body := `{"action":"create","type":"Issue","webhookTimestamp":1700000000000}`
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"lin_wh_x"}, ID: "d1", Body: strings.NewReader(body)})
	if got, want := h.Get("Linear-Signature"), macHex(sha256.New, "lin_wh_x", body); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	mustValid(t, s, check{header: h, body: body, secrets: []string{"lin_wh_x"}, now: moreTS + 60})
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{"lin_wh_x"}, now: moreTS + 61}, "timestamp too old")
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{"lin_wh_x"}, now: moreTS - 61}, "in the future")
	noTS := `{"action":"create"}`
	h2, _ := signed(t, s, signer.SignInput{Secrets: []string{"lin_wh_x"}, Body: strings.NewReader(noTS)})
	mustInvalid(t, s, check{header: h2, body: noTS, secrets: []string{"lin_wh_x"}, now: moreTS}, "missing webhookTimestamp in the body")
}

func TestGitLabToken(t *testing.T) {
	s := scheme(t, "gitlab")
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"glpat-token"}, Body: strings.NewReader("{}")})
	if h.Get("X-Gitlab-Token") != "glpat-token" {
		t.Fatalf("X-Gitlab-Token %q", h.Get("X-Gitlab-Token"))
	}
	mustValid(t, s, check{header: h, body: "anything", secrets: []string{"glpat-token"}})
	mustValid(t, s, check{header: h, body: "", secrets: []string{"old", "glpat-token"}})
	mustInvalid(t, s, check{header: hdr("X-Gitlab-Token", "wrong"), secrets: []string{"glpat-token"}}, "is not the secret token")
	mustInvalid(t, s, check{header: hdr(), secrets: []string{"glpat-token"}}, "missing header X-Gitlab-Token")
}

func TestSquare(t *testing.T) {
	s := scheme(t, "square")
	body := `{"type":"payment.created"}`
	u := "https://example.com/webhooks/square"
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"sigkey"}, URL: u, Body: strings.NewReader(body)})
	if got, want := h.Get("x-square-hmacsha256-signature"), macB64(sha256.New, "sigkey", u+body); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	mustValid(t, s, check{header: h, body: body, secrets: []string{"sigkey"}, url: u})
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{"sigkey"}, url: u + "/"}, "no signature matches")
}

func TestHubSpotV3(t *testing.T) {
	s := scheme(t, "hubspot")
	body := `[{"eventId":1}]`
	u := "https://example.com/hubspot?x=1"
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"client-secret"}, URL: u, Timestamp: moreTS, Body: strings.NewReader(body)})
	if h.Get("X-HubSpot-Request-Timestamp") != "1700000000000" {
		t.Errorf("timestamp %q, want milliseconds", h.Get("X-HubSpot-Request-Timestamp"))
	}
	want := macB64(sha256.New, "client-secret", "POST"+u+body+"1700000000000")
	if got := h.Get("X-HubSpot-Signature-v3"); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	mustValid(t, s, check{header: h, body: body, secrets: []string{"client-secret"}, url: u, now: moreTS + 300})
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{"client-secret"}, url: u, now: moreTS + 301}, "timestamp too old")
}

func TestMailgun(t *testing.T) {
	s := scheme(t, "mailgun")
	body := `{"signature":{"token":"abc123","timestamp":"1700000000","signature":""},"event-data":{"event":"delivered"}}`
	out, err := s.Sign(signer.SignInput{Secrets: []string{"key-x"}, Body: strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	want := macHex(sha256.New, "key-x", "1700000000abc123")
	if wantBody := strings.Replace(body, `"signature":""`, `"signature":"`+want+`"`, 1); string(out.Body) != wantBody {
		t.Fatalf("signed body\n%s\nwant\n%s", out.Body, wantBody)
	}
	if len(out.Headers) != 0 {
		t.Errorf("headers %v, want none: the signature is in the body", out.Headers)
	}
	mustValid(t, s, check{header: hdr(), body: string(out.Body), secrets: []string{"key-x"}})
	mustInvalid(t, s, check{header: hdr(), body: strings.Replace(string(out.Body), "abc123", "abc124", 1), secrets: []string{"key-x"}}, "no signature matches")
	mustInvalid(t, s, check{header: hdr(), body: body, secrets: []string{"key-x"}}, "missing signature.signature")
	if _, err := s.Sign(signer.SignInput{Secrets: []string{"k"}, Body: strings.NewReader(`{"event-data":{}}`)}); err == nil {
		t.Error("signing a body without the signature object succeeded")
	}
}

// Standard Webhooks' v1a: Ed25519 with whsk_ (seed) to sign and whpk_ to
// verify; v1 and v1a side by side.
func TestStandardV1a(t *testing.T) {
	s := scheme(t, "standard")
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(200 - i)
	}
	whsk, err := s.NewEd25519Secret(seed)
	if err != nil || !strings.HasPrefix(whsk, "whsk_") {
		t.Fatalf("%q %v", whsk, err)
	}
	whpk, err := s.PublicKey(whsk)
	if err != nil || !strings.HasPrefix(whpk, "whpk_") {
		t.Fatalf("%q %v", whpk, err)
	}
	pub, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(whpk, "whpk_"))
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{stdSecret, whsk}, ID: stdID, Timestamp: stdTS, Body: strings.NewReader(stdBody)})
	entries := strings.Fields(h.Get("webhook-signature"))
	if len(entries) != 2 || entries[0] != stdSig || !strings.HasPrefix(entries[1], "v1a,") {
		t.Fatalf("entries %v, want the v1 vector then a v1a", entries)
	}
	sig, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(entries[1], "v1a,"))
	if !ed25519.Verify(pub, []byte(stdID+"."+formatInt(stdTS)+"."+stdBody), sig) {
		t.Fatal("crypto/ed25519 rejects the v1a signature")
	}
	for _, keys := range [][]string{{whpk}, {whsk}, {stdSecret}, {"whpk_" + base64.StdEncoding.EncodeToString(make([]byte, 32)), stdSecret}} {
		mustValid(t, s, check{header: h, body: stdBody, secrets: keys, now: stdTS})
	}
	mustInvalid(t, s, check{header: h, body: stdBody + "x", secrets: []string{whpk}, now: stdTS}, "no signature verifies")
	v1only := hdr(stdHeaders("webhook", stdID, stdTS, stdSig)...)
	mustInvalid(t, s, check{header: v1only, body: stdBody, secrets: []string{whpk}, now: stdTS}, "no v1a signature")
	if _, err := s.Sign(signer.SignInput{Secrets: []string{whpk}, ID: stdID, Timestamp: stdTS, Body: strings.NewReader(stdBody)}); err == nil {
		t.Error("signing with a whpk_ public key succeeded")
	}
}

// The v1a vector of the standard-webhooks Go library's own tests
// (webhook_asymmetric_test.go): Ed25519 is deterministic, so the same seed
// gives the same signature.
func TestStandardV1aPublishedVector(t *testing.T) {
	s := scheme(t, "standard")
	key := "whsk_VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk="
	want := "v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag=="
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{key}, ID: stdID, Timestamp: stdTS, Body: strings.NewReader(stdBody)})
	if got := h.Get("webhook-signature"); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	pub, err := s.PublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	mustValid(t, s, check{header: h, body: stdBody, secrets: []string{pub}, now: stdTS})
}

// The vocabulary is open to user-defined schemes: a payload spelled with
// the words, validated, signed and verified.
func TestUserDefinedVocabulary(t *testing.T) {
	s := signer.Scheme{
		Headers: signer.HeaderSet{Signature: "X-Sig", Timestamp: "X-Ts", ID: "X-Id"},
		Signed:  "v2|id|timestamp|method|url|body", Hash: signer.HashSHA256, Enc: signer.EncHex, Format: signer.FormatPlain, Secret: signer.SecretText,
		TimeFormat: signer.TimeUnixMS,
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	h, _ := signed(t, &s, signer.SignInput{Secrets: []string{"k"}, ID: "i1", Timestamp: moreTS, URL: "https://x/y", Method: "PUT", Body: strings.NewReader("b")})
	if got, want := h.Get("X-Sig"), macHex(sha256.New, "k", "v2|i1|1700000000000|PUT|https://x/y|b"); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	for _, bad := range []signer.Signed{"timestamp", "body+body", "stamp.body", "id.body"} {
		b := signer.Scheme{Headers: signer.HeaderSet{Signature: "X", Timestamp: "T"}, Signed: bad, Hash: "sha256", Enc: "hex", Format: "plain", Secret: "text"}
		if err := b.Validate(); err == nil {
			t.Errorf("Validate accepted signed payload %q", bad)
		}
	}
}
