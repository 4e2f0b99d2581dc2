package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// testReceiverMain is a small webhook receiver for the trigger and replay
// scripts. It checks signatures the way each source document's sample code
// does, on its own (not with hookctl's signer), answers a programmed
// sequence of statuses, logs every request and exits after --count of them:
//
//	exec testreceiver --provider notify --secret s --status 500,200 --count 2 --ready url.txt &recv&
//	waitfile url.txt URL
//	exec hookctl trigger connection.created --to $URL --secret s --retry --retry-scale 0.0001
//	wait recv
//	stdout 'signature=valid'
//
// Each request prints one line on stdout, 'N METHOD PATH EVENT ID
// signature=S status=C' (S is valid, invalid, missing or unchecked), and a
// last line sums up: 'received N requests, D distinct ids, V valid signatures'.
// It exits 1 when fewer than --count requests came within --timeout.
func testReceiverMain() {
	os.Exit(runTestReceiver(os.Args[1:], os.Stdout, os.Stderr))
}

// receiverSchemes are the document providers' signature checks, as their
// sample code writes them: lowercase hex HMAC-SHA256 of the raw body,
// compared with the header's text (notion: with a sha256= prefix).
var receiverSchemes = map[string]struct{ header, prefix string }{
	"notify":  {"x-notify-signature", ""},
	"notifly": {"x-notifly-signature", ""},
	"generic": {"X-Webhook-Signature", ""},
	"notion":  {"X-Notion-Signature", "sha256="},
}

type receiver struct {
	provider   string
	secret     string
	adopt      bool // notion: take the key from the verification request
	statuses   []int
	location   string
	delay      time.Duration
	answer     string // --answer: a fixed body, with $challenge and $plainToken filled in
	answerType string
	count      int
	log        *os.File
	out        io.Writer
	mu         sync.Mutex
	n          int
	ids        map[string]bool
	valid      int
	done       chan struct{}
	closeOnce  sync.Once
}

func runTestReceiver(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testreceiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ready := fs.String("ready", "", "write the receiver's URL to this file once it listens")
	portFile := fs.String("port-file", "", "write the port to this file once it listens")
	configFile := fs.String("config-file", "", "write a hookctl config file with 'to: URL' once it listens")
	provider := fs.String("provider", "", "check signatures as this document's sample code does: notify, notifly, generic, notion")
	secret := fs.String("secret", "", "signing secret (notion: the verification token)")
	adopt := fs.Bool("handshake-token", false, "notion: use the verification_token of the handshake request as the key")
	status := fs.String("status", "200", "statuses to answer, comma-separated, in order; the last one repeats")
	location := fs.String("location", "", "Location header of 3xx answers")
	delay := fs.Duration("delay", 0, "wait this long before answering")
	count := fs.Int("count", 1, "exit after this many requests")
	logFile := fs.String("log", "", "append one JSON line per request to this file")
	timeout := fs.Duration("timeout", 20*time.Second, "fail if --count requests did not come within this")
	answer := fs.String("answer", "", "answer this body instead; $challenge and $plainToken become the request's (handshake tests)")
	answerType := fs.String("answer-type", "application/json", "Content-Type of the answer")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if _, ok := receiverSchemes[*provider]; *provider != "" && !ok {
		fmt.Fprintf(stderr, "testreceiver: unknown --provider %q\n", *provider)
		return 2
	}
	r := &receiver{provider: *provider, secret: *secret, adopt: *adopt, location: *location, delay: *delay, answer: *answer, answerType: *answerType,
		count: *count, out: stdout, ids: map[string]bool{}, done: make(chan struct{})}
	for _, s := range strings.Split(*status, ",") {
		code, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || code < 100 || code > 599 {
			fmt.Fprintf(stderr, "testreceiver: bad --status %q\n", *status)
			return 2
		}
		r.statuses = append(r.statuses, code)
	}
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintln(stderr, "testreceiver:", err)
			return 2
		}
		defer f.Close()
		r.log = f
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(stderr, "testreceiver:", err)
		return 1
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	url := "http://127.0.0.1:" + port
	for file, content := range map[string]string{*ready: url, *portFile: port, *configFile: "to: " + url + "/from-config\n"} {
		if file == "" {
			continue
		}
		// Written whole, by rename, so a waiting script never reads half of it.
		if err := os.WriteFile(file+".tmp", []byte(content), 0o644); err == nil {
			err = os.Rename(file+".tmp", file)
		}
		if err != nil {
			fmt.Fprintln(stderr, "testreceiver:", err)
			return 1
		}
	}
	code := 0
	select {
	case <-r.done:
	case <-time.After(*timeout):
		fmt.Fprintf(stderr, "testreceiver: only %d of %d requests came within %s\n", r.received(), r.count, *timeout)
		code = 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx) // lets the last answer go out
	r.mu.Lock()
	fmt.Fprintf(stdout, "received %d requests, %d distinct ids, %d valid signatures\n", r.n, len(r.ids), r.valid)
	r.mu.Unlock()
	return code
}

