package signer

import (
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"runtime/debug"
	"syscall"
	"unsafe"
)

// A regular file is hashed from memory maps of its pages in the page cache,
// window by window, instead of being copied out by read(2): no copy at
// all. The pipeline's producer maps the next windows while the lanes hash
// the ones before, and unmaps each window once every lane has hashed it:
// at most a ring of windows is mapped at once, so resident memory stays a
// few megabytes whatever the file's size, and mapping and unmapping run
// beside the hashing, not in its way. The first windows are small and
// grow to mapWindow, so hashing starts at once. Windows of 2 MB, not 1 MB,
// hash 100 MB about 1 ms sooner (in-process medians of 40 runs,
// interleaved; bench/README.md): fewer, larger mappings disturb the
// hashing lane less. 4 MB gains ~0.6 ms more, but then a 10 MB file maps
// less at once than a 100 MB one; at 2 MB both map at most 8 MB.
//
// Who brings the pages into the page tables depends on the lanes. One
// lane leaves the other core idle, and the producer brings each window's
// pages in ahead (populate), so the lane never faults: 87 ms for 100 MB,
// against 92 ms when the lane faults them in itself. With several lanes
// every core hashes already, and the producer's populating would be
// work more on the slowest lane's core; the lane ahead faults the pages
// in instead (16 at a time, the kernel's fault-around), which costs less
// CPU than populating them (163 against 171 ms for GitHub's two MACs) and
// nothing on the critical path: GitHub's 100 MB then takes 86.5 ms, against
// 91 ms populated and 97 ms read through the pipeline (hyperfine medians
// of 60 runs, interleaved; bench/README.md).
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
	ahead    bool  // whether the producer populates each window (one lane)

	// The first window, which hashFile maps to see that the file can be:
	// the producer's first chunk.
	first       bool
	data, whole []byte
	err         error

	// mapFlags is MAP_POPULATE where madvise cannot populate (linux
	// before 5.14); vec is mincore's answer for a window.
	mapFlags int
	vec      [mapWindow / 4096]byte
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
	m := fileMap{fd: int(f.Fd()), off: off, end: st.Size(), win: firstWindow, ahead: len(hs) == 1}
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
	data, err := syscall.Mmap(m.fd, base, int(n), syscall.PROT_READ, syscall.MAP_SHARED|m.mapFlags)
	if err != nil {
		c.data, c.err = nil, fmt.Errorf("mapping the file: %w", err)
		return
	}
	if m.ahead && m.mapFlags == 0 {
		m.populate(data)
	}
	c.mapping, c.data, c.err = data, data[m.off-base:], nil
	m.off = base + n
	m.win = min(2*m.win, mapWindow)
	if m.off >= m.end {
		c.err = io.EOF
	}
}

// madvPopulateRead is MADV_POPULATE_READ (linux 5.14; 22 on every
// architecture, asm-generic/mman-common.h).
const madvPopulateRead = 22

// populate brings a mapped window's pages into its page tables, so that
// the lane hashing it never faults. It is best effort: a page it could not
// bring in faults when it is hashed (a file cut short: errShrunk).
//
// When every page is in the page cache (mincore), the call is raw: it
// keeps this goroutine's P. Made the usual way, the call (0.1-0.4 ms for
// 2 MB) lets sysmon take the P back, since none is idle while a lane
// hashes on the other, and after each retake sysmon polls every 20 µs
// instead of backing off to 10 ms; on two cores its wake-ups interrupt the
// lane. Signing 100 MB made a median of 1,261 context switches then, and
// 213 raw (perf stat, 21 runs each), and took 89-90 ms instead of 84
// (bench/README.md). Pages that must come from the disk are brought in the
// usual way, since a raw call would hold the P while it waits; so are a
// file's that mincore will not tell of (linux reports the page cache only
// to those who may write the file).
func (m *fileMap) populate(b []byte) {
	call := syscall.Syscall
	if m.resident(b) {
		call = syscall.RawSyscall
	}
	_, _, e := call(syscall.SYS_MADVISE, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), madvPopulateRead)
	if e == syscall.EINVAL {
		m.mapFlags = syscall.MAP_POPULATE
	}
}

// resident reports whether every page of the mapped window b is in the
// page cache.
func (m *fileMap) resident(b []byte) bool {
	page := os.Getpagesize()
	pages := (len(b) + page - 1) / page
	if pages > len(m.vec) {
		return false
	}
	_, _, e := syscall.RawSyscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), uintptr(unsafe.Pointer(&m.vec[0])))
	if e != 0 {
		return false
	}
	for _, v := range m.vec[:pages] {
		if v&1 == 0 {
			return false
		}
	}
	return true
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
