package inspect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hookctl/hookctl/internal/delivery"
	"github.com/hookctl/hookctl/internal/httpx"
)

// StartConfig says what to inspect and where to serve it.
type StartConfig struct {
	Capture string // the capture file (need not exist yet)
	Host    string // "" is 127.0.0.1
	Port    int
	// Fallback takes a free port when Port is taken (no --port given).
	Fallback bool
	Engine   *Engine
	Result   func(*delivery.Result) []byte
}

// BindError is a port that could not be taken.
type BindError struct {
	Addr string
	Err  error
}

func (e *BindError) Error() string { return fmt.Sprintf("cannot serve on %s: %v", e.Addr, e.Err) }

// Running is an inspector bound to its port, indexing its file.
type Running struct {
	URL string // the page's address, http://127.0.0.1:PORT/
	ln  net.Listener
	idx *Index
	srv *http.Server
}

// Start binds the port, indexes the file and starts tailing it; Serve
// then answers requests.
func Start(cfg StartConfig) (*Running, error) {
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil && cfg.Fallback {
		ln, err = net.Listen("tcp", net.JoinHostPort(cfg.Host, "0"))
	}
	if err != nil {
		return nil, &BindError{Addr: addr, Err: httpx.Cause(err)}
	}
	idx, err := NewIndex(cfg.Capture, 0)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("cannot read capture file %s: %v", cfg.Capture, httpx.Cause(err))
	}
	h, err := New(Config{Index: idx, Actions: cfg.Engine.Actions(), Result: cfg.Result, Addr: ln.Addr().String()})
	if err != nil {
		ln.Close()
		idx.Close()
		return nil, err
	}
	idx.Start()
	a := ln.Addr().(*net.TCPAddr)
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1" // a bind to every interface is reached at 127.0.0.1
	}
	return &Running{
		URL: "http://" + net.JoinHostPort(host, strconv.Itoa(a.Port)) + "/",
		ln:  ln, idx: idx,
		srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
	}, nil
}

// Records is how many records the index holds.
func (r *Running) Records() int { return r.idx.Len() }

// Serve answers requests until ctx is done, then stops: event streams
// never go idle, so other requests get a second to finish.
func (r *Running) Serve(ctx context.Context) error {
	defer r.idx.Close()
	errc := make(chan error, 1)
	go func() { errc <- r.srv.Serve(r.ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if r.srv.Shutdown(sctx) != nil {
		_ = r.srv.Close()
	}
	return nil
}
