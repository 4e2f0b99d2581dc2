package listen

import (
	"bytes"
	"sync"
	"sync/atomic"
	"time"
)

// The display never holds up an answer: OnRequest is called from one
// goroutine fed by a bounded queue, after the answer has gone out. When the
// queue is full (stdout is blocked: 'hookctl listen | sleep 60', a stalled
// CI pipe), a result is counted as not shown instead of waited for; the
// capture has every request either way.
const (
	showQueueLen   = 1024
	showQueueBytes = 32 << 20 // of copied bodies waiting to be shown
	// showDrain is how long a stopping listen waits for the display to
	// catch up before counting the rest as not shown.
	showDrain = 2 * time.Second
)

type showQueue struct {
	fn func(*Result)
	ch chan *Result

	mu     sync.RWMutex // guards closed against sends on ch
	closed bool

	bytes   atomic.Int64 // body bytes waiting
	queued  atomic.Int64 // results put on the queue
	shown   atomic.Int64 // results OnRequest returned from
	dropped atomic.Int64 // results never queued: the queue was full
	done    chan struct{}
}

func newShowQueue(fn func(*Result)) *showQueue {
	q := &showQueue{fn: fn, ch: make(chan *Result, showQueueLen), done: make(chan struct{})}
	go q.loop()
	return q
}

func (q *showQueue) loop() {
	defer close(q.done)
	for res := range q.ch {
		n := int64(len(res.Body))
		q.fn(res)
		q.bytes.Add(-n)
		q.shown.Add(1)
	}
}

// offer queues res (with a copy of its body, which is only valid during
// the request) unless the queue is full.
func (q *showQueue) offer(res *Result) {
	n := int64(len(res.Body))
	if q.bytes.Add(n) > showQueueBytes {
		q.bytes.Add(-n)
		q.dropped.Add(1)
		return
	}
	if res.Body != nil {
		res.Body = bytes.Clone(res.Body)
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	if !q.closed {
		select {
		case q.ch <- res:
			q.queued.Add(1)
			return
		default:
		}
	}
	q.bytes.Add(-n)
	q.dropped.Add(1)
}

// drain stops the queue and waits, at most showDrain, for what is queued
// to be shown; it returns how many results were not shown.
func (q *showQueue) drain() int64 {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
	q.mu.Unlock()
	t := time.NewTimer(showDrain)
	defer t.Stop()
	select {
	case <-q.done:
	case <-t.C:
	}
	return q.dropped.Load() + q.queued.Load() - q.shown.Load()
}
