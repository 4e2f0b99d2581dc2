package signer

import (
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"runtime/debug"
	"sync"
	"syscall"
)

// A regular file is hashed from memory maps of its pages in the page cache,
// window by window, instead of being copied out by read(2): no copy at
// all, and the MACs of one window are computed side by side. While one
// window is hashed the next is mapped and its pages brought in
// (MAP_POPULATE), so that work overlaps the hashing. Each window is
// unmapped once hashed: at most three are mapped at once, so resident
// memory stays a few megabytes whatever the file's size.
const mapWindow = 2 << 20

// minMapped is the least of a file worth mapping; smaller ones are read.
const minMapped = 1 << 20

type window struct {
	data []byte // the mapping
	from int    // where the bytes to hash start in it
	err  error
}

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
	end := st.Size()
	page := int64(os.Getpagesize())
	mapAt := func(off int64) (window, int64) {
		base := off &^ (page - 1)
		n := min(end-base, mapWindow)
		data, err := syscall.Mmap(int(f.Fd()), base, int(n), syscall.PROT_READ, syscall.MAP_SHARED|syscall.MAP_POPULATE)
		if err != nil {
			return window{err: fmt.Errorf("mapping the file: %w", err)}, end
		}
		return window{data: data, from: int(off - base)}, base + n
	}
	first, next := mapAt(off)
	if first.err != nil {
		return false, nil // a file system that cannot map: read it
	}
	windows := make(chan window, 1)
	go func() {
		defer close(windows)
		windows <- first
		for off := next; off < end; {
			var w window
			w, off = mapAt(off)
			windows <- w
		}
	}()
	for w := range windows {
		if err == nil {
			err = w.err
		}
		if err == nil {
			err = hashWindow(hs, w.data[w.from:])
		}
		if w.data != nil {
			_ = syscall.Munmap(w.data)
		}
	}
	// Leave the file where reading it would have.
	_, _ = f.Seek(end, io.SeekStart)
	return true, err
}

// errShrunk is a file cut short while it was being hashed: the mapped
// pages past its new end fault (SIGBUS), which SetPanicOnFault turns into
// a panic recovered here.
var errShrunk = errors.New("the file was truncated while it was read")

func hashWindow(hs []hash.Hash, b []byte) error {
	if len(hs) == 1 {
		return hashMapped(hs[0], b)
	}
	errs := make([]error, len(hs))
	var wg sync.WaitGroup
	for i := 1; i < len(hs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = hashMapped(hs[i], b)
		}()
	}
	errs[0] = hashMapped(hs[0], b)
	wg.Wait()
	return errors.Join(errs...)
}

func hashMapped(h hash.Hash, b []byte) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil {
			err = errShrunk
		}
	}()
	h.Write(b)
	return nil
}
