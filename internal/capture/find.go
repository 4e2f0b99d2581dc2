package capture

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrNoCapture is a Find that did not find the capture.
var ErrNoCapture = errors.New("no such capture")

// Find returns the record with this id from a capture file, or with id
// "" the last record in it, reading one record at a time. An id may be
// given by a unique prefix of at least 8 characters ("cap_01j9x2").
// Warn receives the lines skipped (Reader.Warn).
func Find(path, id string, warn func(string)) (*Record, error) {
	f, r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r.Warn = warn
	var found *Record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch {
		case id == "":
			found = rec
		case rec.ID == id:
			return rec, nil
		case len(id) >= 8 && strings.HasPrefix(rec.ID, id):
			if found != nil && found.ID != rec.ID {
				return nil, fmt.Errorf("capture id %s is ambiguous: %s and %s start with it", id, found.ID, rec.ID)
			}
			found = rec
		}
	}
	if found == nil {
		return nil, ErrNoCapture
	}
	return found, nil
}
