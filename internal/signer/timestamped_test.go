package signer_test

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/signer"
)

func TestStripe(t *testing.T) {
	const secret = "whsec_test_5ecr3t"
	const body = `{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}`
	const ts = int64(1700000000)
	s := scheme(t, "stripe")
	// The key is the whole whsec_ string as text: Stripe does not decode it.
	v1 := macHex(sha256.New, secret, "1700000000."+body)
	h, out := signed(t, s, signer.SignInput{Secrets: []string{secret}, Timestamp: ts, Body: strings.NewReader(body)})
	if len(out.Headers) != 1 || h.Get("Stripe-Signature") != "t=1700000000,v1="+v1 {
		t.Fatalf("headers %v, want Stripe-Signature: t=1700000000,v1=%s", out.Headers, v1)
	}
	ok := check{header: h, body: body, secrets: []string{secret}, now: ts}
	mustValid(t, s, ok)
	mustValid(t, s, check{header: hdr("stripe-signature", "t=1700000000,v1="+v1), body: body, secrets: []string{secret}, now: ts})

	// Only the past is limited.
	checkWindow(t, s, ok, false)

	bad := ok
	bad.body = body + "\n"
	mustInvalid(t, s, bad, "no signature matches this secret")
	bad.body = "{\n  \"id\": \"evt_1\",\n  \"object\": \"event\",\n  \"type\": \"payment_intent.succeeded\"\n}"
	mustInvalid(t, s, bad, "no signature matches this secret")
	bad.body, bad.secrets = body, []string{"whsec_other"}
	mustInvalid(t, s, bad, "no signature matches this secret")

	// Decoding whsec_ (as Standard Webhooks does) gives another key.
	if key, err := base64.StdEncoding.DecodeString("test_5ecr3t"); err == nil {
		decoded := macHex(sha256.New, string(key), "1700000000."+body)
		mustInvalid(t, s, check{header: hdr("Stripe-Signature", "t=1700000000,v1="+decoded), body: body, secrets: []string{secret}, now: ts}, "no signature matches")
	}

	for _, c := range []struct{ value, want string }{
		{"t=1700000000,v1=" + strings.ToUpper(v1), "uppercase hex"},
		{"t=1700000000, v1=" + v1, "no v1= signature (a space after a comma hides the pair"},
		{"t=1700000000,v0=" + v1, "no v1= signature"},
		{"v1=" + v1, "no t= timestamp"},
		{"1700000000," + v1, "no t= timestamp"},
		{"t=1700000001,v1=" + v1, "no signature matches"},
		{"t=17e8,v1=" + v1, "malformed timestamp"},
		{"t=1700000000,v1=" + v1[:60], "wrong length"},
		{"", "no t= timestamp"},
	} {
		mustInvalid(t, s, check{header: hdr("Stripe-Signature", c.value), body: body, secrets: []string{secret}, now: ts}, c.want)
	}
	// Extra pairs Stripe ignores, and a v0 next to the v1.
	mustValid(t, s, check{header: hdr("Stripe-Signature", "t=1700000000,v1="+v1+",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39,x=y"), body: body, secrets: []string{secret}, now: ts})
	mustInvalid(t, s, check{header: hdr("X-Other", "1"), body: body, secrets: []string{secret}, now: ts}, "missing header Stripe-Signature")
}

func TestStripeRotation(t *testing.T) {
	s := scheme(t, "stripe")
	const body, ts = `{"id":"evt_2"}`, int64(1700000000)
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"whsec_old", "whsec_new"}, Timestamp: ts, Body: strings.NewReader(body)})
	want := "t=1700000000,v1=" + macHex(sha256.New, "whsec_old", "1700000000."+body) + ",v1=" + macHex(sha256.New, "whsec_new", "1700000000."+body)
	if got := h.Get("Stripe-Signature"); got != want {
		t.Fatalf("Stripe-Signature = %q, want %q", got, want)
	}
	for _, secrets := range [][]string{{"whsec_old"}, {"whsec_new"}, {"whsec_nope", "whsec_new"}} {
		mustValid(t, s, check{header: h, body: body, secrets: secrets, now: ts})
	}
	mustInvalid(t, s, check{header: h, body: body, secrets: []string{"whsec_a", "whsec_b"}, now: ts}, "any of the 2 secrets")
}

func TestSlack(t *testing.T) {
	// Slack's published example.
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	const ts = int64(1531420618)
	const body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	const want = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
	if got := "v0=" + macHex(sha256.New, secret, "v0:1531420618:"+body); got != want {
		t.Fatalf("independent computation gives %s, the published vector is %s", got, want)
	}
	s := scheme(t, "slack")
	h, out := signed(t, s, signer.SignInput{Secrets: []string{secret}, Timestamp: ts, Body: strings.NewReader(body)})
	if len(out.Headers) != 2 || h.Get("X-Slack-Signature") != want || h.Get("X-Slack-Request-Timestamp") != "1531420618" {
		t.Fatalf("headers %v", out.Headers)
	}
	ok := check{header: hdr("x-slack-signature", want, "x-slack-request-timestamp", "1531420618"), body: body, secrets: []string{secret}, now: ts}
	mustValid(t, s, ok)

	// Slack's SDK (abs(now - ts) > 300) rejects both directions.
	checkWindow(t, s, ok, true)

	bad := ok
	bad.body = body + "\n"
	mustInvalid(t, s, bad, "no signature matches this secret")
	bad.body, bad.secrets = body, []string{"wrong"}
	mustInvalid(t, s, bad, "no signature matches this secret")
	mustInvalid(t, s, check{header: hdr("X-Slack-Signature", want[3:], "X-Slack-Request-Timestamp", "1531420618"), body: body, secrets: []string{secret}, now: ts}, `missing "v0=" prefix`)
	mustInvalid(t, s, check{header: hdr("X-Slack-Signature", "v0="+strings.ToUpper(want[3:]), "X-Slack-Request-Timestamp", "1531420618"), body: body, secrets: []string{secret}, now: ts}, "uppercase hex")
	mustInvalid(t, s, check{header: hdr("X-Slack-Signature", want), body: body, secrets: []string{secret}, now: ts}, "missing header X-Slack-Request-Timestamp")
	mustInvalid(t, s, check{header: hdr("X-Slack-Signature", want, "X-Slack-Request-Timestamp", "1531420619"), body: body, secrets: []string{secret}, now: ts}, "no signature matches")
}
