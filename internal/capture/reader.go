package capture

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Reader streams records from a capture file: one record in memory at a
// time, whatever the file's size.
type Reader struct {
	br   *bufio.Reader
	line int
	// Warn receives one line per record skipped (a torn last line after a
	// crash, or a corrupt line); nil discards them.
	Warn func(msg string)
	name string
}

// NewReader reads records from r; name is used in warnings.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), name: name}
}

// Open opens a capture file for reading.
func Open(path string) (*os.File, *Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return f, NewReader(f, path), nil
}

// Next returns the next record, or io.EOF at the end. A line that is not a
// complete record is skipped with a warning: a last line without its newline
// is what a kill or power cut leaves, and everything before it is intact.
func (r *Reader) Next() (*Record, error) {
	for {
		line, err := r.br.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			return nil, err
		}
		r.line++
		complete := err == nil
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			if !complete {
				return nil, io.EOF
			}
			continue
		}
		var rec Record
		if jerr := json.Unmarshal(line, &rec); jerr != nil || rec.ID == "" || rec.restoreHeaders() != nil {
			what := "corrupt line"
			if !complete {
				what = "torn last line (the writer was stopped mid-record)"
			}
			r.warn(fmt.Sprintf("%s:%d: skipped %s", r.name, r.line, what))
			if !complete {
				return nil, io.EOF
			}
			continue
		}
		if !complete {
			// A whole JSON object without its newline: the write finished
			// but the newline did not; the record itself is complete.
			r.warn(fmt.Sprintf("%s:%d: last record has no final newline", r.name, r.line))
		}
		return &rec, nil
	}
}

func (r *Reader) warn(msg string) {
	if r.Warn != nil {
		r.Warn(msg)
	}
}
