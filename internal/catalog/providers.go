// Package catalog is hookctl's one list of providers: their events, payload
// templates, signature schemes and delivery rules. Every command reads it.
package catalog

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/signer"
)

// Event is one event type a provider sends.
type Event struct {
	Name        string
	Description string
}

// Delivery is how a provider delivers: what counts as success, how long it
// waits for an answer, and when it retries.
type Delivery struct {
	// Exact200 means only status 200 is success (notify); otherwise any 2xx.
	Exact200 bool
	// Timeout is how long the provider waits for an answer.
	Timeout time.Duration
	// Schedule is the wait before each attempt, the first being the original
	// delivery (normally 0). Its length is the number of attempts.
	Schedule []time.Duration
	// DefaultSchedule is set when the provider documents no schedule and
	// hookctl uses Svix's published one instead.
	DefaultSchedule bool
	// AfterLast says what the provider does when every attempt failed.
	AfterLast string
	// AttemptField is a top-level body field counting attempts (notion).
	AttemptField string

	// RetryNumHeader and RetryReasonHeader are headers a provider adds to
	// its retries: the retry's number (1 on the first retry) and why the
	// previous attempt failed, in RetryReason's words (Slack's
	// X-Slack-Retry-Num and X-Slack-Retry-Reason).
	RetryNumHeader, RetryReasonHeader string
	// NoRetryHeader is an answer header that, set to 1, stops the retries
	// (Slack's X-Slack-No-Retry).
	NoRetryHeader string
	// RetryConnectOnly means a retry follows only a failure to connect, not
	// a bad status or a slow answer (Twilio's default retry policy).
	RetryConnectOnly bool
}

// Outcome is what a provider saw of a failed attempt: the answer's status
// (0 when none came), the answer's headers, and the failure's kind as the
// sender labels it ("timeout", "connection refused", "TLS", "HTTP 500").
type Outcome struct {
	Status int
	Header http.Header
	Kind   string
}

// connectFailure reports whether a failure kind means no connection was made.
func connectFailure(kind string) bool {
	switch kind {
	case "connection refused", "DNS", "unreachable":
		return true
	}
	return false
}

// NoRetry says why the provider makes no retry after this failed attempt,
// or "" when it retries (while attempts are left).
func (d Delivery) NoRetry(o Outcome) string {
	if d.NoRetryHeader != "" && o.Header.Get(d.NoRetryHeader) == "1" {
		return "the answer carries " + d.NoRetryHeader + ": 1"
	}
	if d.RetryConnectOnly && (o.Status != 0 || !connectFailure(o.Kind)) {
		return "it retries only when it cannot connect"
	}
	return ""
}

// RetryReason names why an attempt failed in Slack's words: http_timeout,
// connection_failed, ssl_error, too_many_redirects, http_error or
// unknown_error.
func RetryReason(o Outcome) string {
	switch {
	case o.Status >= 300 && o.Status < 400:
		return "too_many_redirects"
	case o.Status != 0:
		return "http_error"
	case o.Kind == "timeout":
		return "http_timeout"
	case o.Kind == "TLS":
		return "ssl_error"
	case connectFailure(o.Kind), o.Kind == "connection closed":
		return "connection_failed"
	}
	return "unknown_error"
}

// RetryHeaders are the headers the provider adds to a retry (attempt 2 is
// retry 1) after the outcome of the attempt before; nil for the first attempt.
func (d Delivery) RetryHeaders(attempt int, prev Outcome) []signer.Header {
	if attempt < 2 {
		return nil
	}
	var out []signer.Header
	if d.RetryNumHeader != "" {
		out = append(out, signer.Header{Name: d.RetryNumHeader, Value: strconv.Itoa(attempt - 1)})
	}
	if d.RetryReasonHeader != "" {
		out = append(out, signer.Header{Name: d.RetryReasonHeader, Value: RetryReason(prev)})
	}
	return out
}

