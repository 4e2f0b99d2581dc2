package signer

import (
	"hash"
	"io"
	"sync"
	"sync/atomic"
)

// A body larger than the first small read is hashed by a pipeline: one
// goroutine, the producer, fills a ring of chunks while the MACs hash the
// chunks already filled, so getting the bytes overlaps hashing. The
// producer reads the body (a pipe, stdin, a socket), or, for a large
// regular file on linux, maps the file's next window from the page cache
// (stream_mmap_linux.go): no copy at all. Each MAC beyond the first hashes
// in a goroutine of its own, side by side (GitHub's SHA-256 and SHA-1,
// rotation keys), at its own pace: no lane waits for another. A chunk goes
// back to the producer once every MAC has hashed it, and the producer
// unmaps a window when it takes its chunk back, so the hashing lanes do
// nothing but hash. Memory is the ring's: constant whatever the body's
// size.
const (
	chunkSize = 256 << 10
	ringSize  = 4
	// maxLanes bounds the goroutines hashing at once; more MACs than this
	// share the last lane.
	maxLanes = 4
)

type chunk struct {
	data    []byte // the bytes to hash: in own, or in mapping
	own     []byte // the read buffer, made on the first read
	mapping []byte // the memory map data lies in, if any: unmapped when the chunk comes back
	err     error  // the read's error: io.EOF at the end
	refs    atomic.Int32
}

// pipe is one pipeline's state, pooled: its chunks and channels are reused
// by the next body, so a large body costs a fixed number of allocations.
type pipe struct {
	chunks [ringSize]chunk
	free   chan *chunk
	lanes  [maxLanes]chan *chunk
	errs   [maxLanes]error
	done   sync.WaitGroup

	r    io.Reader // what the producer reads, when it maps nothing
	file fileMap   // the file the producer maps (linux), when active
}

var pipePool = sync.Pool{New: func() any {
	p := &pipe{free: make(chan *chunk, ringSize)}
	for i := range p.lanes {
		p.lanes[i] = make(chan *chunk, ringSize)
	}
	return p
}}

// hashStream writes everything r yields to every hash in hs, and returns
// the first read error other than io.EOF.
func hashStream(hs []hash.Hash, r io.Reader) error {
	p := pipePool.Get().(*pipe)
	p.r = r
	return p.run(hs)
}

// run hashes what the producer puts in the chunks with every hash, up to
// the chunk that ends the body, and puts the pipe back in the pool.
func (p *pipe) run(hs []hash.Hash) error {
	for i := range p.chunks {
		p.free <- &p.chunks[i]
	}
	lanes := min(len(hs), maxLanes)
	// Lane 0 hashes in this goroutine; the others in their own.
	p.done.Add(lanes) // the producer and lanes 1..n-1
	go p.produce(lanes)
	for l := 1; l < lanes; l++ {
		go p.hash(l, laneHashes(hs, l, lanes))
	}
	p.errs[0] = p.consume(p.lanes[0], laneHashes(hs, 0, lanes))
	p.done.Wait()
	var err error
	for l := range lanes {
		if err == nil {
			err = p.errs[l]
		}
		p.errs[l] = nil
	}
	p.r, p.file = nil, fileMap{}
	pipePool.Put(p)
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

// produce fills chunks until one ends the body, hands each to every lane,
// then takes every chunk back: the ring is empty and nothing is mapped
// when the pipe goes back to the pool.
func (p *pipe) produce(lanes int) {
	defer p.done.Done()
	for {
		c := <-p.free
		release(c)
		if p.file.active() {
			p.file.next(c)
		} else {
			if c.own == nil {
				c.own = make([]byte, chunkSize)
			}
			n, err := readFull(p.r, c.own)
			c.data, c.err = c.own[:n], err
		}
		c.refs.Store(int32(lanes))
		for l := range lanes {
			p.lanes[l] <- c
		}
		if c.err != nil {
			break
		}
	}
	for range ringSize {
		release(<-p.free)
	}
}

func (p *pipe) hash(l int, hs []hash.Hash) {
	defer p.done.Done()
	p.errs[l] = p.consume(p.lanes[l], hs)
}

// consume hashes the chunks of one lane up to the last one, and returns
// its read error (nil at io.EOF), or the first fault of a mapped chunk
// (after which it only passes the chunks on).
func (p *pipe) consume(lane chan *chunk, hs []hash.Hash) error {
	var failed error
	for {
		c := <-lane
		if failed == nil {
			failed = write(hs, c)
		}
		err := c.err // read before the chunk goes back to the producer
		if c.refs.Add(-1) == 0 {
			p.free <- c
		}
		if err != nil && err != io.EOF {
			return err
		}
		if err != nil {
			return failed
		}
	}
}

// write feeds a chunk to hs; a mapped chunk whose file shrank faults
// (errShrunk) instead of crashing.
func write(hs []hash.Hash, c *chunk) error {
	if c.mapping != nil {
		return hashMapped(hs, c.data)
	}
	for _, h := range hs {
		h.Write(c.data)
	}
	return nil
}
