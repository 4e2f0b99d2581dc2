package inspect

import (
	"bufio"
	"bytes"
	"errors"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"
)

// entry is what the index keeps of one record: where its line is and the
// few fields the list filters on, never the record itself (about 48 bytes
// a record, so 100k records cost ~5 MB whatever their bodies weigh).
type entry struct {
	off     int64
	n       int32 // the line's length, without its newline
	status  int16
	verdict uint8
	prov    uint16 // into Index.names
	event   uint32 // into Index.names
	idHash  uint64
}

// head is the part of a record the index reads while streaming the file
// (readHead skips the headers and the body).
type head struct {
	ID, Provider, Event, Reason string
	Verified                    *bool
	Status                      int
}

// Index follows a capture file: it streams every complete line once,
// keeps each record's offset and filter fields, and tails the file for
// records a running listen appends. The file is only read, and stays the
// one source of truth: records are read back from it by offset.
type Index struct {
	path string
	poll time.Duration

	mu      sync.RWMutex
	f       *os.File
	info    fs.FileInfo // the file f is, to notice a replaced file
	gen     int         // bumped when the file was replaced or truncated
	off     int64       // bytes consumed: everything before is indexed
	entries []entry
	ids     map[uint64]int32 // id hash -> entry; collisions in dups
	dups    map[string]int32
	names   []string // interned provider and event names
	nameIdx map[string]uint32
	skipped int // lines that were not records (corrupt, or torn then repaired)
	changed chan struct{}
	err     error // the last read error, for the page

	started bool
	stop    chan struct{}
	done    chan struct{}
}

