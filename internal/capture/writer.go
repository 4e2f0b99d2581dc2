package capture

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("capture file is closed")

// maxBatchBytes bounds one group commit; a single larger record still goes
// in one write of its own.
const maxBatchBytes = 8 << 20

// Writer appends records to a capture file durably: Append returns only once
// the record's line is written and fsynced.
//
// Group commit: one goroutine owns the file. It takes every record waiting
// at that moment, writes them all with ONE write(2) on an O_APPEND file
// under an advisory lock, calls fsync once (fdatasync on linux), then
// releases all their callers. There is no timer: while one batch is being synced the next one
// gathers, so under load one fsync serves many requests and with a single
// sender each request pays one fsync.
//
// Several processes may append to one file: each batch is a single write
// and its sync made under an exclusive lock (flock on unix, LockFileEx on
// windows), and starts with a newline if the file does not end with one (a
// writer that was killed mid-line), so lines never interleave or merge. A
// batch whose write or sync fails is cut off the file again under the same
// lock. Before each batch the writer checks that the file at the path is
// still the one it has open, and reopens the path when it is not (log
// rotation, deletion).
type Writer struct {
	path string
	f    *os.File
	info os.FileInfo // f's, to tell whether the path still names it
	// clean is the file's size after this writer's last batch, which ended
	// with a newline: when the file still has that size no one wrote since,
	// and its last byte need not be read. -1 when not known.
	clean int64

	mu     sync.RWMutex // guards closed against sends on reqs
	closed bool
	reqs   chan *pending
	done   chan struct{}

	// Repaired reports that the file ended with a torn line when it was
	// opened; a newline was written after it so new records start on their
	// own line (readers skip the torn line with a warning).
	Repaired bool

	// Reopened counts the times the file was reopened because the one at
	// the path was removed or replaced (log rotation).
	Reopened atomic.Int64

	// beforeCommit, when set (tests), runs in the writer goroutine before
	// each batch is written, with the number of records in it.
	beforeCommit func(n int)
	// writeHook, when set (tests), writes a batch instead of f.Write.
	writeHook func(f *os.File, b []byte) error
}

type pending struct {
	line []byte
	errc chan error
}

var pendingPool = sync.Pool{New: func() any { return &pending{errc: make(chan error, 1)} }}

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// OpenWriter opens (creating it and its folder if needed) a capture file for
// appending. The file is private to the user (0600): bodies and headers may
// hold secrets.
func OpenWriter(path string) (*Writer, error) {
	dir := filepath.Dir(path)
	newDirs := missingDirs(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("capture file %s: %w", path, unwrapPath(err))
	}
	f, created, err := openOrCreate(path)
	if err != nil {
		return nil, fmt.Errorf("capture file %s: %w", path, unwrapPath(err))
	}
	if created {
		// A new file's name, and any folder made for it, live in their
		// parents' entries: sync those too, or a power cut could lose the
		// whole file even though every record in it was synced.
		syncDir(dir)
		for _, d := range newDirs {
			syncDir(filepath.Dir(d))
		}
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = errors.New("not a regular file")
		}
		return nil, fmt.Errorf("capture file %s: %w", path, err)
	}
	w := &Writer{path: path, f: f, info: st, clean: -1, reqs: make(chan *pending, 1024), done: make(chan struct{})}
	if err := w.repairAtOpen(); err != nil {
		f.Close()
		return nil, fmt.Errorf("capture file %s: %w", path, err)
	}
	go w.loop()
	return w, nil
}

// openOrCreate opens path for appending and says whether this call created
// it (O_EXCL, so a file another process creates meanwhile is not counted).
func openOrCreate(path string) (f *os.File, created bool, err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f, true, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, false, err
	}
	f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0o600)
	return f, false, err
}

// missingDirs lists dir and those of its parents that do not exist yet,
// deepest first: the folders MkdirAll is about to create.
func missingDirs(dir string) []string {
	var out []string
	for {
		if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
			return out
		}
		out = append(out, dir)
		parent := filepath.Dir(dir)
		if parent == dir {
			return out
		}
		dir = parent
	}
}

// syncDir makes a folder's entries durable. Best effort: some systems
// (Windows) cannot open a folder to sync it; there the file's own syncs are
// all that can be done.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// Path is the file's name as given to OpenWriter.
func (w *Writer) Path() string { return w.path }

// Append encodes rec as one JSON line and returns once it is on disk.
func (w *Writer) Append(rec *Record) error {
	bp := linePool.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 1<<20 {
			linePool.Put(bp)
		}
	}()
	if rec.V == 0 {
		rec.V = Version
	}
	line, err := appendRecord((*bp)[:0], rec)
	if err != nil {
		return err
	}
	*bp = line
	return w.AppendLine(line)
}

// EncodeLine writes rec as one JSON line (with its newline) to buf, exactly
// as Writer stores it: what encoding/json writes without HTML escaping, so
// bodies keep their characters.
func EncodeLine(buf *bytes.Buffer, rec *Record) error {
	if rec.V == 0 {
		rec.V = Version
	}
	line, err := appendRecord(buf.AvailableBuffer(), rec)
	if err != nil {
		return err
	}
	_, err = buf.Write(line)
	return err
}

// AppendLine appends one complete line (ending in a newline) and returns
// once it is on disk. The caller may reuse line afterwards.
func (w *Writer) AppendLine(line []byte) error {
	if len(line) == 0 || line[len(line)-1] != '\n' || bytes.IndexByte(line[:len(line)-1], '\n') >= 0 {
		return errors.New("capture: a record must be exactly one line ending in a newline")
	}
	p := pendingPool.Get().(*pending)
	p.line = line
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		pendingPool.Put(p)
		return ErrClosed
	}
	w.reqs <- p
	w.mu.RUnlock()
	err := <-p.errc
	p.line = nil
	pendingPool.Put(p)
	return err
}

