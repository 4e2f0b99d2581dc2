package verify

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/secrets"
)

// The Standard Webhooks specification's vector.
const (
	stdSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	stdBody   = `{"test": 2432232314}`
)

func stdHeader() http.Header {
	return http.Header{
		"Webhook-Id":        {"msg_p5jXN8AQM9LWM0D4loKWxJek"},
		"Webhook-Timestamp": {"1614265330"},
		"Webhook-Signature": {"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
	}
}

func keys(secret string, source secrets.Source) Keys {
	return Keys{
		Secrets: func(*catalog.Provider) ([]string, secrets.Source, error) { return []string{secret}, source, nil },
		Open:    func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(stdBody)), nil },
	}
}

func TestCheck(t *testing.T) {
	cat, err := catalog.New()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1614265330, 0)
	res, err := Check(cat, nil, &Request{Header: stdHeader(), Now: now}, keys(stdSecret, secrets.SourceBare))
	if err != nil || !res.Valid || !res.Detected || res.Provider.Name != "standard" || res.Header != "webhook-signature" {
		t.Errorf("detected, valid: %+v %v", res, err)
	}
	res, err = Check(cat, nil, &Request{Header: stdHeader(), Now: now}, keys("whsec_c2VjcmV0MTIzNA==", secrets.SourceDev))
	if err != nil || res.Valid || res.Source != secrets.SourceDev || !strings.HasPrefix(res.Reason, "no signature matches") {
		t.Errorf("another secret: %+v %v", res, err)
	}
	res, err = Check(cat, nil, &Request{Header: http.Header{"X-Other": {"1"}}, Now: now}, Keys{})
	if err != nil || res.Valid || res.Provider != nil {
		t.Errorf("nothing to detect: %+v %v", res, err)
	}
	std, _ := cat.Lookup("standard")
	var scheme *SchemeError
	if _, err := Check(cat, std, &Request{Header: stdHeader(), Now: now}, keys("whsec_***", secrets.SourceBare)); !errors.As(err, &scheme) || scheme.Provider != "standard" {
		t.Errorf("bad secret: %v", err)
	}
}

// TestAdd: the headers and URL already set win over a request's; its body
// replaces the one to open.
func TestAdd(t *testing.T) {
	r := &Request{Header: http.Header{"Webhook-Id": {"mine"}}, URL: "https://mine.test/"}
	r.Add(stdHeader(), "http://captured.test/", []byte(stdBody))
	if r.Header.Get("Webhook-Id") != "mine" || r.Header.Get("Webhook-Timestamp") != "1614265330" || r.URL != "https://mine.test/" {
		t.Errorf("request %+v", r)
	}
	if b, _ := io.ReadAll(r.Body); string(b) != stdBody {
		t.Errorf("body %q", b)
	}
	r = &Request{}
	r.Add(stdHeader(), "http://captured.test/", nil)
	if r.URL != "http://captured.test/" || r.Body == nil || len(r.Header) != 3 {
		t.Errorf("into an empty request: %+v", r)
	}
}
