package present

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/check"
	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/ui"
)

// Check prints the report of 'hookctl check': on a terminal a styled
// table ending with a one-line verdict, elsewhere plain lines, or with
// JSON one object; and the JUnit XML report. Reproduce gives the command
// that resends a check's requests ('hookctl trigger ... --mutate NAME').
type Check struct {
	IO        *iostreams.IOStreams
	Styles    *ui.Styles
	Reproduce func(name string) string
}

// Progress shows the check under way as the status line of a terminal's
// stderr (the IOStreams progress indicator draws nothing elsewhere).
func (c *Check) Progress(e check.Event) {
	switch e := e.(type) {
	case check.Started: // redrawn each second: a slow endpoint shows how long it takes
		label, start := fmt.Sprintf("checking %s (%d/%d)", e.Name, e.Index, e.Total), time.Now()
		c.IO.StartProgressIndicatorFunc(time.Second, func() string {
			if d := time.Since(start); d >= time.Second {
				return label + " " + d.Truncate(time.Second).String()
			}
			return label
		})
	case check.Done:
		c.IO.StopProgressIndicator()
	}
}

// Report writes the report to stdout.
func (c *Check) Report(rep *check.Report) error {
	if c.IO.IsStdoutTTY() {
		return c.table(rep)
	}
	return c.plain(rep)
}

func got(r *check.Result) string {
	if r.Got == nil {
		return "-"
	}
	if r.Got.Status == 0 {
		return "no answer " + latency(r.Got.Latency)
	}
	return fmt.Sprintf("%d %s", r.Got.Status, latency(r.Got.Latency))
}

func latency(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return d.Round(10 * time.Millisecond).String()
}

// plain is one line per check, then its detail and reproduce command
// indented below it, then the counts.
func (c *Check) plain(rep *check.Report) error {
	w := c.IO.Out
	for _, r := range rep.Results {
		if r.Status == check.Skip {
			fmt.Fprintf(w, "%s skip: %s\n", r.Name, r.Detail)
			continue
		}
		fmt.Fprintf(w, "%s %s (%s): a correct endpoint %s\n", r.Name, r.Status, got(r), r.Expected)
		c.explain(w, r, rep.URL)
	}
	_, err := fmt.Fprintln(w, verdict(rep))
	return err
}

// explain writes, indented below a failed or warned check, why and the
// command that reproduces it.
func (c *Check) explain(w io.Writer, r *check.Result, url string) {
	if r.Status != check.Fail && r.Status != check.Warn {
		return
	}
	if d := c.detail(r, url); d != "" {
		fmt.Fprintf(w, "  %s\n", d)
	}
	fmt.Fprintf(w, "  reproduce: %s\n", c.Reproduce(r.Name))
}

func (c *Check) table(rep *check.Report) error {
	st := c.Styles
	rows := [][]string{{"CHECK", "A CORRECT ENDPOINT", "GOT", "RESULT"}}
	for _, r := range rep.Results {
		expect := r.Expected
		if r.Status == check.Skip {
			expect = r.Detail
		}
		rows = append(rows, []string{r.Name, expect, got(r), string(r.Status)})
	}
	var b strings.Builder
	_ = st.Table(&b, rows)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	w := c.IO.Out
	for i, line := range lines {
		if i > 0 { // colour the verdict word at the end of each row
			r := rep.Results[i-1]
			word := string(r.Status)
			line = strings.TrimSuffix(line, word) + statusStyle(st, r.Status)(word)
		}
		fmt.Fprintln(w, line)
	}
	for _, r := range rep.Results {
		if r.Status == check.Fail || r.Status == check.Warn {
			fmt.Fprintf(w, "\n%s %s\n", statusStyle(st, r.Status)(r.Name), c.detail(r, rep.URL))
			fmt.Fprintf(w, "  %s\n", st.Dim(c.Reproduce(r.Name)))
		}
	}
	line := verdict(rep)
	if rep.OK() {
		line = st.OK("PASS") + " " + line
	} else {
		line = st.Fail("FAIL") + " " + line
	}
	_, err := fmt.Fprintf(w, "\n%s\n", line)
	return err
}

func statusStyle(st *ui.Styles, s check.Status) func(string) string {
	switch s {
	case check.Pass:
		return st.OK
	case check.Fail:
		return st.Fail
	case check.Warn:
		return st.Warn
	}
	return st.Dim
}

