package catalog

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newCatalog(t *testing.T, custom ...*Provider) *Catalog {
	t.Helper()
	c, err := New(custom...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// errContains fails unless err is non-nil and holds every part.
func errContains(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one containing %q", what, parts)
		return
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not contain %q", what, err, p)
		}
	}
}

func TestResolveEventInfersTheProvider(t *testing.T) {
	c := newCatalog(t)
	for event, want := range map[string]string{
		"message.created":          "notifly",
		"connection.created":       "notify",
		"payment.failed":           "generic",
		"page.locked":              "notion",
		"payment_intent.succeeded": "stripe",
		"orders/create":            "shopify",
		"issues.opened":            "github",
	} {
		p, err := c.ResolveEvent(event, "")
		if err != nil {
			t.Errorf("ResolveEvent(%q): %v", event, err)
			continue
		}
		if p.Name != want {
			t.Errorf("ResolveEvent(%q) = %s, want %s", event, p.Name, want)
		}
	}
}

func TestResolveEventErrors(t *testing.T) {
	c := newCatalog(t)

	_, err := c.ResolveEvent("invoice.paid", "")
	errContains(t, "ambiguous event", err, `"invoice.paid"`, "standard, svix", "--provider")

	p, err := c.ResolveEvent("invoice.paid", "svix")
	if err != nil || p.Name != "svix" {
		t.Errorf("ResolveEvent(invoice.paid, svix) = %v, %v; want svix", p, err)
	}
	p, err = c.ResolveEvent("invoice.paid", "standard-webhooks")
	if err != nil || p.Name != "standard" {
		t.Errorf("ResolveEvent(invoice.paid, standard-webhooks) = %v, %v; want standard", p, err)
	}

	_, err = c.ResolveEvent("mesage.created", "")
	errContains(t, "typo", err, `unknown event "mesage.created"`, "did you mean message.created", "hookctl events")

	_, err = c.ResolveEvent("mesage.created", "notifly")
	errContains(t, "typo with provider", err, `provider notifly has no event "mesage.created"`,
		"did you mean message.created", "hookctl events --provider notifly")

	_, err = c.ResolveEvent("push", "stripe")
	errContains(t, "event of another provider", err, `provider stripe has no event "push"`, "--provider stripe")
	if err != nil && strings.Contains(err.Error(), "did you mean") {
		t.Errorf("push for stripe suggests something: %v", err)
	}

	_, err = c.ResolveEvent("message.created", "notifyy")
	errContains(t, "unknown provider", err, `unknown provider "notifyy"`, "did you mean notify", "hookctl providers")
}

func TestLookup(t *testing.T) {
	c := newCatalog(t)
	for name, want := range map[string]string{
		"standard-webhooks": "standard",
		"Standard-Webhooks": "standard",
		" github ":          "github",
		"SVIX":              "svix",
	} {
		p, err := c.Lookup(name)
		if err != nil || p.Name != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", name, p, err, want)
		}
	}
	_, err := c.Lookup("strpe")
	errContains(t, "Lookup(strpe)", err, `unknown provider "strpe"`, "did you mean stripe", "notify, notifly, generic")
	_, err = c.Lookup("zzzzzzzz")
	if err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("Lookup of a name close to nothing: %v; want an error without a suggestion", err)
	}
}

func TestNewRejectsABuiltinName(t *testing.T) {
	for _, name := range []string{"stripe", "standard-webhooks"} {
		_, err := New(&Provider{Name: name, Custom: true})
		errContains(t, "custom "+name, err, "name of a built-in provider")
	}
}

