package delivery

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseTargetErrorsNameNoFlag(t *testing.T) {
	if _, err := ParseTarget(" "); err != ErrNoTarget {
		t.Errorf("empty target: %v", err)
	}
	_, err := ParseTarget("localhost:abc")
	var te *TargetError
	if !errors.As(err, &te) || te.Value != "localhost:abc" || strings.Contains(err.Error(), "--") {
		t.Errorf("bad target: %#v", err)
	}
}

func newTestSender(c Config) *Sender {
	if c.Sleep == nil {
		c.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	}
	return NewSender(c)
}

func TestSendExactBytesAndHeaders(t *testing.T) {
	var got *http.Request
	var gotBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		gotBody, _ = io.ReadAll(r.Body)
		w.Header().Set("X-Answer", "yes")
		io.WriteString(w, "line1\nline2\n")
	}))
	defer srv.Close()
	body := []byte(`{"b":1,"a":"é"}` + "\n")
	s := newTestSender(Config{})
	res := s.Send(context.Background(), &Request{URL: srv.URL + "/hook", Body: body, Header: http.Header{"X-Sig": {"abc"}, "Host": {"example.test"}}})
	if !res.OK || res.Status != 200 || res.Err != "" {
		t.Fatalf("result %+v", res)
	}
	if got.Method != "POST" || got.URL.Path != "/hook" || got.Header.Get("X-Sig") != "abc" || got.Host != "example.test" {
		t.Errorf("request %s %s host %s headers %v", got.Method, got.URL, got.Host, got.Header)
	}
	if !bytes.Equal(gotBody, body) {
		t.Errorf("body %q, want %q", gotBody, body)
	}
	if got.Header.Get("Accept-Encoding") != "" {
		t.Errorf("Accept-Encoding %q added", got.Header.Get("Accept-Encoding"))
	}
	if string(res.RespBody) != "line1\nline2\n" || res.RespHeader.Get("X-Answer") != "yes" {
		t.Errorf("response %q %v", res.RespBody, res.RespHeader)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	s := newTestSender(Config{})
	res := s.Send(context.Background(), &Request{URL: srv.URL})
	if res.OK || res.Status != 302 || res.Location != "/elsewhere" || !strings.Contains(res.Err, "redirect to /elsewhere not followed") {
		t.Fatalf("result %+v", res)
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests: the redirect was followed", hits.Load())
	}
}

func TestExplainErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	// A generous timeout for the refusal: on a loaded machine even a refused
	// dial can take longer than the 50ms the timeout case below uses.
	s := newTestSender(Config{Rules: Rules{Timeout: 10 * time.Second}})
	res := s.Send(context.Background(), &Request{URL: "http://" + addr + "/"})
	_, port, _ := net.SplitHostPort(addr)
	if res.Kind != "connection refused" || !strings.Contains(res.Err, "nothing is listening at "+addr) || res.Advice != AdviseStartApp || Port(res.Request.URL) != port {
		t.Errorf("refused: %q %q", res.Kind, res.Err)
	}

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer slow.Close()
	s = newTestSender(Config{Rules: Rules{Timeout: 50 * time.Millisecond}})
	res = s.Send(context.Background(), &Request{URL: slow.URL})
	if res.Kind != "timeout" || !strings.Contains(res.Err, "within 50ms") || res.Advice != AdviseTimeout {
		t.Errorf("timeout: %q %q", res.Kind, res.Err)
	}

	s = newTestSender(Config{Rules: Rules{Timeout: 10 * time.Second}})
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer tlsSrv.Close()
	res = s.Send(context.Background(), &Request{URL: tlsSrv.URL})
	if res.Kind != "TLS" || !strings.Contains(res.Err, "not trusted") || res.Advice != AdviseInsecure {
		t.Errorf("tls: %q %q", res.Kind, res.Err)
	}
	insecure := newTestSender(Config{Client: NewClient(ClientOptions{Insecure: true})})
	if res := insecure.Send(context.Background(), &Request{URL: tlsSrv.URL}); !res.OK {
		t.Errorf("--insecure: %+v", res)
	}
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	res = s.Send(context.Background(), &Request{URL: strings.Replace(plain.URL, "http://", "https://", 1)})
	if res.Kind != "TLS" || !strings.Contains(res.Err, "does not speak TLS") || res.Advice != AdviseHTTP {
		t.Errorf("https to http: %q %q", res.Kind, res.Err)
	}
}

func TestPercentile(t *testing.T) {
	var v []time.Duration
	for i := 1; i <= 100; i++ {
		v = append(v, time.Duration(i))
	}
	if percentile(v, 50) != 50 || percentile(v, 90) != 90 || percentile(v, 99) != 99 || percentile(v[:1], 99) != 1 || percentile(nil, 50) != 0 {
		t.Errorf("percentiles wrong")
	}
}

func TestExplainDNS(t *testing.T) {
	s := newTestSender(Config{Rules: Rules{Timeout: 10 * time.Second}})
	res := s.Send(context.Background(), &Request{URL: "http://no-such-host.invalid:5000/"})
	if res.Kind != "DNS" || !strings.HasPrefix(res.Err, "cannot resolve no-such-host.invalid (") || !strings.HasSuffix(res.Err, ")") || res.Advice != AdviseCheckHost {
		t.Errorf("dns: %q %q", res.Kind, res.Err)
	}
}

