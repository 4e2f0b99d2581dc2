package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
)

// testClock is the fixed time templates render at in these tests.
var testClock = time.Date(2025, 2, 18, 10, 30, 0, 456_000_000, time.UTC)

func renderAt(t *testing.T, p *catalog.Provider, event string, g *ids.Generator) *Rendered {
	t.Helper()
	r, err := Render(p, event, RenderOptions{Now: testClock, IDs: g})
	if err != nil {
		t.Fatalf("%s %s: %v", p.Name, event, err)
	}
	return r
}

func newCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// renderedHeader gives a rendered body's provider headers as a request would carry them.
func renderedHeader(r *Rendered) http.Header {
	h := http.Header{}
	for _, x := range r.Headers {
		h.Set(x.Name, x.Value)
	}
	return h
}

var (
	reXIDEvt  = regexp.MustCompile(`^evt_[0-9a-v]{20}$`)
	reXIDCon  = regexp.MustCompile(`^con_[0-9a-v]{20}$`)
	reAlnum16 = regexp.MustCompile(`^[A-Za-z0-9]{16}$`)
	reUUID    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	reGeneric = regexp.MustCompile(`^evt_[A-Za-z0-9]{24}$`)
	reStripe  = regexp.MustCompile(`^evt_[A-Za-z0-9]{24}$`)
	reTwilio  = regexp.MustCompile(`^SM[0-9a-f]{32}$`)
	reAccount = regexp.MustCompile(`^AC[0-9a-f]{32}$`)
	reSlackEv = regexp.MustCompile(`^Ev[0-9A-Z]{8,}$`)
	reSHA     = regexp.MustCompile(`^[0-9a-f]{40}$`)
	// Shopify's REST ids are 10 to 14 digits.
	reShopifyID = regexp.MustCompile(`^[1-9][0-9]{9,13}$`)
)

// envelopeCheck checks one provider's envelope in a decoded JSON body.
type envelopeCheck func(t *testing.T, event string, doc map[string]any)

func require(t *testing.T, event string, doc map[string]any, paths ...string) {
	t.Helper()
	for _, path := range paths {
		if !hasPath(doc, path) {
			t.Errorf("%s: envelope has no %q", event, path)
		}
	}
}

// hasPath reports whether a dotted path exists (a null value counts).
func hasPath(doc map[string]any, path string) bool {
	parent, last := "", path
	if i := strings.LastIndex(path, "."); i >= 0 {
		parent, last = path[:i], path[i+1:]
	}
	m := doc
	if parent != "" {
		var ok bool
		if m, ok = lookupPath(doc, parent).(map[string]any); !ok {
			return false
		}
	}
	_, ok := m[last]
	return ok
}

func match(t *testing.T, event, path string, doc map[string]any, re *regexp.Regexp) {
	t.Helper()
	if v := str(lookupPath(doc, path)); !re.MatchString(v) {
		t.Errorf("%s: %s = %q, want %s", event, path, v, re)
	}
}

func equal(t *testing.T, event, path string, doc map[string]any, want string) {
	t.Helper()
	if v := str(lookupPath(doc, path)); v != want {
		t.Errorf("%s: %s = %q, want %q", event, path, v, want)
	}
}

var (
	clockMs   = testClock.Format("2006-01-02T15:04:05.000Z")
	clockSec  = testClock.Format(time.RFC3339)
	clockUnix = fmt.Sprint(testClock.Unix())
)