func TestDetect(t *testing.T) {
	custom := &Provider{Name: "acme", Custom: true}
	custom.Scheme.Headers.Signature = "X-Webhook-Signature" // generic's header: the user's provider wins
	cases := []struct {
		headers  map[string]string
		want     string
		catalogs []*Provider
	}{
		{map[string]string{"x-notify-signature": "ab"}, "notify", nil},
		{map[string]string{"X-NOTIFLY-SIGNATURE": "ab"}, "notifly", nil},
		{map[string]string{"x-webhook-signature": "ab"}, "generic", nil},
		{map[string]string{"x-webhook-signature": "ab"}, "acme", []*Provider{custom}},
		{map[string]string{"x-notion-signature": "sha256=ab"}, "notion", nil},
		{map[string]string{"webhook-signature": "v1,x", "webhook-id": "msg_1", "webhook-timestamp": "1"}, "standard", nil},
		{map[string]string{"svix-signature": "v1,x", "svix-id": "msg_1", "svix-timestamp": "1"}, "svix", nil},
		{map[string]string{"stripe-signature": "t=1,v1=ab"}, "stripe", nil},
		{map[string]string{"x-hub-signature-256": "sha256=ab"}, "github", nil},
		{map[string]string{"X-Hub-Signature": "sha1=ab"}, "github", nil},
		{map[string]string{"x-shopify-hmac-sha256": "ab=="}, "shopify", nil},
		{map[string]string{"x-slack-signature": "v0=ab", "x-slack-request-timestamp": "1"}, "slack", nil},
		{map[string]string{"x-twilio-signature": "ab="}, "twilio", nil},
		{map[string]string{"content-type": "application/json"}, "", nil},
	}
	for _, tc := range cases {
		h := http.Header{}
		for k, v := range tc.headers {
			h.Set(k, v)
		}
		got := newCatalog(t, tc.catalogs...).Detect(h)
		name := ""
		if got != nil {
			name = got.Name
		}
		if name != tc.want {
			t.Errorf("Detect(%v) = %q, want %q", tc.headers, name, tc.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	c := newCatalog(t)
	gh, _ := c.Lookup("github")
	h := http.Header{}
	h.Set("x-github-event", "issues")
	h.Set("x-github-delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
	event, id := gh.Describe(h, []byte(`{"action":"opened","issue":{"number":1}}`))
	if event != "issues.opened" || id != "72d3162e-cc78-11e3-81ab-4c9367dc0958" {
		t.Errorf("github Describe = %q, %q; want issues.opened and the delivery id", event, id)
	}
	h.Set("X-GitHub-Event", "push")
	if event, _ := gh.Describe(h, []byte(`{"ref":"refs/heads/main"}`)); event != "push" {
		t.Errorf("github push Describe = %q, want push", event)
	}

	shop, _ := c.Lookup("shopify")
	h = http.Header{}
	h.Set("X-Shopify-Topic", "orders/create")
	h.Set("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
	event, id = shop.Describe(h, []byte(`{"id":5678901234567,"name":"#1001"}`))
	if event != "orders/create" || id != "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043" {
		t.Errorf("shopify Describe = %q, %q; want the topic and the webhook id (not the order id)", event, id)
	}

	notify, _ := c.Lookup("notify")
	event, id = notify.DescribeBody([]byte(`{"event_id":"evt_ck7qhp33c68tov35spng","event":"connection.created","timestamp":"2023-09-24T03:11:32.456Z","data":{}}`))
	if event != "connection.created" || id != "evt_ck7qhp33c68tov35spng" {
		t.Errorf("notify DescribeBody = %q, %q", event, id)
	}

	slack, _ := c.Lookup("slack")
	event, id = slack.DescribeBody([]byte(`{"type":"event_callback","event_id":"Ev0LAN670R","event":{"type":"app_mention"}}`))
	if event != "app_mention" || id != "Ev0LAN670R" {
		t.Errorf("slack DescribeBody = %q, %q", event, id)
	}

	// A numeric id comes back as written, not in exponent form.
	generic, _ := c.Lookup("generic")
	if _, id := generic.DescribeBody([]byte(`{"id":12345678901234567,"type":"user.created"}`)); id != "12345678901234567" {
		t.Errorf("numeric id = %q, want 12345678901234567", id)
	}

	// Standard Webhooks keeps the id in a header, svix-* accepted too.
	std, _ := c.Lookup("standard")
	h = http.Header{}
	h.Set("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	if event, id := std.Describe(h, []byte(`{"type":"invoice.paid","data":{}}`)); event != "invoice.paid" || id != "msg_p5jXN8AQM9LWM0D4loKWxJek" {
		t.Errorf("standard Describe = %q, %q", event, id)
	}

	// Bodies that are not JSON objects give nothing, and never panic.
	for _, body := range []string{"", "not json", "[1,2]", `{"event":`, "token=x&team_id=T1"} {
		if event, id := notify.DescribeBody([]byte(body)); event != "" || id != "" {
			t.Errorf("DescribeBody(%q) = %q, %q; want nothing", body, event, id)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := newCatalog(t).Names()
	cases := []struct {
		in   string
		want []string
	}{
		{"stirpe", []string{"stripe"}},
		{"notifyy", []string{"notify", "notifly"}}, // closest first
		{"twilio", nil},                            // an exact name is not a suggestion
		{"xyzzy", nil},
	}
	for _, tc := range cases {
		if got := Suggest(tc.in, names); !slices.Equal(got, tc.want) {
			t.Errorf("Suggest(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	// notif is close to notify and notifly: both, at most two.
	if got := Suggest("notif", names); len(got) != 2 || !slices.Contains(got, "notify") || !slices.Contains(got, "notifly") {
		t.Errorf("Suggest(notif) = %v, want notify and notifly", got)
	}
	// A bare action suggests the full event names ending in it.
	events := []string{"page.locked", "page.unlocked", "comment.created"}
	if got := Suggest("unlocked", events); len(got) == 0 || got[0] != "page.unlocked" {
		t.Errorf("Suggest(unlocked) = %v, want page.unlocked first", got)
	}
	if got := Suggest("x", events); got != nil {
		t.Errorf("Suggest(x) = %v, want none", got)
	}
}

func TestDeliveryRules(t *testing.T) {
	c := newCatalog(t)
	notify, _ := c.Lookup("notify")
	if !notify.Delivery.Success(200) || notify.Delivery.Success(204) || notify.Delivery.SuccessRule() != "exactly 200" {
		t.Errorf("notify success rule: 200 only")
	}
	generic, _ := c.Lookup("generic")
	if !generic.Delivery.Success(204) || generic.Delivery.Success(301) || generic.Delivery.Success(500) {
		t.Errorf("generic success rule: any 2xx")
	}
	if n := len(notify.Delivery.Schedule); n != 6 {
		t.Errorf("notify has %d attempts, want 1 + 5 retries", n)
	}
	if n := len(generic.Delivery.Schedule); n != 5 || generic.Delivery.Timeout.Seconds() != 5 {
		t.Errorf("generic: %d attempts, timeout %v; want 5 attempts, 5s", n, generic.Delivery.Timeout)
	}
	notion, _ := c.Lookup("notion")
	if notion.Delivery.AttemptField != "attempt_number" || len(notion.Delivery.Schedule) != 8 {
		t.Errorf("notion: attempt field %q, %d attempts; want attempt_number, 8", notion.Delivery.AttemptField, len(notion.Delivery.Schedule))
	}
}
