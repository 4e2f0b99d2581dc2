// Package inspect is hookctl's local web inspector: an http.Handler that
// serves a page and a JSON API over one capture file. The file is the only
// source of truth; the inspector reads it (tailing it for new records) and
// never keeps another copy.
package inspect

import (
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/delivery"
)

//go:embed web
var web embed.FS

// Config builds a Server.
type Config struct {
	Index   *Index
	Actions Actions
	// Addr is the address the server is bound to (host:port); Host
	// headers must name it, localhost or 127.0.0.1 with its port.
	Addr string
	// Result renders a replay's answer as JSON: cmd/inspect gives the
	// attempt line 'hookctl replay --json' prints.
	Result func(*delivery.Result) []byte
	// KeepAlive is the SSE comment interval (default 15s).
	KeepAlive time.Duration
}

// Server is the inspector's handler.
type Server struct {
	cfg   Config
	token string
	hosts map[string]bool
	page  []byte
	mux   *http.ServeMux
}

// TokenHeader carries the per-process token on POSTs.
const TokenHeader = "X-Hookctl-Token"

// csp allows only the page's own script and styles, and requests to itself.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// maxPost bounds a POST body: an edited body (listen's --max-body is 25 MB) as JSON.
const maxPost = 64 << 20

// New builds the handler.
func New(cfg Config) (*Server, error) {
	_, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("inspect: address %q: %v", cfg.Addr, err)
	}
	if cfg.Result == nil {
		return nil, errors.New("inspect: Config.Result is not set")
	}
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = 15 * time.Second
	}
	tok := make([]byte, 16)
	if _, err := rand.Read(tok); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, token: hex.EncodeToString(tok), hosts: map[string]bool{}}
	for _, h := range []string{strings.ToLower(cfg.Addr), "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port} {
		s.hosts[h] = true
	}
	page, err := web.ReadFile("web/index.html")
	if err != nil {
		return nil, err
	}
	s.page = []byte(strings.Replace(string(page), "{{TOKEN}}", s.token, 1))
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.index)
	m.HandleFunc("GET /app.js", s.asset("web/app.js", "text/javascript; charset=utf-8"))
	m.HandleFunc("GET /app.css", s.asset("web/app.css", "text/css; charset=utf-8"))
	m.HandleFunc("GET /api/captures", s.list)
	m.HandleFunc("GET /api/captures/{id}", s.one)
	m.HandleFunc("GET /api/stream", s.stream)
	m.HandleFunc("POST /api/captures/{id}/verify", s.verify)
	m.HandleFunc("POST /api/captures/{id}/replay", s.replay)
	s.mux = m
	return s, nil
}

// Token is the per-process token the page sends on POSTs.
func (s *Server) Token() string { return s.token }

// ServeHTTP checks Host (against DNS rebinding) and, for POSTs, Origin and
// the token (against cross-site requests) before routing.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if !s.hosts[strings.ToLower(r.Host)] {
		httpError(w, http.StatusForbidden, "host %q is not this inspector's address: open it at http://127.0.0.1:PORT", r.Host)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if why := s.postRefused(r); why != "" {
			httpError(w, http.StatusForbidden, "%s", why)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxPost)
	}
	s.mux.ServeHTTP(w, r)
}

// postRefused says why a state-changing request is not the page's own.
func (s *Server) postRefused(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" {
		host, ok := strings.CutPrefix(strings.ToLower(o), "http://")
		if !ok || !s.hosts[host] {
			return "cross-origin request refused"
		}
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return "cross-site request refused"
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(TokenHeader)), []byte(s.token)) != 1 {
		return "missing or wrong " + TokenHeader + ": use the page this inspector serves"
	}
	return ""
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(s.page)
}

func (s *Server) asset(name, ctype string) http.HandlerFunc {
	b, _ := web.ReadFile(name)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write(b)
	}
}

