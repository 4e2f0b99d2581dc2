package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/cmdutil/present"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
)

func opts(provider string, json bool) (*Options, *bytes.Buffer) {
	ios, _, out, _ := iostreams.Test()
	return &Options{IO: ios, Catalog: func() (*catalog.Catalog, error) { return catalog.New() }, Styles: ui.New(false), Provider: provider, JSON: json}, out
}

func TestEventsRunOneProvider(t *testing.T) {
	o, out := opts("notify", false)
	if err := eventsRun(o); err != nil {
		t.Fatal(err)
	}
	want := "PROVIDER  EVENT               DESCRIPTION\n" +
		"notify    connection.created  Sent when the user first makes a successful connection to your organization.\n" +
		"notify    connection.updated  Sent when the user updates or deletes their connection to your organization.\n"
	if got := out.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEventsRunAllJSON(t *testing.T) {
	o, out := opts("", true)
	if err := eventsRun(o); err != nil {
		t.Fatal(err)
	}
	var list []present.EventInfo
	if err := json.Unmarshal([]byte(out.String()), &list); err != nil {
		t.Fatal(err)
	}
	cat, _ := catalog.New()
	n := 0
	for _, p := range cat.Providers() {
		n += len(p.Events)
	}
	if len(list) != n {
		t.Errorf("%d events listed, the catalogue has %d", len(list), n)
	}
	seen := map[string]bool{}
	for _, e := range list {
		if e.Provider == "" || e.Event == "" || e.Description == "" || strings.Contains(e.Description, "\n") {
			t.Errorf("event %+v", e)
		}
		seen[e.Provider+" "+e.Event] = true
	}
	for _, want := range []string{"notifly attachment.deleted", "generic payment.failed", "notion page.content_updated", "github issues.opened", "shopify orders/create"} {
		if !seen[want] {
			t.Errorf("%s not listed", want)
		}
	}
}

func TestEventsRunUnknownProvider(t *testing.T) {
	o, out := opts("notfy", false)
	err := eventsRun(o)
	var u *cmdutil.UsageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), `unknown provider "notfy" (did you mean notify`) {
		t.Errorf("error %v", err)
	}
	if out.Len() != 0 {
		t.Error("output on error")
	}
}
