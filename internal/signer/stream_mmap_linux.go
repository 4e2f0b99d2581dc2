package signer

import (
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"runtime/debug"
	"syscall"
)

// A regular file is hashed from memory maps of its pages in the page cache,
// window by window, instead of being copied out by read(2): no copy at
// all. The pipeline's producer maps the next windows and brings their
// pages in (MAP_POPULATE) while the lanes hash the ones before, and unmaps
// each window once every lane has hashed it: at most a ring of windows is
// mapped at once, so resident memory stays a few megabytes whatever the
// file's size, and mapping and unmapping (most of the work the kernel
// does here) run beside the hashing, not in its way. The first windows
// are small and grow to mapWindow, so hashing starts at once. Windows of
// 2 MB, not 1 MB, hash 100 MB about 1 ms sooner (in-process medians of 40
// runs, interleaved; bench/README.md): fewer, larger mappings disturb the
// hashing lane less. 4 MB gains ~0.6 ms more, but then a 10 MB file maps
// less at once than a 100 MB one; at 2 MB both map at most 8 MB.
const (
	mapWindow   = 2 << 20
	firstWindow = 256 << 10
)

// minMapped is the least of a file worth mapping; smaller ones are read.
const minMapped = 1 << 20

// fileMap is the producer's side of a mapped file.
type fileMap struct {
	fd       int
	off, end int64 // what is left to map: from off to end
	win      int64 // the next window's size

	// The first window, which hashFile maps to see that the file can be:
	// the producer's first chunk.
	first       bool
	data, whole []byte
	err         error
}

func (m *fileMap) active() bool { return m.end > 0 }

// hashFile hashes the rest of f from its current offset when f is a
// regular file large enough; ok is false when it is not one, or cannot be
// mapped (the caller then reads it).
func hashFile(hs []hash.Hash, r io.Reader) (ok bool, err error) {
	f, isFile := r.(*os.File)
	if !isFile {
		return false, nil
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false, nil
	}
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil || st.Size()-off < minMapped {
		return false, nil
	}
	m := fileMap{fd: int(f.Fd()), off: off, end: st.Size(), win: firstWindow}
	// The first window is mapped here: a file system that cannot map is
	// read instead.
	var c chunk
	if m.next(&c); c.err != nil && c.err != io.EOF {
		return false, nil
	}
	m.first, m.data, m.whole, m.err = true, c.data, c.mapping, c.err
	p := pipePool.Get().(*pipe)
	p.file = m
	err = p.run(hs)
	// Leave the file where reading it would have.
	_, _ = f.Seek(m.end, io.SeekStart)
	return true, err
}

// next maps the next window into c (the one hashFile mapped, first); the
// last one carries io.EOF.
func (m *fileMap) next(c *chunk) {
	if m.first {
		c.data, c.mapping, c.err = m.data, m.whole, m.err
		m.first, m.data, m.whole, m.err = false, nil, nil, nil
		return
	}
	page := int64(os.Getpagesize())
	base := m.off &^ (page - 1)
	n := min(m.end-base, m.win)
	data, err := syscall.Mmap(m.fd, base, int(n), syscall.PROT_READ, syscall.MAP_SHARED|syscall.MAP_POPULATE)
	if err != nil {
		c.data, c.err = nil, fmt.Errorf("mapping the file: %w", err)
		return
	}
	c.mapping, c.data, c.err = data, data[m.off-base:], nil
	m.off = base + n
	m.win = min(2*m.win, mapWindow)
	if m.off >= m.end {
		c.err = io.EOF
	}
}

// release unmaps a chunk's window, if it holds one.
func release(c *chunk) {
	if c.mapping != nil {
		_ = syscall.Munmap(c.mapping)
	}
	c.mapping, c.data = nil, nil
}

// errShrunk is a file cut short while it was being hashed: the mapped
// pages past its new end fault (SIGBUS), which SetPanicOnFault turns into
// a panic recovered here.
var errShrunk = errors.New("the file was truncated while it was read")

func hashMapped(hs []hash.Hash, b []byte) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil {
			err = errShrunk
		}
	}()
	for _, h := range hs {
		h.Write(b)
	}
	return nil
}
