package signer_test

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/signer"
)

// twilioExpected computes Twilio's signature from its documented algorithm:
// HMAC-SHA1 over the URL followed by each POST parameter, name then value,
// sorted by name; base64.
func twilioExpected(token, u string, params map[string]string) string {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(u)
	for _, k := range names {
		b.WriteString(k + params[k])
	}
	return macB64(sha1.New, token, b.String())
}

func form(params map[string]string) string {
	v := url.Values{}
	for k, x := range params {
		v.Set(k, x)
	}
	return v.Encode()
}

const twilioURL = "https://mycompany.com/myapp.php?foo=1&bar=2"

func TestTwilioPublishedVectors(t *testing.T) {
	s := scheme(t, "twilio")
	for _, c := range []struct {
		name   string
		params map[string]string
		want   string
	}{
		// Twilio's "Webhooks security" guide.
		{"docs", map[string]string{"CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234", "From": "+12349013030", "To": "+18005551212"}, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="},
		// twilio-ruby's request validator spec.
		{"twilio-ruby", map[string]string{"From": "+14158675309", "To": "+18005551212", "CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234"}, "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := twilioExpected("12345", twilioURL, c.params); got != c.want {
				t.Fatalf("independent computation gives %s, the published value is %s", got, c.want)
			}
			body := form(c.params)
			h, out := signed(t, s, signer.SignInput{Secrets: []string{"12345"}, URL: twilioURL, Body: strings.NewReader(body)})
			if got := h.Get("X-Twilio-Signature"); got != c.want {
				t.Fatalf("X-Twilio-Signature = %q, want %q", got, c.want)
			}
			if out.URL != twilioURL {
				t.Errorf("form body changed the URL to %s", out.URL)
			}
			ok := check{header: hdr("x-twilio-signature", c.want), body: body, secrets: []string{"12345"}, url: twilioURL}
			mustValid(t, s, ok)
			bad := ok
			bad.body = strings.Replace(body, "Digits=1234", "Digits=9999", 1)
			mustInvalid(t, s, bad, "no signature matches")
			bad = ok
			bad.url = "https://mycompany.com/myapp.php?foo=1&bar=3"
			mustInvalid(t, s, bad, "no signature matches")
			bad = ok
			bad.secrets = []string{"54321"}
			mustInvalid(t, s, bad, "no signature matches")
		})
	}
}

