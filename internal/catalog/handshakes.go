package catalog

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/override"
)

// The handshakes: the request a provider sends to check a new endpoint
// before it delivers anything, how a correct endpoint answers it, and how
// an answer is judged. One mechanism, with data and small functions per
// provider: trigger --handshake sends Request and applies Judge; listen
// recognises a request with Match and answers it with Answer; check calls
// the same through internal/trigger.

// HandshakeRequest is a verification request, sent or received.
type HandshakeRequest struct {
	Method string // GET or POST
	Query  url.Values
	Header http.Header
	Body   []byte
}

// HandshakeAnswer is an endpoint's answer to one.
type HandshakeAnswer struct {
	Status      int
	ContentType string
	Body        []byte
}

// HandshakeKeys are what an endpoint holds to answer: the provider's
// secrets and, for Meta, the verify token.
type HandshakeKeys struct {
	Secrets     []string
	VerifyToken string
}

// Secret is the first secret, "" when none.
func (k HandshakeKeys) Secret() string {
	if len(k.Secrets) == 0 {
		return ""
	}
	return k.Secrets[0]
}

// Verification is a challenge-response handshake (every provider's but
// Notion's, whose token handshake is Handshake.Field).
type Verification struct {
	// Name is how it is shown: "url_verification", "hub.challenge".
	Name string
	// Event is the catalogue event whose sample is the request body;
	// NewBody builds it instead when the catalogue has no such event,
	// carrying token (Notion's verification token; "" makes a fresh one).
	Event   string
	NewBody func(g *ids.Generator, token string) []byte
	// Method is GET for a query-only handshake (Meta); NewQuery makes its
	// query from a fresh id generator and the verify token.
	Method   string
	NewQuery func(g *ids.Generator, verifyToken string) url.Values
	// Signed requests carry the provider's signature: a correct endpoint
	// verifies it before answering (answering unsigned ones would make it
	// a signing oracle, Zoom's case).
	Signed bool
	// Match reports whether a received request is this handshake.
	Match func(r *HandshakeRequest) bool
	// Answer is a correct endpoint's answer to a genuine request.
	Answer func(r *HandshakeRequest, k HandshakeKeys) HandshakeAnswer
	// Judge says why an answer is not what the provider requires, "" when
	// it is.
	Judge func(sent *HandshakeRequest, got *HandshakeAnswer, k HandshakeKeys) string
}

// Method of the request, POST unless the verification says otherwise.
func (v *Verification) RequestMethod() string {
	if v.Method == "" {
		return http.MethodPost
	}
	return v.Method
}

func field(body []byte, path string) string {
	raw, _ := override.Lookup(body, path)
	return override.Text(raw)
}

func fieldIs(body []byte, path, want string) bool { return field(body, path) == want }

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(ct))
	}
	return mt
}

func jsonAnswer(v any) HandshakeAnswer {
	b, _ := json.Marshal(v)
	return HandshakeAnswer{Status: http.StatusOK, ContentType: "application/json", Body: b}
}

func textAnswer(s string) HandshakeAnswer {
	return HandshakeAnswer{Status: http.StatusOK, ContentType: "text/plain; charset=utf-8", Body: []byte(s)}
}

// statusProblem is the reason an answer's status is not want, "" when it is.
func statusProblem(got *HandshakeAnswer, want int) string {
	if got.Status != want {
		return fmt.Sprintf("the answer's status is %d, not %d", got.Status, want)
	}
	return ""
}

// echoes reports whether an answer carries value as its whole body, or as
// member key of a JSON body, or as form field key.
func echoes(got *HandshakeAnswer, key, value string) bool {
	body := strings.TrimSpace(string(got.Body))
	switch mediaType(got.ContentType) {
	case "application/json":
		return fieldIs(got.Body, key, value)
	case "application/x-www-form-urlencoded":
		q, err := url.ParseQuery(body)
		return err == nil && q.Get(key) == value
	}
	return body == value
}