// Success applies the provider's success rule to a status code.
func (d Delivery) Success(status int) bool {
	if d.Exact200 {
		return status == 200
	}
	return status >= 200 && status < 300
}

// SuccessRule describes the rule in words.
func (d Delivery) SuccessRule() string {
	if d.Exact200 {
		return "exactly 200"
	}
	return "any 2xx"
}

// Envelope says where a body keeps its event type and id.
type Envelope struct {
	TypePath    string // dotted path in a JSON body, e.g. "type", "event"
	IDPath      string // dotted path of the event id
	TypeHeader  string // or a header (GitHub's X-GitHub-Event, Shopify's X-Shopify-Topic)
	TypeFromSub bool   // GitHub: event names are header "." action; the header carries the part before the dot
	// Name, when set, names the event from the body's fields instead of TypePath (Slack).
	Name func(field func(path string) string) string
	// Form, when set, names the event and id of a form-encoded body
	// (Slack's commands and interactions, Twilio's callbacks).
	Form func(v url.Values) (event, id string)
}

// Provider is one entry of the catalogue.
type Provider struct {
	Name        string
	Aliases     []string
	Title       string // a short human name
	Source      string // where the facts come from
	Scheme      signer.Scheme
	Delivery    Delivery
	Handshake   *Handshake // its subscription verification request, if any (notion, slack)
	Envelope    Envelope
	Events      []Event
	ContentType string            // default Content-Type of its requests
	Headers     map[string]string // extra headers it sends, as templates (rendered by package templates)
	// APIVersion is the API version its payloads are rendered in
	// ({{.APIVersion}} in templates); the config file may change it.
	APIVersion string
	// TemplateDir is the folder of a user-defined provider's templates; built-ins use the embedded ones.
	TemplateDir string
	Custom      bool
}

// Event returns the named event, if the provider has it.
func (p *Provider) Event(name string) (Event, bool) {
	for _, e := range p.Events {
		if e.Name == name {
			return e, true
		}
	}
	return Event{}, false
}

// EventNames lists the provider's event types in catalogue order.
func (p *Provider) EventNames() []string {
	out := make([]string, len(p.Events))
	for i, e := range p.Events {
		out[i] = e.Name
	}
	return out
}

const (
	// DefaultTolerance is the time window of schemes that sign a timestamp.
	DefaultTolerance = 5 * time.Minute
	// DefaultTimeout is the answer timeout for providers that document none.
	DefaultTimeout = 30 * time.Second
)

