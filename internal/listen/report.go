package listen

import (
	"bytes"
	"sync/atomic"
	"time"
)

// Display shows answered requests. The server reports each request's
// Result as an event on a bounded queue, and one goroutine hands the
// events to the Display in the order they were queued; a request never
// waits for it. When the queue is full (the display is behind, e.g. its
// output is a stalled pipe), the Result is not shown and only counted.
type Display interface {
	// Request shows one answered request.
	Request(*Result)
	// NotShown says that n requests before the next one were not shown.
	NotShown(n int64)
	// Flush writes out what Request buffered. It is called when the queue
	// runs empty, and at least every flushEvery requests; Request itself
	// should not write.
	Flush()
}

// Defaults of the display queue.
const (
	DefaultQueueLen = 1024
	// DefaultQueueBytes bounds the body bytes held by queued Results.
	DefaultQueueBytes = 8 << 20
	// DefaultDrainTimeout is how long a stopping listen waits for the
	// display to show what is queued.
	DefaultDrainTimeout = 2 * time.Second

	flushEvery = 64
)

// reporter is the queue between the requests and the display.
type reporter struct {
	d        Display
	keepBody int   // bytes of each body the display is given
	maxBytes int64 // body bytes queued at most
	queue    chan *Result
	bytes    atomic.Int64
	missed   atomic.Int64  // not shown since the last shown one
	notShown atomic.Int64  // not shown in all
	pending  atomic.Int64  // given to the display since its last Flush
	closing  chan struct{} // closed by stop
	done     chan struct{} // closed when run returns
}

func newReporter(cfg Config) *reporter {
	if cfg.Display == nil {
		return nil
	}
	n := cmpOr(cfg.QueueLen, DefaultQueueLen)
	return &reporter{
		d: cfg.Display, keepBody: cfg.DisplayBody, maxBytes: int64(cmpOr(cfg.QueueBytes, DefaultQueueBytes)),
		queue: make(chan *Result, n), closing: make(chan struct{}), done: make(chan struct{}),
	}
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// report queues a Result for the display, or counts it when the queue is
// full; it never blocks. The body is copied (at most keepBody bytes):
// the request's buffer goes back to its pool when the request ends.
func (p *reporter) report(res *Result) {
	if p == nil {
		return
	}
	body := res.Body
	res.Body = nil
	if n := min(len(body), p.keepBody); n > 0 {
		if p.bytes.Add(int64(n)) > p.maxBytes {
			p.bytes.Add(-int64(n))
			p.drop()
			return
		}
		res.Body = bytes.Clone(body[:n])
	}
	if f := res.Forward; f != nil && f.Head != nil {
		f.Head = bytes.Clone(f.Head) // not the app's whole answer
	}
	select {
	case <-p.closing: // a request that outlived the stop
		p.bytes.Add(-int64(len(res.Body)))
		p.drop()
		return
	default:
	}
	select {
	case p.queue <- res:
	default:
		p.bytes.Add(-int64(len(res.Body)))
		p.drop()
	}
}

func (p *reporter) drop() {
	p.missed.Add(1)
	p.notShown.Add(1)
}

// run is the display goroutine: it shows each queued Result, flushing
// when the queue runs empty, until stop; then it shows what is left.
func (p *reporter) run() {
	defer close(p.done)
	for {
		select {
		case res := <-p.queue:
			p.show(res)
		case <-p.closing:
			for {
				select {
				case res := <-p.queue:
					p.show(res)
				default:
					return // Summary.NotShown counts what is left
				}
			}
		}
	}
}

func (p *reporter) show(res *Result) {
	if n := p.missed.Swap(0); n > 0 {
		p.d.NotShown(n)
	}
	p.d.Request(res)
	p.bytes.Add(-int64(len(res.Body)))
	if p.pending.Add(1) >= flushEvery || len(p.queue) == 0 {
		p.d.Flush()
		p.pending.Store(0)
	}
}

// stop ends the display once the requests are done, waiting at most wait
// for it to show what is queued. What it could not show by then is
// counted: the total not shown is returned.
func (p *reporter) stop(wait time.Duration) int64 {
	if p == nil {
		return 0
	}
	close(p.closing)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
		// The display is stuck (its output is blocked): what it holds
		// unwritten and what is still queued are not shown.
		p.notShown.Add(p.pending.Swap(0) + int64(len(p.queue)))
	}
	return p.notShown.Load()
}