// hmacHex is hex HMAC-SHA256(key, msg), Zoom's encryptedToken.
func hmacHex(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// zoomVerification: endpoint.url_validation, signed; the answer is
// {plainToken, encryptedToken = hex HMAC-SHA256(secret, plainToken)}.
var zoomVerification = &Verification{
	Name: "endpoint.url_validation", Event: "endpoint.url_validation", Signed: true,
	Match: func(r *HandshakeRequest) bool { return fieldIs(r.Body, "event", "endpoint.url_validation") },
	Answer: func(r *HandshakeRequest, k HandshakeKeys) HandshakeAnswer {
		plain := field(r.Body, "payload.plainToken")
		return jsonAnswer(map[string]string{"plainToken": plain, "encryptedToken": hmacHex(k.Secret(), plain)})
	},
	Judge: func(sent *HandshakeRequest, got *HandshakeAnswer, k HandshakeKeys) string {
		if p := statusProblem(got, http.StatusOK); p != "" {
			return p
		}
		plain := field(sent.Body, "payload.plainToken")
		if !json.Valid(got.Body) {
			return "the answer is not JSON {plainToken, encryptedToken}"
		}
		if field(got.Body, "plainToken") != plain {
			return "the answer did not echo plainToken"
		}
		if !hmac.Equal([]byte(field(got.Body, "encryptedToken")), []byte(hmacHex(k.Secret(), plain))) {
			return "encryptedToken is not HMAC(secret, plainToken)"
		}
		return ""
	},
}

// metaVerification: a GET with hub.mode=subscribe, hub.verify_token and
// hub.challenge; the endpoint echoes the challenge when the token matches,
// else answers 4xx.
var metaVerification = &Verification{
	Name: "hub.challenge", Method: http.MethodGet,
	NewQuery: func(g *ids.Generator, verifyToken string) url.Values {
		return url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {verifyToken}, "hub.challenge": {g.Digits(10)}}
	},
	Match: func(r *HandshakeRequest) bool {
		return r.Method == http.MethodGet && r.Query.Get("hub.mode") == "subscribe" && r.Query.Has("hub.challenge")
	},
	Answer: func(r *HandshakeRequest, k HandshakeKeys) HandshakeAnswer {
		if !hmac.Equal([]byte(r.Query.Get("hub.verify_token")), []byte(k.VerifyToken)) {
			return HandshakeAnswer{Status: http.StatusForbidden, ContentType: "text/plain; charset=utf-8", Body: []byte("hub.verify_token does not match")}
		}
		return textAnswer(r.Query.Get("hub.challenge"))
	},
	Judge: func(sent *HandshakeRequest, got *HandshakeAnswer, _ HandshakeKeys) string {
		if p := statusProblem(got, http.StatusOK); p != "" {
			return p
		}
		if strings.TrimSpace(string(got.Body)) != sent.Query.Get("hub.challenge") {
			return "the answer did not echo hub.challenge"
		}
		return ""
	},
}

// twitchVerification: webhook_callback_verification, signed; the answer
// is the challenge itself, as text/plain.
var twitchVerification = &Verification{
	Name: "webhook_callback_verification", Event: "webhook_callback_verification", Signed: true,
	Match: func(r *HandshakeRequest) bool {
		return r.Header.Get("Twitch-Eventsub-Message-Type") == "webhook_callback_verification"
	},
	Answer: func(r *HandshakeRequest, _ HandshakeKeys) HandshakeAnswer {
		return textAnswer(field(r.Body, "challenge"))
	},
	Judge: func(sent *HandshakeRequest, got *HandshakeAnswer, _ HandshakeKeys) string {
		if p := statusProblem(got, http.StatusOK); p != "" {
			return p
		}
		if string(got.Body) != field(sent.Body, "challenge") {
			return "the answer is not the challenge alone (Twitch wants the raw challenge string as the body)"
		}
		if mt := mediaType(got.ContentType); mt != "text/plain" {
			return fmt.Sprintf("the answer's Content-Type is %q, not text/plain", got.ContentType)
		}
		return ""
	},
}