var envelopes = map[string]envelopeCheck{
	"notify": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "event_id", "event", "timestamp", "data", "data.connection_id")
		match(t, ev, "event_id", doc, reXIDEvt)
		match(t, ev, "data.connection_id", doc, reXIDCon)
		equal(t, ev, "timestamp", doc, clockMs)
		if ev == "connection.updated" {
			require(t, ev, doc, "data.user_id", "data.status")
			equal(t, ev, "data.status", doc, "paused")
		}
	},
	"notifly": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "id", "type", "payload", "payload.id")
		match(t, ev, "id", doc, reAlnum16)
		match(t, ev, "payload.id", doc, reAlnum16)
		if strings.HasPrefix(ev, "message.") && !strings.HasSuffix(ev, ".deleted") {
			require(t, ev, doc, "payload.conversation_id", "payload.contact.id", "payload.contact.username",
				"payload.contact.phone_number", "payload.contact.avatar_url", "payload.contact.last_active_at",
				"payload.contact.created_at", "payload.message", "payload.reactions", "payload.attachments",
				"payload.read_at", "payload.created_at", "payload.updated_at")
			match(t, ev, "payload.contact.id", doc, reAlnum16)
			equal(t, ev, "payload.created_at", doc, clockUnixFor(ev))
		}
	},
	"generic": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "id", "type", "created_at", "data.object", "data.object.id", "previous_data")
		match(t, ev, "id", doc, reGeneric)
		equal(t, ev, "created_at", doc, clockSec)
		obj, _ := lookupPath(doc, "data.object").(map[string]any)
		prefix := map[string]string{"resource": "res_", "user": "usr_", "payment": "pay_"}[strings.Split(ev, ".")[0]]
		if id := str(obj["id"]); !strings.HasPrefix(id, prefix) || len(id) < len(prefix)+8 {
			t.Errorf("%s: data.object.id = %q, want %s + an id", ev, id, prefix)
		}
		prev := doc["previous_data"]
		if !strings.HasSuffix(ev, ".updated") {
			if prev != nil {
				t.Errorf("%s: previous_data = %v, want null (only *.updated has it)", ev, prev)
			}
		} else {
			old, ok := prev.(map[string]any)
			if !ok || len(old) == 0 {
				t.Fatalf("%s: previous_data = %v, want the old values of the changed fields", ev, prev)
			}
			for k, v := range old {
				now, exists := obj[k]
				if !exists || fmt.Sprint(now) == fmt.Sprint(v) {
					t.Errorf("%s: previous_data.%s = %v is not a changed field of data.object (now %v)", ev, k, v, now)
				}
			}
		}
		if strings.HasPrefix(ev, "payment.") {
			require(t, ev, doc, "data.object.amount", "data.object.currency", "data.object.status")
			if n, ok := obj["amount"].(json.Number); !ok || strings.ContainsAny(n.String(), ".eE") {
				t.Errorf("%s: amount = %v, want an integer in minor units", ev, obj["amount"])
			}
		}
		if ev == "payment.failed" {
			equal(t, ev, "data.object.status", doc, "failed")
			require(t, ev, doc, "data.object.failure_code", "data.object.failure_message")
		}
	},
	"notion": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "id", "timestamp", "workspace_id", "workspace_name", "subscription_id", "integration_id",
			"type", "authors", "accessible_by", "attempt_number", "api_version", "entity.id", "entity.type", "data")
		for _, path := range []string{"id", "workspace_id", "subscription_id", "integration_id", "entity.id"} {
			match(t, ev, path, doc, reUUID)
		}
		equal(t, ev, "timestamp", doc, clockMs)
		equal(t, ev, "attempt_number", doc, "1")
		match(t, ev, "api_version", doc, regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`))
		authors, _ := doc["authors"].([]any)
		if len(authors) == 0 {
			t.Errorf("%s: authors is empty", ev)
		}
		for _, a := range authors {
			m, _ := a.(map[string]any)
			if ty := str(m["type"]); !slices.Contains([]string{"person", "bot", "agent"}, ty) || !reUUID.MatchString(str(m["id"])) {
				t.Errorf("%s: author %v, want {id: uuid, type: person|bot|agent}", ev, a)
			}
		}
		noun := strings.Split(ev, ".")[0]
		equal(t, ev, "entity.type", doc, noun) // page, database, data_source, comment
		if noun == "comment" {
			require(t, ev, doc, "data.page_id", "data.parent.id", "data.parent.type")
		} else {
			require(t, ev, doc, "data.parent.id", "data.parent.type")
		}
		switch strings.Split(ev, ".")[1] {
		case "content_updated":
			require(t, ev, doc, "data.updated_blocks")
		case "properties_updated":
			require(t, ev, doc, "data.updated_properties")
		case "schema_updated":
			props, _ := lookupPath(doc, "data.updated_properties").([]any)
			if len(props) == 0 {
				t.Errorf("%s: data.updated_properties is empty", ev)
			}
			for _, p := range props {
				m, _ := p.(map[string]any)
				if !slices.Contains([]string{"created", "updated", "deleted"}, str(m["action"])) || str(m["id"]) == "" {
					t.Errorf("%s: updated property %v, want {id, name, action: created|updated|deleted}", ev, p)
				}
			}
		}
	},
	"standard": standardEnvelope,
	"svix":     standardEnvelope,
	"stripe": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "id", "object", "api_version", "created", "data.object.object",
			"livemode", "pending_webhooks", "request.id", "request.idempotency_key", "type")
		match(t, ev, "id", doc, reStripe)
		equal(t, ev, "object", doc, "event")
		equal(t, ev, "api_version", doc, catalog.StripeAPIVersion)
		equal(t, ev, "created", doc, clockUnix)
		equal(t, ev, "pending_webhooks", doc, "1")
		if doc["livemode"] != false {
			t.Errorf("%s: livemode = %v, want false", ev, doc["livemode"])
		}
		object := stripeObject(ev)
		equal(t, ev, "data.object.object", doc, object)
		if ev == "invoice.upcoming" {
			// The upcoming invoice is a preview: it has no id yet.
			if hasPath(doc, "data.object.id") {
				t.Errorf("%s: data.object.id is set; the upcoming invoice has none", ev)
			}
		} else {
			match(t, ev, "data.object.id", doc, stripeIDs[object])
		}
		prev, hasPrev := lookupPath(doc, "data.previous_attributes").(map[string]any)
		if strings.HasSuffix(ev, ".updated") || ev == "charge.refunded" {
			if !hasPrev || len(prev) == 0 {
				t.Errorf("%s: data.previous_attributes = %v, want the old values of the changed fields", ev, prev)
			}
			obj, _ := lookupPath(doc, "data.object").(map[string]any)
			for k, v := range prev {
				if now, ok := obj[k]; !ok || fmt.Sprint(now) == fmt.Sprint(v) {
					t.Errorf("%s: previous_attributes.%s = %v is not a changed field (now %v)", ev, k, v, now)
				}
			}
		} else if hasPath(doc, "data.previous_attributes") {
			t.Errorf("%s: data.previous_attributes set on an event that changes nothing", ev)
		}
	},
	"github": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "sender.login", "installation.id")
		if ev != "installation.created" {
			require(t, ev, doc, "repository.full_name", "repository.owner.login")
		}
		if _, action, ok := strings.Cut(ev, "."); ok {
			equal(t, ev, "action", doc, action)
		} else if hasPath(doc, "action") {
			t.Errorf("%s: the body has an action; event names carry it (event.action)", ev)
		}
		switch ev {
		case "ping":
			require(t, ev, doc, "zen", "hook_id", "hook.id", "hook.config.url")
			equal(t, ev, "hook.id", doc, str(doc["hook_id"]))
		case "push":
			require(t, ev, doc, "ref", "pusher.name", "commits", "head_commit.id")
			match(t, ev, "before", doc, reSHA)
			match(t, ev, "after", doc, reSHA)
			equal(t, ev, "head_commit.id", doc, str(doc["after"]))
		case "create", "delete":
			require(t, ev, doc, "ref", "ref_type", "pusher_type")
		case "fork":
			wantTrue(t, ev, "forkee.fork", doc)
		case "issues.opened", "issues.closed":
			require(t, ev, doc, "issue.number", "issue.title", "issue.user.login")
			equal(t, ev, "issue.state", doc, strings.TrimPrefix(strings.TrimPrefix(ev, "issues."), "opened")+map[string]string{"issues.opened": "open"}[ev])
		case "pull_request.closed":
			wantTrue(t, ev, "pull_request.merged", doc)
			equal(t, ev, "pull_request.state", doc, "closed")
			match(t, ev, "pull_request.merge_commit_sha", doc, reSHA)
		case "workflow_run.completed":
			equal(t, ev, "workflow_run.conclusion", doc, "success")
			equal(t, ev, "workflow_run.workflow_id", doc, str(lookupPath(doc, "workflow.id")))
		case "check_run.completed":
			equal(t, ev, "check_run.check_suite.head_sha", doc, str(lookupPath(doc, "check_run.head_sha")))
		}
		if strings.HasPrefix(ev, "pull_request") {
			require(t, ev, doc, "pull_request.number", "pull_request.head.sha", "pull_request.base.ref")
			match(t, ev, "pull_request.head.sha", doc, reSHA)
		}
	},
	"shopify": func(t *testing.T, ev string, doc map[string]any) {
		numeric := func(path string) {
			t.Helper()
			if _, ok := lookupPath(doc, path).(json.Number); !ok {
				t.Errorf("%s: %s = %v, want a number (Shopify ids are numeric)", ev, path, lookupPath(doc, path))
			}
			match(t, ev, path, doc, reShopifyID)
		}
		switch ev {
		case "customers/data_request", "customers/redact", "shop/redact":
			require(t, ev, doc, "shop_id", "shop_domain")
			numeric("shop_id")
			if ev != "shop/redact" {
				numeric("customer.id")
			}
			return
		case "inventory_levels/update":
			require(t, ev, doc, "available", "updated_at", "admin_graphql_api_id")
			numeric("inventory_item_id")
			numeric("location_id")
			return
		case "carts/update":
			require(t, ev, doc, "token", "line_items", "updated_at", "created_at")
			equal(t, ev, "id", doc, str(doc["token"]))
			return
		case "products/delete":
			numeric("id")
			if len(doc) != 1 {
				t.Errorf("%s: body %v, want only the deleted product's id", ev, doc)
			}
			return
		}
		require(t, ev, doc, "created_at", "updated_at")
		numeric("id")
		noun := strings.Split(ev, "/")[0]
		switch noun {
		case "orders":
			require(t, ev, doc, "admin_graphql_api_id", "line_items", "total_price", "currency", "order_number", "customer.id", "financial_status")
		case "products":
			require(t, ev, doc, "admin_graphql_api_id", "title", "variants")
		case "customers":
			require(t, ev, doc, "admin_graphql_api_id", "email", "default_address")
		case "checkouts":
			require(t, ev, doc, "token", "line_items", "abandoned_checkout_url")
		case "app":
			require(t, ev, doc, "myshopify_domain", "domain", "plan_name")
		}
		switch ev {
		case "orders/cancelled":
			require(t, ev, doc, "cancel_reason")
			match(t, ev, "cancelled_at", doc, regexp.MustCompile(`^\d{4}-`))
		case "orders/fulfilled":
			equal(t, ev, "fulfillment_status", doc, "fulfilled")
		case "orders/paid":
			equal(t, ev, "financial_status", doc, "paid")
		}
	},
	"slack": func(t *testing.T, ev string, doc map[string]any) {
		if ev == "url_verification" {
			require(t, ev, doc, "token", "challenge")
			equal(t, ev, "type", doc, "url_verification")
			return
		}
		require(t, ev, doc, "token", "team_id", "api_app_id", "event.type", "event.event_ts", "event_time", "authorizations")
		equal(t, ev, "type", doc, "event_callback")
		match(t, ev, "event_id", doc, reSlackEv)
		equal(t, ev, "event_time", doc, clockUnix)
		switch ev {
		case "app_mention", "message.channels":
			require(t, ev, doc, "event.user", "event.text", "event.ts", "event.channel")
		case "reaction_added":
			require(t, ev, doc, "event.user", "event.reaction", "event.item.channel", "event.item.ts")
		case "team_join":
			require(t, ev, doc, "event.user.id", "event.user.profile.email")
		case "app_home_opened":
			require(t, ev, doc, "event.user", "event.channel", "event.tab")
		}
	},
}

func wantTrue(t *testing.T, event, path string, doc map[string]any) {
	t.Helper()
	if v := lookupPath(doc, path); v != true {
		t.Errorf("%s: %s = %v, want true", event, path, v)
	}
}

// stripeObject is the object type an event carries: the event's name
// without its action, the last noun of nested names (charge.dispute → dispute).
func stripeObject(event string) string {
	name := event[:strings.LastIndex(event, ".")]
	switch name {
	case "checkout.session":
		return name
	case "customer.subscription", "charge.dispute":
		return name[strings.Index(name, ".")+1:]
	}
	return name
}

// stripeIDs are Stripe's id formats per object type.
var stripeIDs = map[string]*regexp.Regexp{
	"checkout.session": regexp.MustCompile(`^cs_test_[A-Za-z0-9]{58}$`),
	"payment_intent":   regexp.MustCompile(`^pi_[A-Za-z0-9]{24}$`),
	"charge":           regexp.MustCompile(`^ch_[A-Za-z0-9]{24}$`),
	"dispute":          regexp.MustCompile(`^du_[A-Za-z0-9]{24}$`),
	"customer":         regexp.MustCompile(`^cus_[A-Za-z0-9]{14}$`),
	"subscription":     regexp.MustCompile(`^sub_[A-Za-z0-9]{24}$`),
	"invoice":          regexp.MustCompile(`^in_[A-Za-z0-9]{24}$`),
	"setup_intent":     regexp.MustCompile(`^seti_[A-Za-z0-9]{24}$`),
	"payment_method":   regexp.MustCompile(`^pm_[A-Za-z0-9]{24}$`),
	"product":          regexp.MustCompile(`^prod_[A-Za-z0-9]{14}$`),
	"price":            regexp.MustCompile(`^price_[A-Za-z0-9]{24}$`),
	"payout":           regexp.MustCompile(`^po_[A-Za-z0-9]{24}$`),
	"account":          regexp.MustCompile(`^acct_[A-Za-z0-9]{16}$`),
}

// clockUnixFor gives the unix time a notifly message template stamps its
// created_at with: now for a new message, earlier for an edited one.
func clockUnixFor(event string) string {
	if event == "message.updated" {
		return fmt.Sprint(testClock.Unix() - 600)
	}
	return clockUnix
}

func standardEnvelope(t *testing.T, ev string, doc map[string]any) {
	require(t, ev, doc, "type", "timestamp", "data")
	ts, err := time.Parse(time.RFC3339, str(doc["timestamp"]))
	if err != nil || !ts.Equal(testClock) {
		t.Errorf("%s: timestamp = %v, want the clock %s", ev, doc["timestamp"], clockMs)
	}
	if _, ok := doc["data"].(map[string]any); !ok {
		t.Errorf("%s: data = %v, want an object", ev, doc["data"])
	}
}

// formChecks are the fields a form-encoded template must carry.
var formChecks = map[string]func(t *testing.T, ev string, v url.Values){
	"slack/slash_command": func(t *testing.T, ev string, v url.Values) {
		for _, k := range []string{"token", "team_id", "channel_id", "user_id", "command", "response_url", "trigger_id"} {
			if v.Get(k) == "" {
				t.Errorf("%s: form has no %s", ev, k)
			}
		}
		if !strings.HasPrefix(v.Get("command"), "/") {
			t.Errorf("%s: command = %q, want /name", ev, v.Get("command"))
		}
	},
	"slack/block_actions": func(t *testing.T, ev string, v url.Values) {
		if len(v) != 1 || v.Get("payload") == "" {
			t.Fatalf("%s: form %v, want one payload field", ev, v)
		}
		doc, err := decode([]byte(v.Get("payload")))
		if err != nil {
			t.Fatalf("%s: payload is not JSON: %v", ev, err)
		}
		equal(t, ev, "type", doc, "block_actions")
		require(t, ev, doc, "user.id", "team.id", "api_app_id", "trigger_id", "response_url", "container.message_ts", "channel.id")
		actions, _ := doc["actions"].([]any)
		if len(actions) == 0 {
			t.Fatalf("%s: payload has no actions", ev)
		}
		if a, _ := actions[0].(map[string]any); str(a["action_id"]) == "" || str(a["type"]) == "" {
			t.Errorf("%s: action %v, want action_id and type", ev, actions[0])
		}
	},
	"twilio/call.received": func(t *testing.T, ev string, v url.Values) {
		twilioCall(t, ev, v, "To", "From", "Called", "Caller", "Direction", "ApiVersion")
		if v.Get("CallStatus") != "ringing" {
			t.Errorf("%s: CallStatus = %q, want ringing", ev, v.Get("CallStatus"))
		}
	},
	"twilio/call.status": func(t *testing.T, ev string, v url.Values) {
		twilioCall(t, ev, v, "To", "From", "CallDuration", "Timestamp", "CallbackSource", "SequenceNumber", "ApiVersion")
		if v.Get("CallStatus") != "completed" {
			t.Errorf("%s: CallStatus = %q, want completed", ev, v.Get("CallStatus"))
		}
	},
	"twilio/message.received": func(t *testing.T, ev string, v url.Values) {
		twilioForm(t, ev, v, "To", "From", "Body", "NumMedia", "NumSegments", "SmsStatus", "ApiVersion")
		if v.Get("SmsStatus") != "received" {
			t.Errorf("%s: SmsStatus = %q, want received", ev, v.Get("SmsStatus"))
		}
	},
	"twilio/message.status": func(t *testing.T, ev string, v url.Values) {
		twilioForm(t, ev, v, "To", "From", "MessageStatus", "ApiVersion")
		if v.Get("MessageStatus") != "delivered" {
			t.Errorf("%s: MessageStatus = %q, want delivered", ev, v.Get("MessageStatus"))
		}
	},
}

var reCall = regexp.MustCompile(`^CA[0-9a-f]{32}$`)

// twilioFields checks the fields every Twilio form carries.
func twilioFields(t *testing.T, ev string, v url.Values, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if v.Get(k) == "" {
			t.Errorf("%s: form has no %s", ev, k)
		}
	}
	if !reAccount.MatchString(v.Get("AccountSid")) {
		t.Errorf("%s: AccountSid = %q, want AC + 32 hex", ev, v.Get("AccountSid"))
	}
}

func twilioCall(t *testing.T, ev string, v url.Values, keys ...string) {
	t.Helper()
	twilioFields(t, ev, v, keys...)
	if !reCall.MatchString(v.Get("CallSid")) {
		t.Errorf("%s: CallSid = %q, want CA + 32 hex", ev, v.Get("CallSid"))
	}
}

func twilioForm(t *testing.T, ev string, v url.Values, keys ...string) {
	t.Helper()
	twilioFields(t, ev, v, keys...)
	if !reTwilio.MatchString(v.Get("MessageSid")) {
		t.Errorf("%s: MessageSid = %q, want SM + 32 hex", ev, v.Get("MessageSid"))
	}
	if v.Get("SmsSid") != v.Get("MessageSid") {
		t.Errorf("%s: SmsSid %q differs from MessageSid %q", ev, v.Get("SmsSid"), v.Get("MessageSid"))
	}
}

func decode(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return asDoc(v)
}

func TestEveryTemplateRendersInItsEnvelope(t *testing.T) {
	for _, p := range catalog.Builtins() {
		for _, ev := range p.EventNames() {
			t.Run(p.Name+"/"+catalog.FileName(ev), func(t *testing.T) {
				r := renderAt(t, p, ev, ids.Seeded(1, 2))
				if r.Event != ev {
					t.Errorf("Rendered.Event = %q, want %q", r.Event, ev)
				}
				_, file, err := p.TemplateSource(ev)
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasSuffix(file, ".form") {
					if r.ContentType != "application/x-www-form-urlencoded" {
						t.Errorf("content type %q, want a form", r.ContentType)
					}
					if bytes.ContainsAny(r.Body, "\r\n \t") {
						t.Errorf("form body has whitespace: %q", r.Body)
					}
					v, err := url.ParseQuery(string(r.Body))
					if err != nil {
						t.Fatalf("form body does not parse: %v", err)
					}
					check := formChecks[p.Name+"/"+ev]
					if check == nil {
						t.Fatalf("no form check for %s %s: add one to formChecks", p.Name, ev)
					}
					check(t, ev, v)
					if gotEvent, gotID := p.DescribeBody(r.Body); gotEvent != ev || gotID == "" || gotID != r.EventID {
						t.Errorf("the form names event %q id %q (Rendered.EventID %q), want %q and its id", gotEvent, gotID, r.EventID, ev)
					}
					return
				}
				if !json.Valid(r.Body) {
					t.Fatalf("body is not valid JSON: %s", r.Body)
				}
				var compact bytes.Buffer
				_ = json.Compact(&compact, r.Body)
				if !bytes.Equal(compact.Bytes(), r.Body) {
					t.Errorf("body is not compact JSON: %s", r.Body)
				}
				if !strings.HasPrefix(r.ContentType, "application/json") {
					t.Errorf("content type %q, want JSON", r.ContentType)
				}
				gotEvent, gotID := p.Describe(renderedHeader(r), r.Body)
				if gotEvent != ev {
					t.Errorf("the body (and provider headers) name event %q, want %q", gotEvent, ev)
				}
				if p.Envelope.IDPath != "" && !p.IsHandshake(ev) {
					if gotID == "" || r.EventID != gotID {
						t.Errorf("event id: Rendered.EventID %q, from the body %q; want the same non-empty id", r.EventID, gotID)
					}
				}
				doc, err := decode(r.Body)
				if err != nil {
					t.Fatalf("decoding: %v", err)
				}
				check := envelopeFor(p.Name)
				if check == nil {
					t.Fatalf("no envelope check for provider %s: add one to envelopes", p.Name)
				}
				check(t, ev, doc)
			})
		}
	}
}

func TestProviderHeadersCarryTheEvent(t *testing.T) {
	c := newCatalog(t)
	cases := []struct{ provider, event, header, want string }{
		{"github", "issues.opened", "X-GitHub-Event", "issues"},
		{"github", "push", "X-GitHub-Event", "push"},
		{"shopify", "orders/create", "X-Shopify-Topic", "orders/create"},
		{"shopify", "products/update", "X-Shopify-Topic", "products/update"},
		{"github", "pull_request.opened", "X-GitHub-Event", "pull_request"},
		{"github", "star.created", "X-GitHub-Event", "star"},
		{"github", "installation.created", "X-GitHub-Hook-Installation-Target-Type", "repository"},
		{"shopify", "shop/redact", "X-Shopify-Topic", "shop/redact"},
		{"shopify", "orders/paid", "X-Shopify-API-Version", catalog.ShopifyAPIVersion},
		{"shopify", "orders/paid", "X-Shopify-Triggered-At", clockMs},
		{"shopify", "orders/paid", "X-Shopify-Shop-Domain", "hookctl-dev.myshopify.com"},
	}
	for _, tc := range cases {
		p, _ := c.Lookup(tc.provider)
		r := renderAt(t, p, tc.event, ids.Seeded(3, 4))
		if got := renderedHeader(r).Get(tc.header); got != tc.want {
			t.Errorf("%s %s: %s = %q, want %q", tc.provider, tc.event, tc.header, got, tc.want)
		}
	}
	fresh := []struct {
		provider, header string
		re               *regexp.Regexp
	}{
		{"github", "X-GitHub-Hook-ID", regexp.MustCompile(`^[0-9]{9}$`)},
		{"github", "X-GitHub-Hook-Installation-Target-ID", regexp.MustCompile(`^[1-9][0-9]{8}$`)},
		{"shopify", "X-Shopify-Event-Id", reUUID},
	}
	for _, tc := range fresh {
		p, _ := c.Lookup(tc.provider)
		ev := p.EventNames()[0]
		a := renderedHeader(renderAt(t, p, ev, ids.Seeded(1, 1))).Get(tc.header)
		b := renderedHeader(renderAt(t, p, ev, ids.Seeded(2, 2))).Get(tc.header)
		if !tc.re.MatchString(a) || a == b {
			t.Errorf("%s: %s = %q then %q, want a fresh %s per delivery", tc.provider, tc.header, a, b, tc.re)
		}
	}
}

func TestRenderIsReproducibleAndFresh(t *testing.T) {
	for _, p := range catalog.Builtins() {
		for _, ev := range p.EventNames() {
			a := renderAt(t, p, ev, ids.Seeded(7, 8))
			b := renderAt(t, p, ev, ids.Seeded(7, 8))
			if !bytes.Equal(a.Body, b.Body) || !slices.Equal(a.Headers, b.Headers) {
				t.Errorf("%s %s: the same seed and clock gave different output:\n%s\n%s", p.Name, ev, a.Body, b.Body)
			}
			// An unseeded generator (what commands use) gives fresh ids each time.
			x, err := Render(p, ev, RenderOptions{Now: testClock})
			if err != nil {
				t.Fatal(err)
			}
			y, err := Render(p, ev, RenderOptions{Now: testClock})
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(x.Body, y.Body) {
				t.Errorf("%s %s: two renders gave the same body; ids must be fresh: %s", p.Name, ev, x.Body)
			}
			if p.Envelope.IDPath != "" && !p.IsHandshake(ev) && json.Valid(x.Body) && (x.EventID == y.EventID || x.EventID == "") {
				t.Errorf("%s %s: two renders gave event ids %q and %q, want two fresh ids", p.Name, ev, x.EventID, y.EventID)
			}
		}
	}
}

// TestNoFixedIDs catches a template that hard-codes an id: every "id" value
// of a rendered JSON body must change between two renders.
func TestNoFixedIDs(t *testing.T) {
	for _, p := range catalog.Builtins() {
		for _, ev := range p.EventNames() {
			a := renderAt(t, p, ev, ids.Seeded(1, 1))
			b := renderAt(t, p, ev, ids.Seeded(2, 2))
			if !json.Valid(a.Body) {
				continue // forms: checked by formChecks
			}
			da, _ := decode(a.Body)
			db, _ := decode(b.Body)
			for path, v := range idValues(da, "") {
				if w, ok := idValues(db, "")[path]; ok && v == w && v != "" {
					t.Errorf("%s %s: %s is %q in both renders; make it fresh per render", p.Name, ev, path, v)
				}
			}
		}
	}
}

// fixedIDs are id fields that are rightly the same in every delivery:
// Shopify's app_id 580111 is its Online Store sales channel; a license's
// spdx_id is its name.
// GitHub's hosted runners are runner group 2; Discord's custom_id is the app's own name of a component.
var fixedIDs = map[string]bool{"app_id": true, "spdx_id": true, "runner_group_id": true, "custom_id": true}

// fixedObjects are objects whose ids are the same in every delivery:
// GitHub's MIT license and its GitHub Actions app are real, fixed records.
var fixedObjects = []string{"license", "app"}

func inFixedObject(path string) bool {
	for _, o := range fixedObjects {
		if path == o || strings.HasSuffix(path, "."+o) {
			return true
		}
	}
	return false
}

// idValues collects the values of keys named id or *_id (except property ids
// of Notion's schema, which are short fixed names, and fixedIDs).
func idValues(v any, path string) map[string]string {
	out := map[string]string{}
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			p := strings.TrimPrefix(path+"."+k, ".")
			if s := str(x); s != "" && (k == "id" || strings.HasSuffix(k, "_id")) && !fixedIDs[k] && !strings.Contains(path, "updated_properties") && !inFixedObject(path) {
				out[p] = s
			}
			for kk, vv := range idValues(x, p) {
				out[kk] = vv
			}
		}
	case []any:
		for i, x := range t {
			for kk, vv := range idValues(x, fmt.Sprintf("%s[%d]", path, i)) {
				out[kk] = vv
			}
		}
	}
	return out
}

func TestTimestampsFollowTheClock(t *testing.T) {
	later := testClock.Add(90 * time.Minute)
	c := newCatalog(t)
	cases := []struct{ provider, event, path, want string }{
		{"notify", "connection.created", "timestamp", later.Format("2006-01-02T15:04:05.000Z")},
		{"notifly", "message.created", "payload.created_at", fmt.Sprint(later.Unix())},
		{"generic", "payment.succeeded", "created_at", later.Format(time.RFC3339)},
		{"notion", "page.locked", "timestamp", later.Format("2006-01-02T15:04:05.000Z")},
		{"stripe", "customer.created", "created", fmt.Sprint(later.Unix())},
		{"slack", "app_mention", "event_time", fmt.Sprint(later.Unix())},
		{"standard", "invoice.paid", "timestamp", later.Format("2006-01-02T15:04:05.000Z")},
	}
	for _, tc := range cases {
		p, _ := c.Lookup(tc.provider)
		r, err := Render(p, tc.event, RenderOptions{Now: later, IDs: ids.Seeded(5, 6)})
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := decode(r.Body)
		if got := str(lookupPath(doc, tc.path)); got != tc.want {
			t.Errorf("%s %s: %s = %q, want %q from the clock", tc.provider, tc.event, tc.path, got, tc.want)
		}
	}
}

// TestRenderErrorsKeepTheirStyle: errors at render still read
// "template NAME: ..." with text/template's location and context.
func TestRenderErrorsKeepTheirStyle(t *testing.T) {
	p := catalog.Builtins()[0]
	_, err := RenderSource(p, "x.created", "x.json", []byte("{\n\"a\": \"{{.Nope}}\"}"), RenderOptions{})
	want := `template x.json: template: x.json:2:8: executing "x.json" at <.Nope>: map has no entry for key "Nope"`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}
