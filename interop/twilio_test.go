package interop

import (
	"testing"

	"github.com/twilio/twilio-go/client"
)

// TestTwilioRequestValidator: twilio-go's RequestValidator accepts the
// signature of every sample over the URL it was sent to and its form fields.
func TestTwilioRequestValidator(t *testing.T) {
	const authToken = "12345abcdeffedcba54321hookctl000"
	rv := client.NewRequestValidator(authToken)
	for _, s := range samples(t, "twilio", authToken) {
		params := s.form(t)
		if !rv.Validate(s.url, params, s.header.Get("X-Twilio-Signature")) {
			t.Errorf("%s: RequestValidator rejects the signature", s.event)
		}
		if params["AccountSid"] == "" || params["ApiVersion"] != "2010-04-01" {
			t.Errorf("%s: form lacks AccountSid or ApiVersion: %v", s.event, params)
		}
		params["Body"] = params["Body"] + "!"
		if rv.Validate(s.url, params, s.header.Get("X-Twilio-Signature")) {
			t.Errorf("%s: RequestValidator accepts a changed form: the test proves nothing", s.event)
		}
	}
}