// discordVerification: an interactions PING (type 1) is answered
// {"type":1}; a webhook-events PING (type 0) gets 204. Both are signed.
var discordVerification = &Verification{
	Name: "PING", Event: "interaction.ping", Signed: true,
	Match: func(r *HandshakeRequest) bool {
		t := field(r.Body, "type")
		return t == "1" && field(r.Body, "token") != "" || t == "0" && field(r.Body, "event.type") == ""
	},
	Answer: func(r *HandshakeRequest, _ HandshakeKeys) HandshakeAnswer {
		if fieldIs(r.Body, "type", "0") {
			return HandshakeAnswer{Status: http.StatusNoContent}
		}
		return jsonAnswer(map[string]int{"type": 1})
	},
	Judge: func(sent *HandshakeRequest, got *HandshakeAnswer, _ HandshakeKeys) string {
		if fieldIs(sent.Body, "type", "0") {
			return statusProblem(got, http.StatusNoContent)
		}
		if p := statusProblem(got, http.StatusOK); p != "" {
			return p
		}
		if mediaType(got.ContentType) != "application/json" || !fieldIs(got.Body, "type", "1") {
			return `the answer is not the PONG {"type":1} as JSON`
		}
		return ""
	},
}

// verifications are the challenge-response handshakes by provider.
var verifications = map[string]*Verification{
	"zoom": zoomVerification, "meta": metaVerification,
	"twitch": twitchVerification, "discord": discordVerification,
}

// Verification returns the provider's endpoint verification, nil when it
// has none. Notion's is its token handshake (Handshake) seen the same way:
// an unsigned POST of a fresh token that a working endpoint accepts with a
// 2xx; trigger and listen also keep its token (see Handshake).
func (p *Provider) Verification() *Verification {
	if h := p.Handshake; h != nil && h.Event != "" {
		return h.challengeVerification(p)
	} else if h != nil {
		return h.verification()
	}
	if p.Custom {
		return nil
	}
	return verifications[p.Name]
}

// challengeVerification is a challenge handshake (Slack's url_verification,
// Handshake.Event and Echo) seen as a Verification: signed, answered with
// the challenge, passed when a 200 echoes it.
func (h *Handshake) challengeVerification(p *Provider) *Verification {
	return &Verification{
		Name: h.Event, Event: h.Event, Signed: true,
		Match: func(r *HandshakeRequest) bool {
			ev, _ := p.Describe(r.Header, r.Body)
			return p.IsHandshake(ev)
		},
		Answer: func(r *HandshakeRequest, _ HandshakeKeys) HandshakeAnswer {
			return jsonAnswer(map[string]string{h.Echo: h.Challenge(r.Body)})
		},
		Judge: func(sent *HandshakeRequest, got *HandshakeAnswer, _ HandshakeKeys) string {
			if p := statusProblem(got, http.StatusOK); p != "" {
				return p
			}
			if !h.Echoes(got.Body, h.Challenge(sent.Body)) {
				return "the answer did not echo the " + h.Echo
			}
			return ""
		},
	}
}

func (h *Handshake) verification() *Verification {
	return &Verification{
		Name: h.Field,
		NewBody: func(g *ids.Generator, token string) []byte {
			if token == "" {
				token = VerificationToken(g)
			}
			return h.Body(token)
		},
		Match: func(r *HandshakeRequest) bool {
			var doc map[string]json.RawMessage
			return json.Unmarshal(r.Body, &doc) == nil && len(doc) == 1 && field(r.Body, h.Field) != ""
		},
		Answer: func(*HandshakeRequest, HandshakeKeys) HandshakeAnswer { return jsonAnswer(map[string]bool{"ok": true}) },
		Judge: func(_ *HandshakeRequest, got *HandshakeAnswer, _ HandshakeKeys) string {
			if got.Status < 200 || got.Status > 299 {
				return fmt.Sprintf("the answer's status is %d, not a 2xx", got.Status)
			}
			return ""
		},
	}
}

// DetectVerification names the provider whose unsigned handshake a
// request is (Meta's GET), for requests no signature header names.
func (c *Catalog) DetectVerification(r *HandshakeRequest) *Provider {
	for _, p := range c.providers {
		if v := p.Verification(); v != nil && !v.Signed && p.Handshake == nil && v.Match(r) {
			return p
		}
	}
	return nil
}