// loadServer counts connections and checks every request it gets.
func loadServer(t *testing.T, tlsOn bool, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	if tlsOn {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestLoadSendsExactRequestsOverKeptConnections(t *testing.T) {
	var bad atomic.Int32
	srv, conns := loadServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method != "POST" || r.URL.RequestURI() != "/hook?a=1" || r.Host != "example.test" || r.Header.Get("X-Sig") != "v1,abc" ||
			r.Header.Get("Content-Type") != "application/json" || string(b) != `{"n":1}` || r.ContentLength != 7 {
			bad.Add(1)
		}
		io.WriteString(w, "ok")
	})
	s := newTestSender(Config{Client: NewClient(ClientOptions{Concurrency: 4}), Rules: Rules{Timeout: 5 * time.Second}})
	sum, err := s.Load(context.Background(), LoadOptions{Count: 300, Concurrency: 4, URL: srv.URL, Build: func(int) (*Request, error) {
		return &Request{URL: srv.URL + "/hook?a=1", Body: []byte(`{"n":1}`), Header: http.Header{
			"X-Sig": {"v1,abc"}, "Content-Type": {"application/json"}, "Host": {"example.test"},
		}}, nil
	}})
	if err != nil || sum.Succeeded != 300 || bad.Load() != 0 {
		t.Fatalf("err %v summary %+v, %d requests not as built", err, sum, bad.Load())
	}
	if n := conns.Load(); n > 4 {
		t.Errorf("%d connections for 4 workers: keep-alive not used", n)
	}
}

func TestLoadWhenTheServerClosesConnections(t *testing.T) {
	srv, conns := loadServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		w.WriteHeader(http.StatusAccepted)
	})
	s := newTestSender(Config{Client: NewClient(ClientOptions{Concurrency: 2})})
	sum, err := s.Load(context.Background(), LoadOptions{Count: 20, Concurrency: 2, URL: srv.URL, Build: func(int) (*Request, error) {
		return &Request{URL: srv.URL}, nil
	}})
	if err != nil || sum.Succeeded != 20 || conns.Load() != 20 {
		t.Errorf("err %v summary %+v connections %d", err, sum, conns.Load())
	}
}

func TestLoadErrorsAreExplained(t *testing.T) {
	slow, _ := loadServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	s := newTestSender(Config{Client: NewClient(ClientOptions{}), Rules: Rules{Timeout: 50 * time.Millisecond}})
	build := func(u string) func(int) (*Request, error) {
		return func(int) (*Request, error) { return &Request{URL: u}, nil }
	}
	sum, _ := s.Load(context.Background(), LoadOptions{Count: 2, Concurrency: 1, URL: slow.URL, Build: build(slow.URL)})
	if sum.Failed != 2 || len(sum.Failures) != 1 || sum.Failures[0].Kind != "timeout" {
		t.Errorf("timeout: %+v", sum)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + l.Addr().String()
	l.Close()
	sum, _ = s.Load(context.Background(), LoadOptions{Count: 3, Concurrency: 1, URL: closed, Build: build(closed)})
	if sum.Failed != 3 || sum.Failures[0] != (Failure{"connection refused", 3}) {
		t.Errorf("refused: %+v", sum)
	}
	tlsSrv, _ := loadServer(t, true, func(w http.ResponseWriter, r *http.Request) {})
	sum, _ = s.Load(context.Background(), LoadOptions{Count: 1, Concurrency: 1, URL: tlsSrv.URL, Build: build(tlsSrv.URL)})
	if sum.Failed != 1 || sum.Failures[0].Kind != "TLS" {
		t.Errorf("untrusted TLS: %+v", sum)
	}
	insecure := newTestSender(Config{Client: NewClient(ClientOptions{Insecure: true}), Rules: Rules{Timeout: 5 * time.Second}})
	sum, _ = insecure.Load(context.Background(), LoadOptions{Count: 5, Concurrency: 2, URL: tlsSrv.URL, Build: build(tlsSrv.URL)})
	if sum.Succeeded != 5 {
		t.Errorf("--insecure TLS: %+v", sum)
	}
}

func TestLoadStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int32
	srv, _ := loadServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 10 {
			cancel()
		}
	})
	s := newTestSender(Config{Client: NewClient(ClientOptions{})})
	sum, err := s.Load(ctx, LoadOptions{Count: 100000, Concurrency: 2, URL: srv.URL, Build: func(int) (*Request, error) {
		return &Request{URL: srv.URL}, nil
	}})
	if err != nil || !sum.Interrupted || sum.Sent >= 100000 || sum.OK() {
		t.Errorf("err %v summary %+v", err, sum)
	}
}

// A huge --retry-scale waits as long as it can, never a negative time that
// fires every retry at once.
func TestScaledDoesNotWrap(t *testing.T) {
	if got := Scaled(5*time.Minute, 1e300); got != time.Duration(math.MaxInt64) {
		t.Errorf("Scaled(5m, 1e300) = %v", got)
	}
	if got := Scaled(5*time.Minute, 0.001); got != 300*time.Millisecond {
		t.Errorf("Scaled(5m, 0.001) = %v", got)
	}
}
