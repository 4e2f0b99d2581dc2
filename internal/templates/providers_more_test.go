package templates

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// Envelope checks of the providers of issue 14 (envelopes has the others).

// envelopeFor returns the envelope check of a provider.
func envelopeFor(name string) envelopeCheck {
	if c := envelopes[name]; c != nil {
		return c
	}
	return moreEnvelopes[name]
}

// asDoc makes a decoded body a document: an array (HubSpot's batch of
// events) is keyed by index, as dotted paths name its elements.
func asDoc(v any) (map[string]any, error) {
	switch d := v.(type) {
	case map[string]any:
		return d, nil
	case []any:
		m := make(map[string]any, len(d))
		for i, e := range d {
			m[fmt.Sprint(i)] = e
		}
		return m, nil
	}
	return nil, fmt.Errorf("the body is %T, not an object or array", v)
}

var (
	rePaddleID = regexp.MustCompile(`^(evt|ntf|txn|sub|ctm)_01[0-9a-f]{24}$`)
	reDigits   = regexp.MustCompile(`^[0-9]{6,}$`)
	reHex50    = regexp.MustCompile(`^[0-9a-f]{50}$`)
	clockMsNum = fmt.Sprint(testClock.UnixMilli())
)

var moreEnvelopes = map[string]envelopeCheck{
	"paddle": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "event_id", "event_type", "occurred_at", "notification_id", "data", "data.id")
		match(t, ev, "event_id", doc, rePaddleID)
		match(t, ev, "notification_id", doc, rePaddleID)
		match(t, ev, "data.id", doc, rePaddleID)
		equal(t, ev, "event_type", doc, ev)
		equal(t, ev, "occurred_at", doc, clockMs)
	},
	"zoom": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "event", "event_ts", "payload")
		equal(t, ev, "event", doc, ev)
		equal(t, ev, "event_ts", doc, clockMsNum)
		if ev == "endpoint.url_validation" {
			require(t, ev, doc, "payload.plainToken")
		} else {
			require(t, ev, doc, "payload.account_id", "payload.object.id", "payload.object.uuid", "payload.object.host_id")
		}
	},
	"meta": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "object", "entry")
		want := map[string]string{"whatsapp": "whatsapp_business_account", "messenger": "page", "instagram": "instagram"}[strings.Split(ev, ".")[0]]
		equal(t, ev, "object", doc, want)
	},
	"twitch": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "subscription.id", "subscription.type", "subscription.version", "subscription.status",
			"subscription.condition", "subscription.transport.method", "subscription.created_at")
		match(t, ev, "subscription.id", doc, reUUID)
		switch ev {
		case "webhook_callback_verification":
			require(t, ev, doc, "challenge")
			equal(t, ev, "subscription.status", doc, "webhook_callback_verification_pending")
		case "revocation":
			equal(t, ev, "subscription.status", doc, "authorization_revoked")
		default:
			require(t, ev, doc, "event")
			equal(t, ev, "subscription.type", doc, ev)
			equal(t, ev, "subscription.status", doc, "enabled")
		}
	},
	"discord": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "type", "application_id", "version")
		if strings.HasPrefix(ev, "interaction.") {
			require(t, ev, doc, "id", "token", "app_permissions")
			match(t, ev, "id", doc, reDigits)
		} else if ev != "event.ping" {
			require(t, ev, doc, "event.type", "event.timestamp", "event.data")
		}
	},
	"linear": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "action", "type", "data.id", "createdAt", "url", "organizationId", "webhookTimestamp", "webhookId", "actor")
		kind, action, _ := strings.Cut(ev, ".")
		equal(t, ev, "type", doc, kind)
		equal(t, ev, "action", doc, action)
		equal(t, ev, "webhookTimestamp", doc, clockMsNum)
		match(t, ev, "data.id", doc, reUUID)
		if action == "update" {
			require(t, ev, doc, "updatedFrom")
		}
	},
	"gitlab": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "object_kind", "project.id", "project.path_with_namespace")
		kind, action, _ := strings.Cut(ev, ".")
		if action == "push" {
			kind, action = map[string]string{"branch": "push", "tag": "tag_push"}[kind], ""
		}
		equal(t, ev, "object_kind", doc, kind)
		if action != "" {
			equal(t, ev, "object_attributes.action", doc, action)
		}
	},
	"square": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "merchant_id", "type", "event_id", "created_at", "data.type", "data.id", "data.object")
		equal(t, ev, "type", doc, ev)
		match(t, ev, "event_id", doc, reUUID)
		equal(t, ev, "created_at", doc, clockMs)
	},
	"hubspot": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "0.eventId", "0.subscriptionId", "0.portalId", "0.appId", "0.occurredAt", "0.subscriptionType", "0.attemptNumber", "0.objectId")
		equal(t, ev, "0.subscriptionType", doc, ev)
		equal(t, ev, "0.occurredAt", doc, clockMsNum)
	},
	"mailgun": func(t *testing.T, ev string, doc map[string]any) {
		require(t, ev, doc, "signature.token", "signature.timestamp", "signature.signature", "event-data.event", "event-data.id",
			"event-data.timestamp", "event-data.recipient", "event-data.message.headers.message-id")
		match(t, ev, "signature.token", doc, reHex50)
		equal(t, ev, "signature.timestamp", doc, clockUnix)
		equal(t, ev, "event-data.event", doc, ev)
	},
}
