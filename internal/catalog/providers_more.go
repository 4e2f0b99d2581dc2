package catalog

import (
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/signer"
)

// The providers of issue 14: their schemes, delivery rules and events.
// Each fact is cited in the README's provider table; the comments name
// the page it comes from.

// withDefault is hookctl's default delivery (Svix's schedule) with the
// provider's own timeout and what it does after the last attempt, for
// providers that publish those but no retry intervals.
func withDefault(timeout time.Duration, exact200 bool, afterLast string) Delivery {
	d := DefaultDelivery()
	if timeout > 0 {
		d.Timeout = timeout
	}
	d.Exact200, d.AfterLast = exact200, afterLast
	return d
}

func moreProviders() []*Provider {
	return []*Provider{
		{
			Name: "paddle", Title: "Paddle Billing", Source: "developer.paddle.com (signature verification, handling webhook delivery)",
			// Paddle-Signature: ts=TS;h1=HEX of "TS:body"; the SDKs reject
			// timestamps older than 5 s by default.
			Scheme: with(plainHex("Paddle-Signature", "h1="), func(s *signer.Scheme) {
				s.Signed, s.Format, s.Tolerance = signer.SignedTimestampColonBody, signer.FormatPaddle, 5*time.Second
			}),
			// HTTP 200 within 5 s; live accounts retry up to 60 times over
			// 3 days with exponential backoff (intervals not published).
			Delivery: withDefault(5*time.Second, true,
				"Paddle retries up to 60 times over 3 days (live accounts); then the notification fails and can be replayed through the API"),
			Envelope:    Envelope{TypePath: "event_type", IDPath: "event_id"},
			ContentType: "application/json",
			Events: []Event{
				{"transaction.created", "A transaction was created (checkout opened)."},
				{"transaction.completed", "A transaction was paid and fully processed."},
				{"transaction.payment_failed", "A payment attempt for a transaction failed."},
				{"subscription.created", "A subscription was created."},
				{"subscription.updated", "A subscription changed (items, status, billing)."},
				{"subscription.canceled", "A subscription was canceled."},
			},
		},
		{
			Name: "zoom", Title: "Zoom", Source: "developers.zoom.us (webhooks, webhook delays)",
			Scheme: with(plainHex("x-zm-signature", "v0="), func(s *signer.Scheme) {
				s.Signed, s.Headers.Timestamp = signer.SignedSlack, "x-zm-request-timestamp"
			}),
			// 200 or 204 within 3 s; 3 retries: 5 min after the first
			// attempt, 20 min after the first retry, 60 min after the second.
			Delivery: Delivery{
				Timeout:   3 * time.Second,
				Schedule:  []time.Duration{0, 5 * time.Minute, 20 * time.Minute, 60 * time.Minute},
				AfterLast: "after 3 retries Zoom sends no more notifications for that event; endpoints are revalidated every 72 hours",
			},
			Envelope:    Envelope{TypePath: "event"},
			ContentType: "application/json",
			Events: []Event{
				{"endpoint.url_validation", "The check of a new endpoint: answer plainToken and its HMAC, encryptedToken."},
				{"meeting.started", "A meeting started."},
				{"meeting.ended", "A meeting ended."},
				{"meeting.participant_joined", "A participant joined a meeting."},
				{"meeting.participant_left", "A participant left a meeting."},
				{"recording.completed", "A cloud recording is ready."},
			},
		},
		{
			Name: "meta", Aliases: []string{"whatsapp", "messenger", "instagram"}, Title: "Meta (WhatsApp, Messenger, Instagram)",
			Source: "developers.facebook.com (Graph API webhooks, WhatsApp webhook endpoint)",
			Scheme: plainHex("X-Hub-Signature-256", "sha256="),
			// No retry intervals are published for these products.
			Delivery:    withDefault(0, false, "Meta retries failed deliveries (intervals not published)"),
			Envelope:    Envelope{TypePath: "object", Name: metaEventName},
			ContentType: "application/json",
			Events: []Event{
				{"whatsapp.message", "WhatsApp: a customer sent a message."},
				{"whatsapp.status", "WhatsApp: a sent message was delivered or read."},
				{"messenger.message", "Messenger: a person messaged the Page."},
				{"messenger.postback", "Messenger: a person tapped a postback button."},
				{"instagram.message", "Instagram: a person messaged the professional account."},
			},
		},
		{
			Name: "twitch", Title: "Twitch EventSub", Source: "dev.twitch.tv (EventSub, handling webhook events)",
			Scheme: signer.Scheme{
				Headers: signer.HeaderSet{
					Signature: "Twitch-Eventsub-Message-Signature",
					Timestamp: "Twitch-Eventsub-Message-Timestamp",
					ID:        "Twitch-Eventsub-Message-Id",
				},
				Signed: signer.SignedIDTimestampBodyRaw, Hash: signer.HashSHA256, Enc: signer.EncHex,
				Prefix: "sha256=", Format: signer.FormatPlain, Secret: signer.SecretText, IDKind: ids.KindUUID,
				TimeFormat: signer.TimeRFC3339,
				// Twitch's guide: reject messages older than 10 minutes.
				Tolerance: 10 * time.Minute,
			},
			Delivery: withDefault(0, false,
				"Twitch revokes the subscription (notification_failures_exceeded) when the endpoint answers too slowly too often"),
			Envelope:    Envelope{TypePath: "subscription.type", IDPath: "subscription.id", Name: twitchEventName},
			ContentType: "application/json",
			Headers: map[string]string{
				"Twitch-Eventsub-Message-Type": `{{if eq .Event "webhook_callback_verification"}}webhook_callback_verification` +
					`{{else if eq .Event "revocation"}}revocation{{else}}notification{{end}}`,
				"Twitch-Eventsub-Message-Retry":        "0",
				"Twitch-Eventsub-Subscription-Type":    `{{if or (eq .Event "webhook_callback_verification") (eq .Event "revocation")}}channel.follow{{else}}{{.Event}}{{end}}`,
				"Twitch-Eventsub-Subscription-Version": `{{if or (eq .Event "channel.follow") (eq .Event "webhook_callback_verification") (eq .Event "revocation")}}2{{else}}1{{end}}`,
			},
			Events: []Event{
				{"webhook_callback_verification", "The check of a new subscription: answer the challenge as text/plain."},
				{"channel.follow", "A user followed the channel."},
				{"channel.subscribe", "A user subscribed to the channel."},
				{"channel.cheer", "A user cheered Bits."},
				{"stream.online", "The broadcaster went live."},
				{"stream.offline", "The broadcaster stopped streaming."},
				{"revocation", "Twitch revoked the subscription."},
			},
		},
		{
			Name: "discord", Title: "Discord (interactions and webhook events)", Source: "discord.com/developers/docs (receiving and responding, webhook events)",
			Scheme: signer.Scheme{
				Headers: signer.HeaderSet{Signature: "X-Signature-Ed25519", Timestamp: "X-Signature-Timestamp"},
				Signed:  signer.SignedTimestampBodyRaw, Hash: signer.HashEd25519, Enc: signer.EncHex,
				Format: signer.FormatPlain, Secret: signer.SecretEd25519Hex,
			},
			// Interactions must be answered within 3 seconds; no retry
			// schedule is published.
			Delivery:    withDefault(3*time.Second, false, "an interaction not answered within 3 seconds fails; Discord removes endpoints that accept bad signatures"),
			Envelope:    Envelope{TypePath: "type", Name: discordEventName},
			ContentType: "application/json",
			Events: []Event{
				{"interaction.ping", "Interactions: the endpoint check (type 1), answered {\"type\":1}."},
				{"interaction.application_command", "Interactions: a slash command was used (type 2)."},
				{"interaction.message_component", "Interactions: a button or select menu was used (type 3)."},
				{"interaction.autocomplete", "Interactions: an option is being typed (type 4)."},
				{"interaction.modal_submit", "Interactions: a modal was submitted (type 5)."},
				{"event.ping", "Webhook events: the endpoint check (type 0), answered 204."},
				{"event.application_authorized", "Webhook events: a user or server added the app."},
				{"event.entitlement_create", "Webhook events: a user bought an SKU."},
			},
		},
		{
			Name: "linear", Title: "Linear", Source: "developers.linear.app (webhooks) and @linear/sdk",
			Scheme: with(plainHex("Linear-Signature", ""), func(s *signer.Scheme) {
				s.Headers.ID, s.IDKind = "Linear-Delivery", ids.KindUUID
				// webhookTimestamp (ms) in the body, within 60 s either way (the SDK's check).
				s.TimestampField, s.TimeFormat, s.Tolerance, s.RejectFuture = "webhookTimestamp", signer.TimeUnixMS, time.Minute, true
			}),
			// HTTP 200; retried with exponential backoff, about 10 minutes
			// then 30 minutes after the failures.
			Delivery: Delivery{
				Exact200: true, Timeout: DefaultTimeout,
				Schedule:  []time.Duration{0, 10 * time.Minute, 30 * time.Minute},
				AfterLast: "Linear retries a few times with exponential backoff (10 min, 30 min, ...), then gives up",
			},
			Envelope:    Envelope{TypePath: "type", IDPath: "data.id", Name: withAction("type", "action")},
			ContentType: "application/json; charset=utf-8",
			Headers:     map[string]string{"Linear-Event": "{{.EventBase}}"},
			Events: []Event{
				{"Issue.create", "An issue was created."},
				{"Issue.update", "An issue changed (updatedFrom holds the old values)."},
				{"Issue.remove", "An issue was deleted or archived."},
				{"Comment.create", "A comment was added to an issue."},
				{"Project.update", "A project changed."},
				{"Cycle.create", "A cycle was created."},
			},
		},
		{
			Name: "gitlab", Title: "GitLab", Source: "docs.gitlab.com (webhooks, webhook events)",
			// X-Gitlab-Token carries the secret token itself. GitLab's newer
			// signing token (Standard Webhooks headers) verifies with the
			// standard provider.
			Scheme: signer.Scheme{
				Headers: signer.HeaderSet{Signature: "X-Gitlab-Token"},
				Signed:  signer.SignedToken, Format: signer.FormatPlain, Secret: signer.SecretText,
			},
			// Answer within 10 s (GitLab.com's limit); failing hooks are
			// disabled (docs.gitlab.com/user/project/integrations/webhooks,
			// since GitLab 17.11): 4 consecutive failures of any kind for 1
			// minute growing to 24 hours, then re-enabled; 40 until a test
			// request gets a 2xx.
			Delivery: withDefault(10*time.Second, false,
				"GitLab disables a hook after 4 consecutive failures for 1 minute, growing to 24 hours, then re-enables it; "+
					"after 40 it stays disabled until a test request gets a 2xx"),
			Envelope:    Envelope{TypePath: "object_kind", Name: gitlabEventName},
			ContentType: "application/json",
			Headers: map[string]string{
				"X-Gitlab-Event":        gitlabEventHeader,
				"X-Gitlab-Instance":     "https://gitlab.com",
				"X-Gitlab-Webhook-UUID": "{{uuid}}",
				"X-Gitlab-Event-UUID":   "{{uuid}}",
				"Idempotency-Key":       "{{uuid}}",
			},
			Events: []Event{
				{"branch.push", "Commits were pushed to a branch (object_kind push)."},
				{"tag.push", "A tag was pushed (object_kind tag_push)."},
				{"merge_request.open", "A merge request was opened."},
				{"merge_request.merge", "A merge request was merged."},
				{"issue.open", "An issue was opened."},
				{"note", "A comment was added."},
				{"pipeline", "A pipeline changed status."},
			},
		},
		{
			Name: "square", Title: "Square", Source: "developer.squareup.com (webhooks: validate, troubleshoot, manage)",
			// base64 HMAC-SHA256 of the notification URL + body.
			Scheme: with(plainHex("x-square-hmacsha256-signature", ""), func(s *signer.Scheme) {
				s.Signed, s.Enc = signer.SignedURLBody, signer.EncBase64
			}),
			// 2xx within 10 s; retried for up to 24 hours (intervals not
			// published); disabled after three weeks without a 2xx.
			Delivery: withDefault(10*time.Second, false,
				"Square retries for up to 24 hours, then discards the notification; a URL with no 2xx for three weeks is disabled after three warning emails"),
			Envelope:    Envelope{TypePath: "type", IDPath: "event_id"},
			ContentType: "application/json",
			Headers: map[string]string{
				"square-version":                    "2025-01-23",
				"square-environment":                "Sandbox",
				"square-initial-delivery-timestamp": "{{now}}",
				"square-retry-number":               "0",
			},
			Events: []Event{
				{"payment.created", "A payment was created."},
				{"payment.updated", "A payment changed (e.g. completed)."},
				{"refund.created", "A refund was created."},
				{"order.created", "An order was created."},
				{"order.updated", "An order changed (e.g. completed)."},
				{"invoice.payment_made", "An invoice was paid."},
			},
		},
		{
			Name: "hubspot", Title: "HubSpot (signature v3)", Source: "developers.hubspot.com (validating requests, webhooks API)",
			Scheme: signer.Scheme{
				Headers: signer.HeaderSet{Signature: "X-HubSpot-Signature-v3", Timestamp: "X-HubSpot-Request-Timestamp"},
				Signed:  signer.SignedMethodURLBodyTS,
				Hash:    signer.HashSHA256, Enc: signer.EncBase64, Format: signer.FormatPlain, Secret: signer.SecretText,
				// The listed escapes of the URI are decoded before signing
				// (urlform.go); the window is past only: "reject the
				// request if the timestamp is older than 5 minutes".
				TimeFormat: signer.TimeUnixMS, Tolerance: 5 * time.Minute, URLForm: signer.URLHubSpot,
			},
			Delivery: withDefault(0, false,
				"HubSpot re-sends a failed batch up to 10 times with exponential backoff; answers 400, 401, 403, 404 and 405 are not retried"),
			Envelope:    Envelope{TypePath: "0.subscriptionType", IDPath: "0.eventId"},
			ContentType: "application/json",
			Events: []Event{
				{"contact.creation", "A contact was created."},
				{"contact.propertyChange", "A contact property changed."},
				{"contact.deletion", "A contact was deleted."},
				{"company.creation", "A company was created."},
				{"deal.creation", "A deal was created."},
				{"deal.propertyChange", "A deal property changed."},
			},
		},
		{
			Name: "mailgun", Title: "Mailgun", Source: "documentation.mailgun.com (securing webhooks, automatic retries)",
			// The signature is in the body: signature.signature = hex
			// HMAC-SHA256(signing key, timestamp + token).
			Scheme: signer.Scheme{
				Signed: signer.SignedTimestampToken, Hash: signer.HashSHA256, Enc: signer.EncHex,
				Format: signer.FormatPlain, Secret: signer.SecretText,
				BodySig: &signer.BodySignature{Signature: "signature.signature", Timestamp: "signature.timestamp", Token: "signature.token"},
			},
			// 200 is success; 406 stops the retries; otherwise retried over
			// 8 hours: 5 min, 10 min, 15 min, 1 h, 2 h, 4 h.
			Delivery: Delivery{
				Exact200: true, Timeout: DefaultTimeout,
				Schedule:  []time.Duration{0, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour},
				AfterLast: "Mailgun stops after 8 hours of retries; an answer 406 stops them at once",
			},
			Envelope:    Envelope{TypePath: "event-data.event", IDPath: "event-data.id"},
			ContentType: "application/json",
			Events: []Event{
				{"delivered", "A message was accepted by the recipient's server."},
				{"failed", "A message could not be delivered (permanent or temporary)."},
				{"opened", "A recipient opened a message."},
				{"clicked", "A recipient clicked a tracked link."},
				{"complained", "A recipient marked a message as spam."},
				{"unsubscribed", "A recipient unsubscribed."},
			},
		},
	}
}