// Form parameter order in the body does not matter; repeated names are
// sorted by value; + and %2B decode as the form encoding says.
func TestTwilioFormOrder(t *testing.T) {
	s := scheme(t, "twilio")
	body := "To=%2B18005551212&CallSid=CA1234567890ABCDE&Digits=1234&From=%2B12349013030&Caller=%2B12349013030"
	mustValid(t, s, check{header: hdr("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), body: body, secrets: []string{"12345"}, url: twilioURL})
	multi := "MediaUrl=b&MediaUrl=a&Body=hi+there"
	want := macB64(sha1.New, "tok", "https://x.test/sms"+"Bodyhi there"+"MediaUrla"+"MediaUrlb")
	h, _ := signed(t, s, signer.SignInput{Secrets: []string{"tok"}, URL: "https://x.test/sms", Body: strings.NewReader(multi)})
	if got := h.Get("X-Twilio-Signature"); got != want {
		t.Errorf("repeated params: %s, want %s", got, want)
	}
	mustInvalid(t, s, check{header: hdr("X-Twilio-Signature", want), body: "a=%zz", secrets: []string{"tok"}, url: "https://x.test/sms"}, "not a valid form")
}

// Twilio's validators accept the URL with and without its port.
func TestTwilioPorts(t *testing.T) {
	s := scheme(t, "twilio")
	params := map[string]string{"From": "+14158675309", "To": "+18005551212", "CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234"}
	body := form(params)
	for _, c := range []struct{ url, sig string }{
		{"https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="}, // port stripped
		{"http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="},  // port kept
		{twilioURL, "kvajT1Ptam85bY51eRf/AJRuM3w="},                                          // :443 added
		{"http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="},       // :80 added
		{"https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10="},
		{"https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs="},
		{"https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI="}, // with :443
	} {
		mustValid(t, s, check{header: hdr("X-Twilio-Signature", c.sig), body: body, secrets: []string{"12345"}, url: c.url})
	}
	// The port variants are computed, not guessed: check one independently.
	if got := twilioExpected("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", params); got != "kvajT1Ptam85bY51eRf/AJRuM3w=" {
		t.Errorf(":443 variant = %s", got)
	}
	mustValid(t, s, check{header: hdr("X-Twilio-Signature", twilioExpected("k", "https://[::1]:8443/hook", nil)), body: "", secrets: []string{"k"}, url: "https://[::1]:8443/hook"})
	mustValid(t, s, check{header: hdr("X-Twilio-Signature", twilioExpected("k", "https://[::1]/hook", nil)), body: "", secrets: []string{"k"}, url: "https://[::1]:8443/hook"})
}

// A JSON body is bound through the URL's bodySHA256 parameter.
func TestTwilioJSONBody(t *testing.T) {
	s := scheme(t, "twilio")
	const body = `{"property": "value", "boolean": true}`
	sum := sha256.Sum256([]byte(body))
	bodyHash := hex.EncodeToString(sum[:])
	if bodyHash != "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620" {
		t.Fatalf("body hash %s", bodyHash)
	}
	// twilio-ruby's vectors.
	for _, c := range []struct{ url, sig string }{
		{twilioURL + "&bodySHA256=" + bodyHash, "a9nBmqA0ju/hNViExpshrM61xv4="},
		{"https://mycompany.com/myapp.php?bodySHA256=" + bodyHash, "y77kIzt2vzLz71DgmJGsen2scGs="},
	} {
		if got := macB64(sha1.New, "12345", c.url); got != c.sig {
			t.Fatalf("independent computation gives %s, want %s", got, c.sig)
		}
		mustValid(t, s, check{header: hdr("X-Twilio-Signature", c.sig), body: body, secrets: []string{"12345"}, url: c.url})
		mustInvalid(t, s, check{header: hdr("X-Twilio-Signature", c.sig), body: body + "\n", secrets: []string{"12345"}, url: c.url}, "does not match the bodySHA256")
	}
	// Signing adds the parameter to the URL and signs that URL.
	h, out := signed(t, s, signer.SignInput{Secrets: []string{"12345"}, URL: twilioURL, Body: strings.NewReader(body)})
	if out.URL != twilioURL+"&bodySHA256="+bodyHash || h.Get("X-Twilio-Signature") != "a9nBmqA0ju/hNViExpshrM61xv4=" {
		t.Errorf("signed URL %s, header %v", out.URL, h)
	}
	// An existing bodySHA256 is replaced, not duplicated.
	_, out = signed(t, s, signer.SignInput{Secrets: []string{"12345"}, URL: "https://mycompany.com/myapp.php?bodySHA256=old&x=1", Body: strings.NewReader(body)})
	if out.URL != "https://mycompany.com/myapp.php?bodySHA256="+bodyHash+"&x=1" {
		t.Errorf("replaced URL %s", out.URL)
	}
	_, out = signed(t, s, signer.SignInput{Secrets: []string{"12345"}, URL: "https://mycompany.com/myapp.php", Body: strings.NewReader(body)})
	if out.URL != "https://mycompany.com/myapp.php?bodySHA256="+bodyHash {
		t.Errorf("URL without query %s", out.URL)
	}
	// twilio-ruby: a JSON body with a URL lacking bodySHA256 fails.
	mustInvalid(t, s, check{header: hdr("X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="), body: body, secrets: []string{"12345"}, url: twilioURL}, "no bodySHA256 parameter")
}

func TestTwilioNeedsURL(t *testing.T) {
	s := scheme(t, "twilio")
	if _, err := s.Sign(signer.SignInput{Secrets: []string{"k"}, Body: strings.NewReader("a=b")}); !errors.Is(err, signer.ErrNeedURL) {
		t.Errorf("sign without URL: %v", err)
	}
	if _, err := s.Verify(signer.VerifyInput{Header: hdr("X-Twilio-Signature", "x"), Secrets: []string{"k"}, Body: strings.NewReader("a=b")}); !errors.Is(err, signer.ErrNeedURL) {
		t.Errorf("verify without URL: %v", err)
	}
	if _, err := s.Sign(signer.SignInput{Secrets: []string{"a", "b"}, URL: "https://x.test", Body: strings.NewReader("a=b")}); err == nil {
		t.Error("twilio signed with two secrets")
	}
	mustInvalid(t, s, check{header: hdr("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ"), body: "", secrets: []string{"12345"}, url: twilioURL}, "padding")
	mustInvalid(t, s, check{header: hdr("X-Other", "x"), body: "", secrets: []string{"12345"}, url: twilioURL}, "missing header X-Twilio-Signature")
}