func httpError(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, map[string]string{"error": fmt.Sprintf(format, args...)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// Page is the answer of GET /api/captures.
type Page struct {
	Captures []*Summary `json:"captures"`
	// Next is the before= value of the next (older) page; "" at the end.
	Next    string `json:"next,omitempty"`
	Total   int    `json:"total"`             // records in the file
	Skipped int    `json:"skipped,omitempty"` // lines that are not records
	File    string `json:"file"`
	Error   string `json:"error,omitempty"` // the file cannot be read right now
}

const (
	defaultLimit = 100
	maxLimit     = 1000
)

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := defaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			httpError(w, http.StatusBadRequest, "invalid limit %q: use 1 to %d", v, maxLimit)
			return
		}
		limit = min(n, maxLimit)
	}
	f, err := ParseFilter(q)
	if err != nil {
		httpError(w, http.StatusBadRequest, "%v", err)
		return
	}
	x := s.cfg.Index
	v := x.snapshot()
	end := len(v.entries)
	if b := q.Get("before"); b != "" {
		if end = x.find(v, b); end < 0 || !v.idIs(end, b) {
			httpError(w, http.StatusNotFound, "no capture %q in %s", b, x.path)
			return
		}
	}
	page := &Page{Captures: []*Summary{}, Total: len(v.entries), Skipped: v.skipped, File: x.path}
	if v.err != nil {
		page.Error = v.err.Error()
	}
	m := newMatcher(f, v.names)
	var buf []byte
	for i := end - 1; i >= 0; i-- {
		if r.Context().Err() != nil {
			return
		}
		if !m.entry(v.entries[i]) {
			continue
		}
		line, err := v.line(i, buf)
		if err != nil {
			httpError(w, http.StatusInternalServerError, "reading %s: %v", x.path, err)
			return
		}
		buf = line
		if !m.text(line) {
			continue
		}
		if len(page.Captures) == limit {
			page.Next = page.Captures[limit-1].ID
			break
		}
		sum, err := summarize(line)
		if err != nil {
			continue
		}
		page.Captures = append(page.Captures, sum)
	}
	writeJSON(w, http.StatusOK, page)
}

// idIs reports whether entry i is the record with this id (the id index
// is by hash).
func (v view) idIs(i int, id string) bool {
	line, err := v.line(i, nil)
	if err != nil {
		return false
	}
	var h struct {
		ID string `json:"id"`
	}
	return json.Unmarshal(line, &h) == nil && h.ID == id
}

// record finds a capture by id and returns its line as stored.
func (s *Server) record(w http.ResponseWriter, id string) []byte {
	x := s.cfg.Index
	v := x.snapshot()
	i := x.find(v, id)
	if i < 0 || !v.idIs(i, id) {
		httpError(w, http.StatusNotFound, "no capture %q in %s", id, x.path)
		return nil
	}
	line, err := v.line(i, nil)
	if err != nil {
		httpError(w, http.StatusInternalServerError, "reading %s: %v", x.path, err)
		return nil
	}
	return line
}

func (s *Server) one(w http.ResponseWriter, r *http.Request) {
	line := s.record(w, r.PathValue("id"))
	if line == nil {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(line)
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	x := s.cfg.Index
	v := x.snapshot()
	sent, gen := len(v.entries), v.gen
	fmt.Fprintf(w, "retry: 1000\n\n")
	if rc.Flush() != nil {
		return
	}
	keep := time.NewTicker(s.cfg.KeepAlive)
	defer keep.Stop()
	var buf []byte
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keep.C:
			fmt.Fprintf(w, ": keep-alive\n\n")
		case <-v.changed:
			v = x.snapshot()
			if v.gen != gen {
				// The file was replaced or truncated: the page starts over.
				sent, gen = 0, v.gen
				fmt.Fprintf(w, "event: reset\ndata: {}\n\n")
			}
			for ; sent < len(v.entries); sent++ {
				line, err := v.line(sent, buf)
				if err != nil {
					break
				}
				buf = line
				sum, err := summarize(line)
				if err != nil {
					continue
				}
				b, _ := json.Marshal(sum)
				fmt.Fprintf(w, "event: capture\nid: %s\ndata: %s\n\n", sum.ID, b)
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// decode reads a POST's JSON body into v.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		httpError(w, http.StatusUnsupportedMediaType, "send the body as application/json")
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		httpError(w, http.StatusBadRequest, "invalid JSON body: %v", err)
		return false
	}
	return true
}

func (s *Server) load(w http.ResponseWriter, r *http.Request) *capture.Record {
	line := s.record(w, r.PathValue("id"))
	if line == nil {
		return nil
	}
	var rec capture.Record
	if err := json.Unmarshal(line, &rec); err != nil {
		httpError(w, http.StatusInternalServerError, "capture %s: %v", r.PathValue("id"), err)
		return nil
	}
	return &rec
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Secrets []string `json:"secrets"`
	}
	if !decode(w, r, &in) {
		return
	}
	rec := s.load(w, r)
	if rec == nil {
		return
	}
	res, err := s.cfg.Actions.Verify(r.Context(), rec, in.Secrets)
	if err != nil {
		actionError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) replay(w http.ResponseWriter, r *http.Request) {
	var in ReplayRequest
	if !decode(w, r, &in) {
		return
	}
	rec := s.load(w, r)
	if rec == nil {
		return
	}
	res, err := s.cfg.Actions.Replay(r.Context(), rec, in)
	if err != nil {
		actionError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.cfg.Result(res))
}

func actionError(w http.ResponseWriter, err error) {
	var ie *InputError
	if errors.As(err, &ie) {
		httpError(w, http.StatusBadRequest, "%s", ie.Msg)
		return
	}
	httpError(w, http.StatusInternalServerError, "%v", err)
}
