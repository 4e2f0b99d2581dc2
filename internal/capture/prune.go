package capture

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// PruneOptions say which records Prune removes from the start of a file:
// those older than Before (when set), and all but the last Keep (when
// Keep >= 0). Clear removes every record.
type PruneOptions struct {
	Before time.Time
	Keep   int // -1: no limit
	Clear  bool
}

// PruneResult is what Prune did.
type PruneResult struct {
	Removed       int   // records removed (lines that are not records go too, uncounted)
	Kept          int   // records kept; -1 when not counted (only --older-than)
	Before, After int64 // the file's size in bytes
}

// Prune removes the oldest records of a capture file in place, holding the
// lock every writer takes around each write (flock on unix, LockFileEx on
// Windows): a listen running meanwhile waits for its next write and then
// appends after the kept records, on the same file. Records are removed
// from the start only: the first record kept keeps every one after it (a
// file is in arrival order). The kept bytes are moved to the start and the
// file is cut to their length, then synced. An interrupted prune loses no
// kept record: the file then holds the kept records, possibly followed by
// some of them a second time after one torn line that readers skip.
func Prune(path string, o PruneOptions) (PruneResult, error) {
	var res PruneResult
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return res, err
	}
	defer f.Close()
	if err := lockFile(f); err != nil {
		return res, fmt.Errorf("lock: %w", err)
	}
	defer unlockFile(f)
	st, err := f.Stat()
	if err != nil {
		return res, err
	}
	res.Before = st.Size()
	cut, removed, kept, err := cutPoint(f, o)
	if err != nil {
		return res, err
	}
	res.Removed, res.Kept = removed, kept
	if cut > 0 {
		if err := shiftDown(f, cut, res.Before); err != nil {
			return res, err
		}
		if err := f.Truncate(res.Before - cut); err != nil {
			return res, err
		}
		if err := f.Sync(); err != nil {
			return res, err
		}
	}
	res.After = res.Before - cut
	return res, nil
}

// cutPoint returns the offset of the first line kept, with the counts of
// records before and after it. It streams the file twice (counting, then
// cutting): memory stays constant whatever the file's size.
func cutPoint(f *os.File, o PruneOptions) (cut int64, removed, kept int, err error) {
	total := 0
	err = eachLine(f, func(_ int64, rec bool, _ time.Time) bool {
		if rec {
			total++
		}
		return true
	})
	if err != nil {
		return 0, 0, 0, err
	}
	err = eachLine(f, func(end int64, rec bool, t time.Time) bool {
		drop := o.Clear || !rec || (o.Keep >= 0 && total-removed > o.Keep) || (!o.Before.IsZero() && t.Before(o.Before))
		if drop {
			cut = end
			if rec {
				removed++
			}
		}
		return drop
	})
	return cut, removed, total - removed, err
}

// eachLine calls fn with the end offset of every line of f, whether it is
// a record, and its time, until fn returns false.
func eachLine(f *os.File, fn func(end int64, record bool, t time.Time) bool) error {
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, 1<<62), 1<<20)
	var off int64
	for {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 {
			off += int64(len(b))
			var head struct {
				ID   string    `json:"id"`
				Time time.Time `json:"time"`
			}
			ok := json.Unmarshal(b, &head) == nil && head.ID != ""
			if !fn(off, ok, head.Time) {
				return nil
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// shiftDown moves the bytes [from, size) of f to its start.
func shiftDown(f *os.File, from, size int64) error {
	buf := make([]byte, 1<<20)
	var dst int64
	for src := from; src < size; {
		n, err := f.ReadAt(buf[:min(int64(len(buf)), size-src)], src)
		if n > 0 {
			if _, werr := f.WriteAt(buf[:n], dst); werr != nil {
				return werr
			}
			src, dst = src+int64(n), dst+int64(n)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if n == 0 {
			return io.ErrUnexpectedEOF
		}
	}
	return nil
}