// gitlabEventHeader names the X-Gitlab-Event of each event.
const gitlabEventHeader = `{{if eq .EventBase "branch"}}Push Hook{{else if eq .EventBase "tag"}}Tag Push Hook` +
	`{{else if eq .EventBase "merge_request"}}Merge Request Hook{{else if eq .EventBase "issue"}}Issue Hook` +
	`{{else if eq .EventBase "note"}}Note Hook{{else if eq .EventBase "pipeline"}}Pipeline Hook{{end}}`

// withAction names events kind.action from two body fields (Linear's
// type and action, GitLab's object_kind and object_attributes.action),
// or kind alone when there is no action.
func withAction(kindPath, actionPath string) func(func(string) string) string {
	return func(field func(string) string) string {
		kind, action := field(kindPath), field(actionPath)
		if action == "" {
			return kind
		}
		return kind + "." + action
	}
}

// gitlabEventName names a GitLab body: object_kind and its action, with
// pushes named branch.push and tag.push (GitHub's push keeps its name).
func gitlabEventName(field func(string) string) string {
	switch kind := field("object_kind"); kind {
	case "push":
		return "branch.push"
	case "tag_push":
		return "tag.push"
	}
	return withAction("object_kind", "object_attributes.action")(field)
}

// metaEventName names a Meta body by its product and what it carries.
func metaEventName(field func(string) string) string {
	switch field("object") {
	case "whatsapp_business_account":
		if field("entry.0.changes.0.value.statuses.0.id") != "" {
			return "whatsapp.status"
		}
		return "whatsapp.message"
	case "page":
		if field("entry.0.messaging.0.postback.payload") != "" {
			return "messenger.postback"
		}
		return "messenger.message"
	case "instagram":
		return "instagram.message"
	}
	return field("object")
}

// twitchEventName names an EventSub body: the challenge of a verification,
// a revoked subscription, or the subscription type of a notification.
func twitchEventName(field func(string) string) string {
	switch {
	case field("challenge") != "":
		return "webhook_callback_verification"
	case field("subscription.status") != "" && field("subscription.status") != "enabled":
		return "revocation"
	}
	return field("subscription.type")
}

// discordInteractions names interaction types 1 to 5.
var discordInteractions = map[string]string{"1": "ping", "2": "application_command", "3": "message_component", "4": "autocomplete", "5": "modal_submit"}

// discordEventName tells an interaction (it has a token) from a webhook
// event (type 0 is the PING, type 1 carries an event).
func discordEventName(field func(string) string) string {
	if ev := field("event.type"); ev != "" {
		return "event." + strings.ToLower(ev)
	}
	if field("token") == "" && field("type") == "0" {
		return "event.ping"
	}
	if name, ok := discordInteractions[field("type")]; ok {
		return "interaction." + name
	}
	return field("type")
}