// detail is why a check failed or warned, with what to do when no answer
// came, worded with check's own flags.
func (c *Check) detail(r *check.Result, url string) string {
	if r.Got == nil || r.Got.Err == "" {
		return r.Detail
	}
	return advise(r.Detail, r.Got.Advice, delivery.Port(url), "the URL")
}

// verdict is the one-line summary.
func verdict(rep *check.Report) string {
	return fmt.Sprintf("%s: %d passed, %d failed, %d warned, %d skipped", rep.URL, rep.Passed, rep.Failed, rep.Warned, rep.Skipped)
}

// checkJSON is the --json object; its field names are a public interface.
type checkJSON struct {
	URL      string          `json:"url"`
	Provider string          `json:"provider"`
	Event    string          `json:"event"`
	Passed   int             `json:"passed"`
	Failed   int             `json:"failed"`
	Warned   int             `json:"warned"`
	Checks   []checkJSONItem `json:"checks"`
}

type checkJSONItem struct {
	Name      string        `json:"name"`
	Required  bool          `json:"required"`
	Status    check.Status  `json:"status"`
	Expected  string        `json:"expected"`
	Got       *checkJSONGot `json:"got"`
	Detail    string        `json:"detail"`
	Reproduce string        `json:"reproduce"`
}

type checkJSONGot struct {
	Status    int     `json:"status"`
	LatencyMS float64 `json:"latency_ms"`
	BodyStart string  `json:"body_start"`
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/100) / 10 }

// JSON writes the report as one indented object.
func (c *Check) JSON(rep *check.Report) error {
	out := checkJSON{URL: rep.URL, Provider: rep.Provider, Event: rep.Event, Passed: rep.Passed, Failed: rep.Failed, Warned: rep.Warned, Checks: []checkJSONItem{}}
	for _, r := range rep.Results {
		item := checkJSONItem{Name: r.Name, Required: r.Required, Status: r.Status, Expected: r.Expected, Detail: c.detail(r, rep.URL)}
		if r.Got != nil {
			item.Got = &checkJSONGot{Status: r.Got.Status, LatencyMS: ms(r.Got.Latency), BodyStart: r.Got.BodyStart}
		}
		if r.Status != check.Skip {
			item.Reproduce = c.Reproduce(r.Name)
		}
		out.Checks = append(out.Checks, item)
	}
	enc := json.NewEncoder(c.IO.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// JUnit XML (the Ant/Jenkins format GitHub Actions, GitLab and Jenkins
// read): one testsuite of one testcase per check, a failure element for
// each failed check and skipped for each skip; a warning is a pass whose
// system-out says why.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

// junitCounts are the attributes testsuites and testsuite share.
type junitCounts struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

type junitSuite struct {
	junitCounts
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	ID         int             `xml:"id,attr"`
	Package    string          `xml:"package,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure"`
	Skipped   *junitMessage `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// JUnit writes the report as JUnit XML; started is when the run began.
func (c *Check) JUnit(w io.Writer, rep *check.Report, started time.Time) error {
	host, _ := os.Hostname()
	if host == "" {
		host = "localhost"
	}
	suite := junitSuite{
		junitCounts: junitCounts{Name: "hookctl check " + rep.Provider, Tests: len(rep.Results), Failures: rep.Failed, Skipped: rep.Skipped},
		Timestamp:   started.UTC().Format("2006-01-02T15:04:05"), Hostname: host, Package: "hookctl.check." + rep.Provider,
		Properties: []junitProperty{{"url", rep.URL}, {"provider", rep.Provider}, {"event", rep.Event}},
	}
	var total time.Duration
	for _, r := range rep.Results {
		var d time.Duration
		for _, a := range r.Answers {
			d += a.Latency
		}
		if r.Shared == "" {
			total += d
		}
		tc := junitCase{Name: r.Name, Classname: suite.Package, Time: seconds(d)}
		msg := r.Expected
		switch r.Status {
		case check.Fail:
			tc.Failure = &junitMessage{Message: c.detail(r, rep.URL), Type: "fail", Text: "sent: " + r.Sent + "\na correct endpoint " + msg + "\nreproduce: " + c.Reproduce(r.Name)}
		case check.Skip:
			tc.Skipped = &junitMessage{Message: r.Detail}
		case check.Warn:
			tc.SystemOut = "warning: " + r.Detail + "\nreproduce: " + c.Reproduce(r.Name)
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Time = seconds(total)
	counts := suite.junitCounts
	counts.Name = "hookctl check"
	doc := junitSuites{junitCounts: counts, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
