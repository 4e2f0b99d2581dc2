package signer

import (
	"hash"
	"io"
	"sync"
	"sync/atomic"
)

// A body larger than the first small read is hashed by a pipeline: one
// goroutine reads the body into a ring of chunks while the MACs hash the
// chunks already read, so reading (a copy from the page cache, a pipe or a
// socket) overlaps hashing. Each MAC beyond the first hashes in a goroutine
// of its own, side by side (GitHub's SHA-256 and SHA-1, rotation keys), and
// a chunk goes back to the ring once every MAC has hashed it. Memory is the
// ring's: constant whatever the body's size.
const (
	chunkSize = 128 << 10
	ringSize  = 4
	// maxLanes bounds the goroutines hashing at once; more MACs than this
	// share the last lane.
	maxLanes = 4
)

type chunk struct {
	buf  []byte
	n    int
	err  error        // the read's error: io.EOF at the end
	refs atomic.Int32 // lanes yet to hash it
}

// pipe is one pipeline's state, pooled: its chunks and channels are reused
// by the next body, so a large body costs a fixed number of allocations.
type pipe struct {
	chunks [ringSize]chunk
	free   chan *chunk
	lanes  [maxLanes]chan *chunk
	done   sync.WaitGroup
}

var pipePool = sync.Pool{New: func() any {
	p := &pipe{free: make(chan *chunk, ringSize)}
	for i := range p.chunks {
		p.chunks[i].buf = make([]byte, chunkSize)
	}
	for i := range p.lanes {
		p.lanes[i] = make(chan *chunk, ringSize)
	}
	return p
}}

// hashStream writes everything r yields to every hash in hs, and returns
// the first read error other than io.EOF.
func hashStream(hs []hash.Hash, r io.Reader) error {
	p := pipePool.Get().(*pipe)
	defer pipePool.Put(p)
	for i := range p.chunks {
		p.free <- &p.chunks[i]
	}
	lanes := min(len(hs), maxLanes)
	// Lane 0 hashes in this goroutine; the others in their own.
	p.done.Add(lanes) // the reader and lanes 1..n-1
	go p.read(r, lanes)
	for l := 1; l < lanes; l++ {
		go p.hash(p.lanes[l], laneHashes(hs, l, lanes))
	}
	err := p.consume(p.lanes[0], laneHashes(hs, 0, lanes))
	p.done.Wait()
	// Every chunk is back in free once the lanes are done: empty it for
	// the next user.
	for range ringSize {
		<-p.free
	}
	return err
}

// laneHashes is the share of hs that lane l of n hashes: one each, the
// last lane taking the rest.
func laneHashes(hs []hash.Hash, l, n int) []hash.Hash {
	if l == n-1 {
		return hs[l:]
	}
	return hs[l : l+1]
}

func (p *pipe) read(r io.Reader, lanes int) {
	defer p.done.Done()
	for {
		c := <-p.free
		c.n, c.err = readFull(r, c.buf)
		c.refs.Store(int32(lanes))
		for l := range lanes {
			p.lanes[l] <- c
		}
		if c.err != nil {
			return
		}
	}
}

func (p *pipe) hash(lane chan *chunk, hs []hash.Hash) {
	defer p.done.Done()
	_ = p.consume(lane, hs)
}

// consume hashes the chunks of one lane up to the last one, and returns
// its read error (nil at io.EOF).
func (p *pipe) consume(lane chan *chunk, hs []hash.Hash) error {
	for {
		c := <-lane
		for _, h := range hs {
			h.Write(c.buf[:c.n])
		}
		err := c.err // read before the chunk goes back to the reader
		if c.refs.Add(-1) == 0 {
			p.free <- c
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
