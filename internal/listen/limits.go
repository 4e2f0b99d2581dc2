package listen

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
)

// Limits that keep listen answering under hostile or unlucky input.
const (
	// DefaultMaxConnections caps the connections open at once
	// (--max-connections).
	DefaultMaxConnections = 1024
	// MaxHeaderBytes is the most a request line and its headers may take;
	// more gets 431. net/http allows 4 KiB over its MaxHeaderBytes.
	MaxHeaderBytes = 64 << 10
	// DefaultMaxBodyMemory caps the body bytes held in memory at once
	// across all requests (at least twice --max-body).
	DefaultMaxBodyMemory = 64 << 20
)

// errBusy is a body that would take listen past its body memory cap.
var errBusy = errors.New("listen is holding as many request bodies in memory as it may")

// budget counts the body bytes held in memory by all requests.
type budget struct {
	limit int64
	held  atomic.Int64
}

func (b *budget) take(n int64) bool {
	if b.held.Add(n) > b.limit {
		b.held.Add(-n)
		return false
	}
	return true
}

func (b *budget) give(n int64) { b.held.Add(-n) }

// bodyPool holds the scratch of requests: body buffers of at most
// maxPooledBody bytes, and the record.
var bodyPool = sync.Pool{New: func() any { return &body{b: make([]byte, 0, 16<<10)} }}

const maxPooledBody = 64 << 10

// body is one request's scratch: its body buffer, the memory it holds, and
// the capture record, which refers to the buffer until it is written.
type body struct {
	b    []byte
	held int64
	rec  capture.Record
}

// newBody takes a request's scratch from the pool; release gives it back.
func newBody() *body {
	bd := bodyPool.Get().(*body)
	bd.b = bd.b[:0]
	return bd
}

// readBody reads r whole into bd. The buffer grows with the bytes that
// arrive, not with the size the request claims (it doubles, but never past
// the Content-Length when there is one), and every growth is taken from
// the budget first: errBusy when it is spent.
func (s *Server) readBody(bd *body, r io.Reader, contentLength int64) error {
	if !s.budget.take(int64(cap(bd.b))) {
		return errBusy
	}
	bd.held = int64(cap(bd.b))
	for {
		if len(bd.b) == cap(bd.b) {
			grow := max(cap(bd.b), 16<<10)
			if contentLength >= int64(len(bd.b)) {
				// +1 leaves room to see the end without growing again.
				grow = max(1, min(grow, int(contentLength)+1-len(bd.b)))
			}
			if !s.budget.take(int64(grow)) {
				return errBusy
			}
			nb := make([]byte, len(bd.b), cap(bd.b)+grow)
			copy(nb, bd.b)
			bd.b = nb
			bd.held += int64(grow)
		}
		n, err := r.Read(bd.b[len(bd.b):cap(bd.b)])
		bd.b = bd.b[:len(bd.b)+n]
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// release gives the body's memory back once the request is done with it
// (its record written), and the scratch to the pool.
func (s *Server) release(bd *body) {
	s.budget.give(bd.held)
	bd.held, bd.rec = 0, capture.Record{}
	if cap(bd.b) <= maxPooledBody {
		bd.b = bd.b[:0]
		bodyPool.Put(bd)
	}
}

// connLimit caps the connections open at once. When a new connection
// arrives at the cap, the one that has waited longest without a request in
// progress (an idle keep-alive connection, or one still sending its
// headers: a slowloris) is closed to make room; when every connection has
// a request in progress, accepting waits for one to end (new connections
// queue in the kernel's backlog meanwhile).
type connLimit struct {
	net.Listener
	max int

	mu    sync.Mutex
	freed *sync.Cond
	conns map[net.Conn]*connEntry
	clock func() time.Time
}

// connEntry is a connection's state for the cap: since when it has been
// waiting without a request in progress (Unix nanoseconds), 0 while a
// request is in progress. Atomic, so net/http's state changes on every
// request take no lock.
type connEntry struct{ waitingSince atomic.Int64 }

func (e *connEntry) mark(waiting bool, clock func() time.Time) {
	var since int64
	if waiting {
		since = max(1, clock().UnixNano())
	}
	e.waitingSince.Store(since)
}

func newConnLimit(ln net.Listener, max int) *connLimit {
	l := &connLimit{Listener: ln, max: max, conns: map[net.Conn]*connEntry{}, clock: time.Now}
	l.freed = sync.NewCond(&l.mu)
	return l
}

func (l *connLimit) Accept() (net.Conn, error) {
	raw, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	fc := newFramedConn(raw)
	fc.entry = &connEntry{}
	fc.entry.mark(true, l.clock)
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.conns) >= l.max {
		if victim := l.oldestWaiting(); victim != nil {
			delete(l.conns, victim)
			_ = victim.Close()
			break
		}
		l.freed.Wait()
	}
	l.conns[fc] = fc.entry
	return fc, nil
}

func (l *connLimit) oldestWaiting() net.Conn {
	var victim net.Conn
	var at int64
	for c, e := range l.conns {
		if since := e.waitingSince.Load(); since != 0 && (victim == nil || since < at) {
			victim, at = c, since
		}
	}
	return victim
}

// state follows net/http's view of each connection (Server.ConnState).
func (l *connLimit) state(c net.Conn, st http.ConnState) {
	switch st {
	case http.StateActive, http.StateIdle:
		if e := l.entry(c); e != nil {
			e.mark(st == http.StateIdle, l.clock)
		}
	case http.StateClosed, http.StateHijacked:
		l.mu.Lock()
		defer l.mu.Unlock()
		if _, ok := l.conns[c]; ok {
			delete(l.conns, c)
			l.freed.Signal()
		}
	}
}

// entry is a connection's entry: its own for those Accept returned.
func (l *connLimit) entry(c net.Conn) *connEntry {
	if fc, ok := c.(*framedConn); ok {
		return fc.entry
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conns[c]
}

// open is the number of connections counted against the cap.
func (l *connLimit) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

// refused answers methods listen never serves: CONNECT (a proxy tunnel)
// and PRI (the HTTP/2 preface sent as HTTP/1). The connection is closed.
func refused(method string) bool { return method == http.MethodConnect || method == "PRI" }
