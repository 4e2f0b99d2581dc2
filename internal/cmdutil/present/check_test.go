package present

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hookctl/hookctl/internal/check"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
)

func sampleReport() *check.Report {
	rep := &check.Report{URL: "http://localhost:5000/hooks", Provider: "notify", Event: "connection.created"}
	ans := func(status int, ms int) []check.Answer {
		return []check.Answer{{Status: status, Latency: time.Duration(ms) * time.Millisecond, BodyStart: `{"ok":true}`}}
	}
	for _, r := range []*check.Result{
		{Name: "valid", Required: true, Status: check.Pass, Expected: "accepts it (exactly 200)", Answers: ans(200, 3)},
		{Name: "answer-time", Required: true, Status: check.Pass, Expected: "answers within 10s", Answers: ans(200, 3), Shared: "valid"},
		{Name: "wrong-secret", Required: true, Status: check.Fail, Expected: "rejects it (4xx)", Answers: ans(200, 2), Detail: "accepted with 200: anyone can forge events"},
		{Name: "malformed-signature", Required: true, Status: check.Warn, Expected: "rejects each (4xx)", Answers: ans(500, 1), Detail: "garbage: rejected with 500 <&>"},
		{Name: "stale-timestamp", Status: check.Skip, Expected: "rejects it (4xx)", Detail: "notify signs no timestamp"},
	} {
		if len(r.Answers) > 0 {
			r.Got = &r.Answers[0]
		}
		rep.Results = append(rep.Results, r)
		switch r.Status {
		case check.Pass:
			rep.Passed++
		case check.Fail:
			rep.Failed++
		case check.Warn:
			rep.Warned++
		case check.Skip:
			rep.Skipped++
		}
	}
	return rep
}

func testCheck(tty bool) (*Check, *bytes.Buffer) {
	ios, _, out, _ := iostreams.Test()
	ios.SetTTY(false, tty, false)
	return &Check{IO: ios, Styles: ui.New(false), Reproduce: func(n string) string { return "hookctl trigger --mutate " + n }}, out
}

// node is an XML element as a schema validator sees it.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n node) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (n node) children(name string) []node {
	var out []node
	for _, c := range n.Children {
		if c.XMLName.Local == name {
			out = append(out, c)
		}
	}
	return out
}