// svixSchedule is Svix's published schedule, hookctl's default where a
// provider documents none: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
var svixSchedule = []time.Duration{0, 5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// DefaultDelivery is hookctl's delivery for providers that document none:
// any 2xx, a 30 s timeout and Svix's schedule.
func DefaultDelivery() Delivery {
	return Delivery{Timeout: DefaultTimeout, Schedule: svixSchedule, DefaultSchedule: true}
}

// plainHex is the scheme of the document providers: lowercase hex
// HMAC-SHA256 of the raw body, with an optional prefix.
func plainHex(header, prefix string) signer.Scheme {
	return signer.Scheme{
		Headers: signer.HeaderSet{Signature: header},
		Signed:  signer.SignedBody,
		Hash:    signer.HashSHA256,
		Enc:     signer.EncHex,
		Prefix:  prefix,
		Format:  signer.FormatPlain,
		Secret:  signer.SecretText,
	}
}

// with returns a scheme changed by f: each real-world scheme reads as the
// plain body HMAC and what it does differently.
func with(s signer.Scheme, f func(*signer.Scheme)) signer.Scheme {
	f(&s)
	return s
}

func standardScheme(primary string) signer.Scheme {
	set := func(p string) signer.HeaderSet {
		return signer.HeaderSet{Signature: p + "-signature", Timestamp: p + "-timestamp", ID: p + "-id"}
	}
	return signer.Scheme{
		Headers: set(primary),
		// svix-* wins when both are present, then webhook-*: the same reading
		// order for both providers, as Svix's own libraries do.
		Accept:       []signer.HeaderSet{set("svix"), set("webhook")},
		Signed:       signer.SignedIDTimestampBody,
		Hash:         signer.HashSHA256,
		Enc:          signer.EncBase64,
		Prefix:       "v1,",
		AsymPrefix:   "v1a,", // Ed25519: signed with whsk_ keys, verified with whpk_ ones
		Format:       signer.FormatList,
		Secret:       signer.SecretWhsec,
		IDKind:       ids.KindMsg,
		Tolerance:    DefaultTolerance,
		RejectFuture: true,
	}
}

// Builtins returns the built-in providers, in the order they are listed.
func Builtins() []*Provider {
	notionDelivery := DefaultDelivery()
	notionDelivery.AttemptField = "attempt_number"
	notionDelivery.AfterLast = "Notion stops after 8 attempts"

	svixLike := func(name, title, primary string, aliases ...string) *Provider {
		return &Provider{
			Name: name, Aliases: aliases, Title: title, Source: "Standard Webhooks specification and Svix libraries",
			Scheme:      standardScheme(primary),
			Delivery:    DefaultDelivery(),
			Envelope:    Envelope{TypePath: "type"},
			ContentType: "application/json",
			Events: []Event{
				{"invoice.paid", "An invoice was paid."},
				{"subscription.canceled", "A subscription was canceled."},
				{"user.signup", "A new user signed up."},
				{"user.deleted", "A user account was deleted."},
			},
		}
	}
	standard := svixLike("standard", "Standard Webhooks", "webhook", "standard-webhooks")
	svix := svixLike("svix", "Svix", "svix")
	// docs.svix.com/retries: a 2xx within 15 s; Svix's schedule is its own;
	// an endpoint whose every attempt fails for 5 days is disabled.
	svix.Delivery = Delivery{
		Timeout: 15 * time.Second, Schedule: svixSchedule,
		AfterLast: "Svix marks the message failed; an endpoint failing every attempt for 5 days is disabled",
	}

	return append([]*Provider{
		{
			Name: "notify", Title: "Notify", Source: "seed document 000 (Notify webhooks guide)",
			Scheme: plainHex("x-notify-signature", ""),
			Delivery: Delivery{
				Exact200: true, Timeout: DefaultTimeout,
				Schedule:  []time.Duration{0, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour},
				AfterLast: "Notify stops after 5 retries; the event shows as failed on the Logs page",
			},
			Envelope:    Envelope{TypePath: "event", IDPath: "event_id"},
			ContentType: "application/json",
			Events: []Event{
				{"connection.created", "Sent when the user first makes a successful connection to your organization."},
				{"connection.updated", "Sent when the user updates or deletes their connection to your organization."},
			},
		},
		{
			Name: "notifly", Title: "Notifly", Source: "seed document 001 (Notifly webhooks guide)",
			Scheme:      plainHex("x-notifly-signature", ""),
			Delivery:    DefaultDelivery(),
			Envelope:    Envelope{TypePath: "type", IDPath: "id"},
			ContentType: "application/json",
			Events:      crud("contact", "conversation", "message", "group", "attachment"),
		},
		{
			Name: "generic", Title: "Example API (generic)", Source: "seed document 002 (Working with Webhooks)",
			Scheme: plainHex("X-Webhook-Signature", ""),
			Delivery: Delivery{
				Timeout:   5 * time.Second,
				Schedule:  []time.Duration{0, time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour},
				AfterLast: "after 5 failed attempts the webhook is disabled",
			},
			Envelope:    Envelope{TypePath: "type", IDPath: "id"},
			ContentType: "application/json",
			Events: []Event{
				{"resource.created", "New resource created"},
				{"resource.updated", "Resource updated"},
				{"resource.deleted", "Resource deleted"},
				{"user.created", "New user registered"},
				{"user.updated", "User profile updated"},
				{"payment.succeeded", "Payment completed"},
				{"payment.failed", "Payment failed"},
			},
		},
		{
			Name: "notion", Title: "Notion", Source: "seed document 003 (Notion webhooks) and Notion's event reference",
			Scheme:      plainHex("X-Notion-Signature", "sha256="),
			Delivery:    notionDelivery,
			Handshake:   &Handshake{Field: "verification_token"},
			Envelope:    Envelope{TypePath: "type", IDPath: "id"},
			ContentType: "application/json",
			Events: []Event{
				{"page.created", "A page was created."},
				{"page.content_updated", "A page's content changed (aggregated: batched and sent after a short delay)."},
				{"page.properties_updated", "A page's properties changed (aggregated)."},
				{"page.moved", "A page was moved."},
				{"page.deleted", "A page was moved to the trash."},
				{"page.undeleted", "A page was restored from the trash."},
				{"page.locked", "A page was locked."},
				{"page.unlocked", "A page was unlocked."},
				{"database.created", "A database was created."},
				{"database.content_updated", "A database's rows changed (aggregated)."},
				{"database.schema_updated", "A database's properties (schema) changed."},
				{"database.moved", "A database was moved."},
				{"database.deleted", "A database was moved to the trash."},
				{"database.undeleted", "A database was restored from the trash."},
				{"data_source.created", "A data source was created in an existing database (API version 2025-09-03)."},
				{"data_source.content_updated", "A data source's rows changed (aggregated; API version 2025-09-03)."},
				{"data_source.schema_updated", "A data source's properties (schema) changed (API version 2025-09-03)."},
				{"data_source.moved", "A data source was moved to another database (API version 2025-09-03)."},
				{"data_source.deleted", "A data source was moved to the trash (API version 2025-09-03)."},
				{"data_source.undeleted", "A data source was restored from the trash (API version 2025-09-03)."},
				{"comment.created", "A comment was added (needs the comment read capability)."},
				{"comment.updated", "A comment was edited."},
				{"comment.deleted", "A comment was deleted."},
			},
		},
		standard,
		svix,
		{
			Name: "stripe", Title: "Stripe", Source: "Stripe's webhook docs and official libraries",
			Scheme: with(plainHex("Stripe-Signature", "v1="), func(s *signer.Scheme) {
				s.Signed, s.Format, s.Tolerance = signer.SignedTimestampBody, signer.FormatStripe, DefaultTolerance
				// Secret stays text: the whole whsec_... string is the key, not decoded.
			}),
			// docs.stripe.com/webhooks and docs.stripe.com/workbench/webhooks:
			// any 2xx; live mode retries "for up to 3 days with an exponential
			// back off", test mode "three times over a few hours"; an endpoint
			// answering no 2xx for days is emailed about, and the email says
			// when it will be disabled. No intervals or timeout are published.
			Delivery: withAfterLast(DefaultDelivery(),
				"Stripe retries for up to 3 days in live mode (3 times over a few hours in test mode), then marks the event failed; "+
					"an endpoint with no 2xx for days in a row gets an email saying when it will be disabled"),
			Envelope:    Envelope{TypePath: "type", IDPath: "id"},
			ContentType: "application/json; charset=utf-8",
			APIVersion:  StripeAPIVersion,
			Events:      stripeEvents,
		},
		{
			Name: "github", Title: "GitHub", Source: "GitHub's webhook docs and octokit/webhooks",
			Scheme: with(plainHex("X-Hub-Signature-256", "sha256="), func(s *signer.Scheme) {
				s.Headers.ID, s.IDKind = "X-GitHub-Delivery", ids.KindUUID
				s.Extra = []signer.Extra{{Header: "X-Hub-Signature", Hash: signer.HashSHA1, Prefix: "sha1="}}
			}),
			// docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries:
			// a 2xx within 10 seconds; no automatic redelivery.
			Delivery: Delivery{
				Timeout: 10 * time.Second, Schedule: []time.Duration{0},
				AfterLast: "GitHub does not redeliver failed deliveries; redeliver them by hand or through the REST API",
			},
			Envelope:    Envelope{TypeHeader: "X-GitHub-Event", TypeFromSub: true},
			ContentType: "application/json",
			Headers: map[string]string{
				"X-GitHub-Event":                         "{{.EventBase}}",
				"X-GitHub-Hook-ID":                       "{{digits 9}}",
				"X-GitHub-Hook-Installation-Target-Type": "repository",
				"X-GitHub-Hook-Installation-Target-ID":   "{{int 100000000 999999999}}",
			},
			Events: githubEvents,
		},
		{
			Name: "shopify", Title: "Shopify", Source: "Shopify's webhook docs and libraries",
			Scheme: with(plainHex("X-Shopify-Hmac-Sha256", ""), func(s *signer.Scheme) {
				s.Enc, s.Headers.ID, s.IDKind = signer.EncBase64, "X-Shopify-Webhook-Id", ids.KindUUID
			}),
			// shopify.dev/docs/apps/build/webhooks/subscribe/https: a 2xx
			// within 5 seconds in all (1 s to connect); 8 retries over 4
			// hours, with exponential backoff (shopify.dev/changelog/
			// updates-to-webhook-retry-mechanism), intervals not published;
			// a subscription made through the Admin API is deleted after 8
			// consecutive failures.
			Delivery: Delivery{
				Timeout: 5 * time.Second, Schedule: svixSchedule, DefaultSchedule: true,
				AfterLast: "Shopify retries 8 times over 4 hours, then deletes a subscription made through the Admin API after 8 consecutive failures",
			},
			Envelope:    Envelope{TypeHeader: "X-Shopify-Topic"}, // the body's id is the order's; the delivery id is X-Shopify-Webhook-Id
			ContentType: "application/json",
			APIVersion:  ShopifyAPIVersion,
			Headers: map[string]string{
				"X-Shopify-Topic":        "{{.Event}}",
				"X-Shopify-Shop-Domain":  "hookctl-dev.myshopify.com",
				"X-Shopify-API-Version":  "{{.APIVersion}}",
				"X-Shopify-Triggered-At": "{{now}}",
				"X-Shopify-Event-Id":     "{{uuid}}",
			},
			Events: shopifyEvents,
		},
		{
			Name: "slack", Title: "Slack", Source: "Slack's Events API and request signing docs, and SDKs",
			Scheme: with(plainHex("X-Slack-Signature", "v0="), func(s *signer.Scheme) {
				s.Signed, s.Headers.Timestamp = signer.SignedSlack, "X-Slack-Request-Timestamp"
				s.Tolerance, s.RejectFuture = DefaultTolerance, true
			}),
			// docs.slack.dev/apis/events-api: answer 2xx within 3 seconds;
			// 3 retries: nearly at once, after 1 minute, after 5 minutes,
			// with X-Slack-Retry-Num and X-Slack-Retry-Reason; an answer
			// with X-Slack-No-Retry: 1 stops them.
			Delivery: Delivery{
				Timeout:  3 * time.Second,
				Schedule: []time.Duration{0, 0, time.Minute, 5 * time.Minute},
				AfterLast: "Slack stops after 3 retries; it disables the event subscription when fewer than 5% of " +
					"deliveries in the last 60 minutes got a 2xx (not for apps receiving fewer than 1,000 events an hour)",
				RetryNumHeader: "X-Slack-Retry-Num", RetryReasonHeader: "X-Slack-Retry-Reason", NoRetryHeader: "X-Slack-No-Retry",
			},
			Envelope:    Envelope{TypePath: "event.type", IDPath: "event_id", Name: slackEventName, Form: slackForm},
			Handshake:   &Handshake{Event: "url_verification", Echo: "challenge"},
			ContentType: "application/json",
			Events: []Event{
				{"url_verification", "The one-time check of a new Request URL: answer with the challenge."},
				{"app_mention", "Events API: the app was mentioned in a channel."},
				{"message.channels", "Events API: a message was posted in a public channel the app is in."},
				{"reaction_added", "Events API: a member added an emoji reaction."},
				{"team_join", "Events API: a new member joined the workspace."},
				{"app_home_opened", "Events API: a user opened the app's Home tab."},
				{"slash_command", "A slash command was invoked (form-encoded body)."},
				{"block_actions", "A user clicked a button in a message (form body with a JSON payload field)."},
			},
		},
		{
			Name: "twilio", Title: "Twilio", Source: "Twilio's webhook docs and libraries",
			Scheme: with(plainHex("X-Twilio-Signature", ""), func(s *signer.Scheme) {
				s.Signed, s.Hash, s.Enc = signer.SignedTwilio, signer.HashSHA1, signer.EncBase64
			}),
			// twilio.com/docs/usage/webhooks/webhooks-connection-overrides:
			// read timeout 15 s, total 15 s; one retry (rc=1), only when
			// the connection fails (rp=ct).
			Delivery: Delivery{
				Timeout: 15 * time.Second, Schedule: []time.Duration{0, 0}, RetryConnectOnly: true,
				AfterLast: "Twilio retries once, and only when it cannot connect; then it tries the fallback URL if one is set",
			},
			Envelope:    Envelope{Form: twilioForm},
			ContentType: "application/x-www-form-urlencoded",
			Events: []Event{
				{"message.received", "An incoming SMS (form-encoded webhook)."},
				{"message.status", "A message status callback (form-encoded)."},
				{"call.received", "An incoming voice call (form-encoded; the answer is TwiML)."},
				{"call.status", "A voice call status callback (form-encoded)."},
			},
		},
	}, moreProviders()...)
}

// slackForm names Slack's form bodies: a slash command, or an interaction
// whose payload field is JSON (block_actions, view_submission...).
func slackForm(v url.Values) (event, id string) {
	if v.Get("command") != "" {
		return "slash_command", v.Get("trigger_id")
	}
	if p := v.Get("payload"); p != "" {
		ty, _ := override.Lookup([]byte(p), "type")
		tr, _ := override.Lookup([]byte(p), "trigger_id")
		return override.Text(ty), override.Text(tr)
	}
	return "", ""
}

// twilioForm names Twilio's callbacks: an incoming message or call, or a
// status callback of one; the id is the message's or call's sid.
func twilioForm(v url.Values) (event, id string) {
	switch {
	case v.Get("CallSid") != "":
		if v.Get("CallStatus") == "ringing" && v.Get("CallbackSource") == "" {
			return "call.received", v.Get("CallSid")
		}
		return "call.status", v.Get("CallSid")
	case v.Get("MessageSid") != "":
		if v.Get("MessageStatus") == "" && v.Get("SmsStatus") == "received" {
			return "message.received", v.Get("MessageSid")
		}
		return "message.status", v.Get("MessageSid")
	}
	return "", ""
}

// withAfterLast returns d with AfterLast set.
func withAfterLast(d Delivery, afterLast string) Delivery {
	d.AfterLast = afterLast
	return d
}

// slackEventName names a Slack body's event: the inner event's type, with
// message events named by their subscription (message.channels), and the
// outer type for bodies without an inner event (url_verification).
func slackEventName(field func(string) string) string {
	ev := field("event.type")
	if ev == "" {
		return field("type")
	}
	if ev == "message" {
		switch ct := field("event.channel_type"); ct {
		case "channel", "group":
			return ev + "." + ct + "s"
		case "im", "mpim", "app_home":
			return ev + "." + ct
		}
	}
	return ev
}

// crud lists created/updated/deleted for each noun, worded as notifly's
// document words them.
func crud(nouns ...string) []Event {
	var out []Event
	for _, n := range nouns {
		article := "A"
		if strings.ContainsRune("aeiou", rune(n[0])) {
			article = "An"
		}
		out = append(out,
			Event{n + ".created", "A new " + n + " was created."},
			Event{n + ".updated", "An existing " + n + " was updated."},
			Event{n + ".deleted", article + " " + n + " was successfully deleted."},
		)
	}
	return out
}
