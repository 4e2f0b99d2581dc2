package interop

import (
	"encoding/json"
	"testing"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"
)

// stripeObjects are the stripe-go types of the objects hookctl's Stripe
// events carry, by their "object" field.
var stripeObjects = map[string]func() any{
	"checkout.session": func() any { return &stripe.CheckoutSession{} },
	"payment_intent":   func() any { return &stripe.PaymentIntent{} },
	"charge":           func() any { return &stripe.Charge{} },
	"dispute":          func() any { return &stripe.Dispute{} },
	"customer":         func() any { return &stripe.Customer{} },
	"subscription":     func() any { return &stripe.Subscription{} },
	"invoice":          func() any { return &stripe.Invoice{} },
	"setup_intent":     func() any { return &stripe.SetupIntent{} },
	"payment_method":   func() any { return &stripe.PaymentMethod{} },
	"product":          func() any { return &stripe.Product{} },
	"price":            func() any { return &stripe.Price{} },
	"payout":           func() any { return &stripe.Payout{} },
	"account":          func() any { return &stripe.Account{} },
}

// TestStripeConstructEvent: webhook.ConstructEvent with its default options
// (tolerance, and the api_version stripe-go expects) accepts every sample,
// and each data.object decodes into stripe-go's type for it.
func TestStripeConstructEvent(t *testing.T) {
	const secret = "whsec_hookctl_interop_test_secret"
	for _, s := range samples(t, "stripe", secret) {
		e, err := webhook.ConstructEvent(s.body, s.header.Get("Stripe-Signature"), secret)
		if err != nil {
			t.Errorf("%s: ConstructEvent: %v", s.event, err)
			continue
		}
		if string(e.Type) != s.event || e.Livemode || e.APIVersion != stripe.APIVersion {
			t.Errorf("%s: parsed type %q, livemode %v, api_version %q (stripe-go expects %q)", s.event, e.Type, e.Livemode, e.APIVersion, stripe.APIVersion)
		}
		kind, _ := e.Data.Object["object"].(string)
		newObject, ok := stripeObjects[kind]
		if !ok {
			t.Errorf("%s: data.object is a %q, which this test does not know", s.event, kind)
			continue
		}
		obj := newObject()
		if err := json.Unmarshal(e.Data.Raw, obj); err != nil {
			t.Errorf("%s: data.object does not decode into stripe-go's %T: %v", s.event, obj, err)
		}
	}
}