var (
	decimal  = regexp.MustCompile(`^\d+(\.\d+)?$`)
	integer  = regexp.MustCompile(`^\d+$`)
	dateTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`) // the schema's ISO8601 pattern, no zone
)

// TestJUnitMatchesTheSchema checks the report against the required
// structure of the JUnit schemas CI servers read (Ant's junit-4.xsd as
// Jenkins and GitLab document it): testsuites of testsuite elements, each
// with name, tests, failures, errors, time, timestamp and hostname,
// properties, its testcases (name, classname, time; failure with message
// and type; skipped), system-out and system-err; and counts that add up.
func TestJUnitMatchesTheSchema(t *testing.T) {
	c, _ := testCheck(false)
	var b bytes.Buffer
	if err := c.JUnit(&b, sampleReport(), time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Fatalf("no XML declaration:\n%s", b.String())
	}
	var root node
	if err := xml.Unmarshal(b.Bytes(), &root); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	if root.XMLName.Local != "testsuites" {
		t.Fatalf("root is %s", root.XMLName.Local)
	}
	suites := root.children("testsuite")
	if len(suites) != 1 {
		t.Fatalf("%d testsuites", len(suites))
	}
	s := suites[0]
	want := map[string]*regexp.Regexp{"name": regexp.MustCompile(`.`), "tests": integer, "failures": integer, "errors": integer,
		"skipped": integer, "time": decimal, "timestamp": dateTime, "hostname": regexp.MustCompile(`.`), "id": integer, "package": regexp.MustCompile(`.`)}
	for name, re := range want {
		if v, ok := s.attr(name); !ok || !re.MatchString(v) {
			t.Errorf("testsuite %s=%q (present %v)", name, v, ok)
		}
	}
	for _, el := range []string{"properties", "system-out", "system-err"} {
		if len(s.children(el)) != 1 {
			t.Errorf("testsuite has %d %s", len(s.children(el)), el)
		}
	}
	cases := s.children("testcase")
	failures, skipped := 0, 0
	for _, tc := range cases {
		for _, a := range []string{"name", "classname", "time"} {
			if v, ok := tc.attr(a); !ok || v == "" || (a == "time" && !decimal.MatchString(v)) {
				t.Errorf("testcase %s=%q", a, v)
			}
		}
		for _, f := range tc.children("failure") {
			failures++
			if m, _ := f.attr("message"); m == "" {
				t.Error("failure without a message")
			}
			if ty, _ := f.attr("type"); ty == "" {
				t.Error("failure without a type")
			}
		}
		skipped += len(tc.children("skipped"))
		if len(tc.children("error")) > 0 {
			t.Error("a check result is never an error element")
		}
	}
	count := func(name string) int { v, _ := s.attr(name); n, _ := strconv.Atoi(v); return n }
	if count("tests") != len(cases) || len(cases) != 5 || count("failures") != failures || failures != 1 || count("skipped") != skipped || skipped != 1 {
		t.Errorf("tests=%d failures=%d skipped=%d for %d cases, %d failures, %d skipped", count("tests"), count("failures"), count("skipped"), len(cases), failures, skipped)
	}
	if v, _ := s.attr("time"); v != "0.006" {
		t.Errorf("suite time %s: answer-time shares valid's request and must not count twice", v)
	}
	if !strings.Contains(b.String(), "warning: garbage: rejected with 500 &lt;&amp;&gt;") {
		t.Errorf("the warning is not in the warned case's system-out:\n%s", b.String())
	}
}

func TestCheckJSONIsTheDocumentedObject(t *testing.T) {
	c, out := testCheck(false)
	if err := c.JSON(sampleReport()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return strings.Join(slices.Sorted(slices.Values(ks)), ",")
	}
	if got := keys(doc); got != "checks,event,failed,passed,provider,url,warned" {
		t.Errorf("top-level keys %s", got)
	}
	checks := doc["checks"].([]any)
	first := checks[0].(map[string]any)
	if got := keys(first); got != "detail,expected,got,name,reproduce,required,status" {
		t.Errorf("check keys %s", got)
	}
	if got := keys(first["got"].(map[string]any)); got != "body_start,latency_ms,status" {
		t.Errorf("got keys %s", got)
	}
	if first["got"].(map[string]any)["latency_ms"] != 3.0 || first["reproduce"] != "hookctl trigger --mutate valid" {
		t.Errorf("first check %v", first)
	}
	if skip := checks[4].(map[string]any); skip["got"] != nil || skip["reproduce"] != "" || skip["required"] != false {
		t.Errorf("skipped check %v", skip)
	}
}

func TestCheckTableOnATerminal(t *testing.T) {
	c, out := testCheck(true)
	if err := c.Report(sampleReport()); err != nil {
		t.Fatal(err)
	}
	want := `CHECK                A CORRECT ENDPOINT         GOT      RESULT
valid                accepts it (exactly 200)   200 3ms  pass
answer-time          answers within 10s         200 3ms  pass
wrong-secret         rejects it (4xx)           200 2ms  fail
malformed-signature  rejects each (4xx)         500 1ms  warn
stale-timestamp      notify signs no timestamp  -        skip

wrong-secret accepted with 200: anyone can forge events
  hookctl trigger --mutate wrong-secret

malformed-signature garbage: rejected with 500 <&>
  hookctl trigger --mutate malformed-signature

FAIL http://localhost:5000/hooks: 2 passed, 1 failed, 1 warned, 1 skipped
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	c.Styles = ui.New(true)
	out.Reset()
	if err := c.Report(sampleReport()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), c.Styles.Fail("fail")) || !strings.Contains(out.String(), c.Styles.Warn("warn")) {
		t.Errorf("the verdicts are not styled:\n%q", out.String())
	}
}

// Progress is drawn on a terminal's stderr only, and erased.
func TestCheckProgressOnlyOnATerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		ios, _, _, errOut := iostreams.Test()
		ios.SetTTY(false, false, tty)
		c := &Check{IO: ios, Styles: ui.New(false)}
		c.Progress(check.Started{Name: "valid", Index: 2, Total: 13})
		c.Progress(check.Done{Result: &check.Result{Name: "valid"}})
		if got := errOut.String(); tty != strings.Contains(got, "checking valid (2/13)") || tty != strings.HasSuffix(got, "\r\033[K") {
			t.Errorf("tty %v: stderr %q", tty, got)
		}
	}
}
