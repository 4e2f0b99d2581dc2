// Package replay is the replay engine: it picks captured requests out of
// a capture file and sends them again, as captured (byte for byte) or
// re-signed with a fresh id, timestamp and signature, optionally with an
// edited body. It returns results and events and prints nothing.
//
// A capture file is read in two streaming passes, each holding one record
// at a time: ScanFile checks the selection (unknown ids, the providers to
// re-sign for) and counts it before anything is sent, and Scan.Each yields
// the selected records. --last N costs no more memory than the rest: the
// first pass counts the matches, the second skips all but the last N.
//
//	scan, err := replay.ScanFile(ctx, file, sel, warn, nil)
//	rp, err := replay.New(cfg, scan.Providers) // secrets and schemes checked
//	sum, err := rp.Run(ctx, scan, func(ev replay.Event) { ... })
//
// One capture (hookctl inspect): rp.Send(ctx, rec, body) returns its
// delivery result.
package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/glob"
)

// Selection says which captures to replay. Everything given must hold:
// the id is one of IDs (when any), the event matches one of Events (when
// any), the capture is not older than Since; Last then keeps the last N of
// those.
type Selection struct {
	IDs    []string
	Events []string  // globs on the event type (glob.Match); a capture without one never matches
	Since  time.Time // zero: no limit
	Last   int       // 0: all
}

// Validate reports a selection that cannot match as meant.
func (s *Selection) Validate() error {
	for _, g := range s.Events {
		if g == "" {
			return errors.New("an event pattern is empty")
		}
	}
	if s.Last < 0 {
		return fmt.Errorf("cannot keep the last %d captures: the count must be 1 or more", s.Last)
	}
	return nil
}

// Filtered reports whether the selection narrows the file at all.
func (s *Selection) Filtered() bool {
	return len(s.IDs) > 0 || len(s.Events) > 0 || !s.Since.IsZero() || s.Last > 0
}

func (s *Selection) match(rec *capture.Record, ids map[string]bool) bool {
	if ids != nil && !ids[rec.ID] {
		return false
	}
	if !s.Since.IsZero() && rec.Time.Before(s.Since) {
		return false
	}
	if len(s.Events) == 0 {
		return true
	}
	if rec.Event == "" {
		return false // no event type known: --event never picks it
	}
	for _, g := range s.Events {
		if glob.Match(g, rec.Event) {
			return true
		}
	}
	return false
}

// Scan is what the first pass over a capture file found.
type Scan struct {
	Path     string
	Read     int      // records read
	Matched  int      // records that pass the ids and filters
	Selected int      // what Each yields: Matched, or the last Selection.Last of them
	Missing  []string // ids given that are not in the file, in the order given
	// Providers counts the selected records per provider ("" for records
	// no provider was recognised for).
	Providers map[string]int
	// Truncated counts the selected records whose body was not stored.
	Truncated int

	sel  Selection
	ids  map[string]bool
	size int64 // bytes the first pass read; the second reads no more
}

// meta is what the first pass keeps of a record it may select.
type meta struct {
	provider  string
	truncated bool
}

// Observe, when given to ScanFile, sees every record that passes the ids
// and filters during the first pass (before Last is applied).
type Observe func(rec *capture.Record)

// ErrNoFile is returned (wrapped) when the capture file does not exist.
var ErrNoFile = errors.New("no capture file")

// ScanFile makes the first pass: it streams the whole file once, warning
// through warn about torn or corrupt lines, and counts the selection. With
// Last it remembers only the provider of the last N matches.
func ScanFile(ctx context.Context, file string, sel Selection, warn func(string), observe Observe) (*Scan, error) {
	fh, err := os.Open(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w at %s", ErrNoFile, file)
		}
		return nil, fmt.Errorf("capture file %s: %w", file, errors.Unwrap(err)) // os.Open's errors are *PathError
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("capture file %s is a folder: pass a file", file)
	}
	cr := &countingReader{r: fh}
	r := capture.NewReader(cr, file)
	r.Warn = warn
	s := &Scan{Path: file, sel: sel, Providers: map[string]int{}}
	if len(sel.IDs) > 0 {
		s.ids = make(map[string]bool, len(sel.IDs))
		for _, id := range sel.IDs {
			s.ids[id] = true
		}
	}
	found := map[string]bool{}
	intern := map[string]string{}
	var ring []meta
	next := 0
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		s.Read++
		if s.Read%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if s.ids[rec.ID] {
			found[rec.ID] = true // known, even if a filter leaves it out
		}
		if !sel.match(rec, s.ids) {
			continue
		}
		s.Matched++
		if observe != nil {
			observe(rec)
		}
		p, ok := intern[rec.Provider]
		if !ok {
			p = rec.Provider
			intern[p] = p
		}
		m := meta{provider: p, truncated: rec.BodyTruncated}
		if sel.Last == 0 {
			s.add(m)
			continue
		}
		if len(ring) < sel.Last {
			ring = append(ring, m)
		} else {
			ring[next] = m
			next = (next + 1) % sel.Last
		}
	}
	for _, m := range ring {
		s.add(m)
	}
	s.Selected = s.Matched
	if sel.Last > 0 {
		s.Selected = min(sel.Last, s.Matched)
	}
	for _, id := range sel.IDs {
		if !found[id] && !slices.Contains(s.Missing, id) {
			s.Missing = append(s.Missing, id)
		}
	}
	s.size = cr.n
	return s, nil
}

func (s *Scan) add(m meta) {
	s.Providers[m.provider]++
	if m.truncated {
		s.Truncated++
	}
}

// ErrChanged is returned by Each when the file no longer holds what the
// first pass read (it was truncated or rewritten in between).
var ErrChanged = errors.New("the capture file changed while it was read: run the command again")

// Each makes the second pass: it reads the bytes the first pass read (a
// listen appending meanwhile adds nothing to this run) and calls fn for
// each selected record in file order. It stops at fn's first error, or
// with ctx's error once ctx is done.
func (s *Scan) Each(ctx context.Context, fn func(rec *capture.Record) error) error {
	fh, err := os.Open(s.Path)
	if err != nil {
		return fmt.Errorf("capture file %s: %w", s.Path, errors.Unwrap(err))
	}
	defer fh.Close()
	r := capture.NewReader(io.LimitReader(fh, s.size), s.Path) // warnings were given by the first pass
	skip := s.Matched - s.Selected
	yielded := 0
	for yielded < s.Selected {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next()
		if err == io.EOF {
			return ErrChanged
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", s.Path, err)
		}
		if !s.sel.match(rec, s.ids) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		yielded++
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
