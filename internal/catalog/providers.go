// Package catalog is hookctl's one list of providers: their events, payload
// templates, signature schemes and delivery rules. Every command reads it.
package catalog

import (
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/ids"
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
}

// Provider is one entry of the catalogue.
type Provider struct {
	Name        string
	Aliases     []string
	Title       string // a short human name
	Source      string // where the facts come from
	Scheme      signer.Scheme
	Delivery    Delivery
	Handshake   *Handshake // its subscription verification request, if any (notion)
	Envelope    Envelope
	Events      []Event
	ContentType string            // default Content-Type of its requests
	Headers     map[string]string // extra headers it sends, as templates (rendered by package templates)
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
				{"user.signup", "A new user signed up."},
			},
		}
	}
	standard := svixLike("standard", "Standard Webhooks", "webhook", "standard-webhooks")
	svix := svixLike("svix", "Svix", "svix")

	return []*Provider{
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
			Name: "stripe", Title: "Stripe", Source: "Stripe's official libraries",
			Scheme: with(plainHex("Stripe-Signature", "v1="), func(s *signer.Scheme) {
				s.Signed, s.Format, s.Tolerance = signer.SignedTimestampBody, signer.FormatStripe, DefaultTolerance
				// Secret stays text: the whole whsec_... string is the key, not decoded.
			}),
			Delivery:    DefaultDelivery(),
			Envelope:    Envelope{TypePath: "type", IDPath: "id"},
			ContentType: "application/json; charset=utf-8",
			Events: []Event{
				{"payment_intent.succeeded", "A PaymentIntent completed successfully."},
				{"customer.created", "A new customer was created."},
			},
		},
		{
			Name: "github", Title: "GitHub", Source: "GitHub's webhook docs and octokit/webhooks",
			Scheme: with(plainHex("X-Hub-Signature-256", "sha256="), func(s *signer.Scheme) {
				s.Headers.ID, s.IDKind = "X-GitHub-Delivery", ids.KindUUID
				s.Extra = []signer.Extra{{Header: "X-Hub-Signature", Hash: signer.HashSHA1, Prefix: "sha1="}}
			}),
			Delivery:    DefaultDelivery(),
			Envelope:    Envelope{TypeHeader: "X-GitHub-Event", TypeFromSub: true},
			ContentType: "application/json",
			Headers: map[string]string{
				"X-GitHub-Event":                         "{{.EventBase}}",
				"X-GitHub-Hook-ID":                       "{{digits 9}}",
				"X-GitHub-Hook-Installation-Target-Type": "repository",
			},
			Events: []Event{
				{"ping", "Sent when a webhook is created."},
				{"push", "Commits were pushed to a branch or tag."},
				{"issues.opened", "An issue was opened."},
			},
		},
		{
			Name: "shopify", Title: "Shopify", Source: "Shopify's webhook docs and libraries",
			Scheme: with(plainHex("X-Shopify-Hmac-Sha256", ""), func(s *signer.Scheme) {
				s.Enc, s.Headers.ID, s.IDKind = signer.EncBase64, "X-Shopify-Webhook-Id", ids.KindUUID
			}),
			Delivery:    DefaultDelivery(),
			Envelope:    Envelope{TypeHeader: "X-Shopify-Topic"}, // the body's id is the order's; the delivery id is X-Shopify-Webhook-Id
			ContentType: "application/json",
			Headers: map[string]string{
				"X-Shopify-Topic":       "{{.Event}}",
				"X-Shopify-Shop-Domain": "hookctl-dev.myshopify.com",
				"X-Shopify-API-Version": "2025-01",
			},
			Events: []Event{
				{"orders/create", "An order was placed."},
				{"products/update", "A product was updated."},
			},
		},
		{
			Name: "slack", Title: "Slack", Source: "Slack's request signing docs and SDKs",
			Scheme: with(plainHex("X-Slack-Signature", "v0="), func(s *signer.Scheme) {
				s.Signed, s.Headers.Timestamp = signer.SignedSlack, "X-Slack-Request-Timestamp"
				s.Tolerance, s.RejectFuture = DefaultTolerance, true
			}),
			Delivery:    DefaultDelivery(),
			Envelope:    Envelope{TypePath: "event.type", IDPath: "event_id"},
			ContentType: "application/json",
			Events: []Event{
				{"app_mention", "Events API: the app was mentioned in a channel."},
				{"slash_command", "A slash command was invoked (form-encoded body)."},
			},
		},
		{
			Name: "twilio", Title: "Twilio", Source: "Twilio's request validation docs and libraries",
			Scheme: with(plainHex("X-Twilio-Signature", ""), func(s *signer.Scheme) {
				s.Signed, s.Hash, s.Enc = signer.SignedTwilio, signer.HashSHA1, signer.EncBase64
			}),
			Delivery:    DefaultDelivery(),
			Envelope:    Envelope{},
			ContentType: "application/x-www-form-urlencoded",
			Events: []Event{
				{"message.received", "An incoming SMS (form-encoded webhook)."},
				{"message.status", "A message status callback (form-encoded)."},
			},
		},
	}
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