// NewIndex indexes path (which need not exist yet) and returns once the
// lines already in it are indexed. Start tails it.
func NewIndex(path string, poll time.Duration) (*Index, error) {
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	x := &Index{path: path, poll: poll, changed: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	x.resetLocked()
	if err := x.Refresh(); err != nil {
		return nil, err
	}
	return x, nil
}

func (x *Index) resetLocked() {
	if x.f != nil {
		x.f.Close()
	}
	x.f, x.info, x.off, x.entries, x.skipped = nil, nil, 0, nil, 0
	x.ids, x.dups = map[uint64]int32{}, map[string]int32{}
	x.names, x.nameIdx = []string{""}, map[string]uint32{"": 0}
	x.gen++
}

// Start tails the file until Close.
func (x *Index) Start() {
	x.started = true
	go func() {
		defer close(x.done)
		t := time.NewTicker(x.poll)
		defer t.Stop()
		for {
			select {
			case <-x.stop:
				return
			case <-t.C:
				_ = x.Refresh()
			}
		}
	}()
}

// Close stops tailing and closes the file.
func (x *Index) Close() {
	select {
	case <-x.stop:
		return
	default:
	}
	close(x.stop)
	if x.started {
		<-x.done
	}
	x.mu.Lock()
	if x.f != nil {
		x.f.Close()
		x.f = nil
	}
	x.mu.Unlock()
}

// Refresh indexes whatever was appended since the last call. A missing
// file is an empty one; a replaced or truncated file is indexed afresh.
// Only the tailer (or NewIndex) calls it, so reads of the file happen
// outside the lock.
func (x *Index) Refresh() error {
	st, err := os.Stat(x.path)
	if errors.Is(err, fs.ErrNotExist) {
		x.mu.Lock()
		defer x.mu.Unlock()
		if x.f != nil || len(x.entries) > 0 {
			x.resetLocked()
			x.notifyLocked()
		}
		x.err = nil
		return nil
	}
	if err != nil {
		return x.fail(err)
	}
	x.mu.RLock()
	f, info, off := x.f, x.info, x.off
	x.mu.RUnlock()
	if f == nil || !os.SameFile(info, st) || st.Size() < off {
		nf, err := os.Open(x.path)
		if err != nil {
			return x.fail(err)
		}
		if st, err = nf.Stat(); err != nil {
			nf.Close()
			return x.fail(err)
		}
		x.mu.Lock()
		if x.f != nil {
			x.resetLocked()
			x.notifyLocked()
		}
		x.f, x.info = nf, st
		x.mu.Unlock()
		f, off = nf, 0
	}
	if st.Size() == off {
		return nil
	}
	return x.scan(f, off, st.Size())
}

func (x *Index) fail(err error) error {
	x.mu.Lock()
	x.err = err
	x.mu.Unlock()
	return err
}

// batch is how many entries are published at once while streaming a big
// file, so the page sees the index grow.
const batch = 4096

// scan indexes the lines between off and size. A last line without its
// newline is indexed only when it is a whole record (what a kill between
// the record and its newline leaves); otherwise it is left for the next
// scan, when the writer will have finished it, or repaired it.
func (x *Index) scan(f *os.File, off, size int64) error {
	br := bufio.NewReaderSize(io.NewSectionReader(f, off, size-off), 64<<10)
	var line []byte
	var pending []parsed
	pos := off
	for {
		line = line[:0]
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			line = append(line, chunk...)
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if len(line) == 0 {
			break
		}
		complete := err == nil
		start := pos
		e, ok := parseLine(line, start)
		if !complete && !ok {
			break // torn: not consumed yet
		}
		pos += int64(len(line))
		if ok {
			pending = append(pending, e)
		}
		if !ok && len(bytes.TrimSpace(line)) > 0 {
			x.mu.Lock()
			x.skipped++
			x.mu.Unlock()
		}
		if len(pending) == batch {
			x.publish(f, pending, pos)
			pending = pending[:0]
		}
		if !complete {
			break
		}
	}
	x.publish(f, pending, pos)
	return nil
}

type parsed struct {
	entry
	id, provName, eventName string
}

func parseLine(line []byte, off int64) (parsed, bool) {
	trimmed := bytes.TrimRight(line, "\r\n")
	if len(bytes.TrimSpace(trimmed)) == 0 {
		return parsed{}, false
	}
	var h head
	if !readHead(trimmed, &h) {
		return parsed{}, false
	}
	return parsed{
		entry: entry{off: off, n: int32(len(trimmed)), status: int16(h.Status), verdict: verdictCode(h.Verified, h.Reason), idHash: hashID(h.ID)},
		id:    h.ID, provName: h.Provider, eventName: h.Event,
	}, true
}

// publish appends parsed entries (unless the file changed meanwhile) and
// wakes the streams.
func (x *Index) publish(f *os.File, pending []parsed, pos int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.f != f {
		return
	}
	for _, p := range pending {
		e := p.entry
		e.prov = uint16(x.intern(p.provName))
		e.event = x.intern(p.eventName)
		i := int32(len(x.entries))
		if _, taken := x.ids[e.idHash]; taken {
			x.dups[p.id] = i
		} else {
			x.ids[e.idHash] = i
		}
		x.entries = append(x.entries, e)
	}
	x.off = pos
	x.err = nil
	if len(pending) > 0 {
		x.notifyLocked()
	}
}

func (x *Index) intern(s string) uint32 {
	if i, ok := x.nameIdx[s]; ok {
		return i
	}
	if len(x.names) >= 1<<16-1 {
		return 0 // absurdly many names: the rest filter as empty
	}
	i := uint32(len(x.names))
	x.names = append(x.names, s)
	x.nameIdx[s] = i
	return i
}

func (x *Index) notifyLocked() {
	close(x.changed)
	x.changed = make(chan struct{})
}

func hashID(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

// Len is how many records are indexed.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.entries)
}

// view is a consistent snapshot of the index for one request. Entries are
// only ever appended, so the slice stays valid after the lock is released.
type view struct {
	f       *os.File
	gen     int
	entries []entry
	names   []string
	skipped int
	err     error
	changed <-chan struct{}
}

func (x *Index) snapshot() view {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return view{f: x.f, gen: x.gen, entries: x.entries[:len(x.entries):len(x.entries)], names: x.names[:len(x.names):len(x.names)], skipped: x.skipped, err: x.err, changed: x.changed}
}

// find returns the position of a record id in the snapshot, or -1.
func (x *Index) find(v view, id string) int {
	x.mu.RLock()
	i, ok := x.dups[id]
	if !ok {
		i, ok = x.ids[hashID(id)]
	}
	x.mu.RUnlock()
	if !ok || int(i) >= len(v.entries) {
		return -1
	}
	return int(i)
}

// line reads one record's line back from the file.
func (v view) line(i int, buf []byte) ([]byte, error) {
	e := v.entries[i]
	if v.f == nil {
		return nil, fs.ErrClosed
	}
	if cap(buf) < int(e.n) {
		buf = make([]byte, e.n)
	}
	buf = buf[:e.n]
	if _, err := v.f.ReadAt(buf, e.off); err != nil {
		return nil, err
	}
	return buf, nil
}