// Close waits for the records already handed to Append to be on disk, then
// closes the file. Later Appends return ErrClosed.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.reqs)
	w.mu.Unlock()
	<-w.done
	return w.f.Close()
}

func (w *Writer) loop() {
	defer close(w.done)
	var batch []*pending
	var buf []byte
	for {
		p, ok := <-w.reqs
		if !ok {
			return
		}
		batch = append(batch[:0], p)
		buf = append(buf[:0], p.line...)
	gather:
		for len(buf) < maxBatchBytes {
			select {
			case p, ok := <-w.reqs:
				if !ok {
					break gather
				}
				batch = append(batch, p)
				buf = append(buf, p.line...)
			default:
				break gather
			}
		}
		if w.beforeCommit != nil {
			w.beforeCommit(len(batch))
		}
		err := w.commit(buf)
		for _, p := range batch {
			p.errc <- err
		}
		clear(batch)
		// Let the callers just released answer before the next commit takes
		// this thread into fsync: on a busy machine that gets answers out
		// sooner and their senders' next requests into the next batch.
		runtime.Gosched()
		if cap(buf) > 4<<20 {
			buf = nil // do not keep a huge body's buffer for the rest of the run
		}
	}
}

// commit writes one batch with a single write under the lock, starting it
// on a fresh line if the file does not end with a newline, then syncs, all
// under the lock. When the write or the sync fails (disk full), the file is
// cut back to its size before the batch, so no record of a batch whose
// senders were told it failed stays in the file, and no torn record is left
// for the next batch to follow.
func (w *Writer) commit(b []byte) error {
	size, err := w.lockCurrent()
	if err != nil {
		return err
	}
	torn := false
	if size < 0 || size != w.clean {
		size, torn, err = w.end() // another writer's lines, or a torn one
	}
	w.clean = -1
	if err == nil {
		if torn {
			b = append([]byte{'\n'}, b...)
		}
		err = w.write(b)
		if err == nil {
			err = syncData(w.f)
		}
		if err != nil {
			if terr := w.f.Truncate(size); terr == nil {
				_ = syncData(w.f)
			} else {
				err = fmt.Errorf("%w (and cutting back the partial batch failed: %v)", unwrapPath(err), unwrapPath(terr))
			}
		} else {
			w.clean = size + int64(len(b))
		}
	}
	if uerr := unlockFile(w.f); err == nil && uerr != nil {
		err = fmt.Errorf("unlock: %w", uerr)
	}
	if err != nil {
		return fmt.Errorf("capture file %s: %w", w.path, unwrapPath(err))
	}
	return nil
}

func (w *Writer) write(b []byte) error {
	if w.writeHook != nil {
		return w.writeHook(w.f, b)
	}
	_, err := w.f.Write(b)
	return err
}

// lockCurrent takes the lock of the file at the path and returns its size.
// It follows log rotation: when the file at the path is no longer the one
// open (deleted, or renamed and replaced), the file at the path is opened,
// or created, and the batch goes there. A rotated-away file keeps what was
// written to it before.
func (w *Writer) lockCurrent() (int64, error) {
	if err := lockFile(w.f); err != nil {
		return 0, fmt.Errorf("capture file %s: lock: %w", w.path, err)
	}
	cur, err := os.Stat(w.path)
	if err == nil && os.SameFile(cur, w.info) {
		return cur.Size(), nil // under the lock: no one else is writing
	}
	_ = unlockFile(w.f)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("capture file %s: %w", w.path, unwrapPath(err))
	}
	if err := w.reopen(); err != nil {
		return 0, err
	}
	if err := lockFile(w.f); err != nil {
		return 0, fmt.Errorf("capture file %s: lock: %w", w.path, err)
	}
	return -1, nil // not known: end reads it
}

// reopen opens, or creates, the file at the path in place of the one open.
func (w *Writer) reopen() error {
	f, created, err := openOrCreate(w.path)
	if err != nil {
		return fmt.Errorf("capture file %s was removed or replaced while listening and cannot be reopened: %w", w.path, unwrapPath(err))
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("capture file %s was replaced by something that is not a regular file", w.path)
	}
	if created {
		syncDir(filepath.Dir(w.path))
	}
	old := w.f
	w.f, w.info, w.clean = f, st, -1
	w.Reopened.Add(1)
	_ = old.Close()
	return nil
}

// end returns the file's size and whether it is non-empty and does not end
// with a newline. The caller holds the lock.
func (w *Writer) end() (size int64, torn bool, err error) {
	st, err := w.f.Stat()
	if err != nil || st.Size() == 0 {
		return 0, false, err
	}
	var last [1]byte
	if _, err := w.f.ReadAt(last[:], st.Size()-1); err != nil && err != io.EOF {
		return 0, false, err
	}
	return st.Size(), last[0] != '\n', nil
}

func (w *Writer) repairAtOpen() error {
	if err := lockFile(w.f); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	_, torn, err := w.end()
	if err == nil && torn {
		if _, err = w.f.Write([]byte{'\n'}); err == nil {
			w.Repaired = true
		}
	}
	if uerr := unlockFile(w.f); err == nil {
		err = uerr
	}
	if err == nil && w.Repaired {
		err = syncData(w.f)
	}
	return err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