func (r *receiver) received() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	var doc map[string]any
	_ = json.Unmarshal(body, &doc)
	event, id := field(doc, "type", "event"), field(doc, "id", "event_id")

	r.mu.Lock()
	r.n++
	n := r.n
	sig := r.check(req.Header, body, doc)
	if sig == "valid" {
		r.valid++
	}
	if id != "" {
		r.ids[id] = true
	}
	status := r.statuses[min(n, len(r.statuses))-1]
	if sig == "invalid" || sig == "missing" {
		status = http.StatusUnauthorized // as the documents' handlers answer
	}
	if r.log != nil {
		headers := map[string]string{}
		for k, v := range req.Header {
			headers[k] = strings.Join(v, ", ")
		}
		line, _ := json.Marshal(map[string]any{
			"n": n, "method": req.Method, "path": req.URL.RequestURI(), "event": event, "id": id,
			"attempt_number": doc["attempt_number"], "signature": sig, "status": status, "headers": headers, "body": string(body),
		})
		_, _ = r.log.Write(append(line, '\n'))
	}
	fmt.Fprintf(r.out, "%d %s %s %s %s signature=%s status=%d\n", n, req.Method, req.URL.RequestURI(), orDash(event), orDash(id), sig, status)
	last := n == r.count
	r.mu.Unlock()

	if r.delay > 0 {
		select {
		case <-time.After(r.delay):
		case <-req.Context().Done():
		}
	}
	if status >= 300 && status < 400 && r.location != "" {
		w.Header().Set("Location", r.location)
	}
	w.Header().Set("Content-Type", r.answerType)
	w.WriteHeader(status)
	if r.answer != "" {
		challenge := field(doc, "challenge")
		if challenge == "" {
			challenge = req.URL.Query().Get("hub.challenge")
		}
		plain, _ := doc["payload"].(map[string]any)
		tok, _ := plain["plainToken"].(string)
		fmt.Fprint(w, strings.NewReplacer("$challenge", challenge, "$plainToken", tok).Replace(r.answer))
	} else {
		fmt.Fprintf(w, "{\"received\":%d}\n", n)
	}
	if last {
		r.closeOnce.Do(func() { close(r.done) })
	}
}

// check verifies a request as the provider's sample code does. Called
// with r.mu held.
func (r *receiver) check(h http.Header, body []byte, doc map[string]any) string {
	sch, ok := receiverSchemes[r.provider]
	if !ok {
		return "unchecked"
	}
	if tok, isHandshake := doc["verification_token"].(string); r.provider == "notion" && isHandshake && len(doc) == 1 {
		// The verification request is not signed; the app keeps its token.
		if r.adopt {
			r.secret = tok
		}
		return "unchecked"
	}
	got := h.Get(sch.header)
	if got == "" {
		return "missing"
	}
	mac := hmac.New(sha256.New, []byte(r.secret))
	mac.Write(body)
	want := sch.prefix + hex.EncodeToString(mac.Sum(nil))
	if hmac.Equal([]byte(got), []byte(want)) {
		return "valid"
	}
	return "invalid"
}

func field(doc map[string]any, names ...string) string {
	for _, n := range names {
		if s, ok := doc[n].(string); ok {
			return s
		}
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
