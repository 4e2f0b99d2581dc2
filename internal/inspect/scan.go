package inspect

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/hookctl/hookctl/internal/jsonscan"
)

// readHead fills h from one record's line without decoding the rest:
// a walk over the top-level object that skips the headers and the body
// (the bulk of a line) with bytes.IndexByte. It is several times faster
// than json.Unmarshal on a line with a large body, which matters when a
// big file is indexed. It reports false for a line that is not a whole
// object (a torn line); deeper damage is caught when the record is read.
func readHead(line []byte, h *head) bool {
	i := jsonscan.Space(line, 0)
	if i >= len(line) || line[i] != '{' {
		return false
	}
	i = jsonscan.Space(line, i+1)
	if i < len(line) && line[i] == '}' {
		return false // no id
	}
	for i < len(line) {
		if line[i] != '"' {
			return false
		}
		kEnd := jsonscan.String(line, i)
		if kEnd < 0 {
			return false
		}
		key := line[i+1 : kEnd-1]
		i = jsonscan.Space(line, kEnd)
		if i >= len(line) || line[i] != ':' {
			return false
		}
		i = jsonscan.Space(line, i+1)
		end := jsonscan.Value(line, i)
		if end < 0 {
			return false
		}
		if !h.set(string(key), line[i:end]) {
			return false
		}
		i = jsonscan.Space(line, end)
		if i >= len(line) {
			return false
		}
		switch line[i] {
		case '}':
			return h.ID != "" && len(bytes.TrimSpace(line[i+1:])) == 0
		case ',':
			i = jsonscan.Space(line, i+1)
		default:
			return false
		}
	}
	return false
}

// set stores one field the index keeps; the others are ignored.
func (h *head) set(key string, v []byte) bool {
	switch key {
	case "id":
		return str(v, &h.ID)
	case "provider":
		return str(v, &h.Provider)
	case "event":
		return str(v, &h.Event)
	case "reason":
		return str(v, &h.Reason)
	case "verified":
		switch string(v) {
		case "true", "false":
			b := v[0] == 't'
			h.Verified = &b
		case "null":
			h.Verified = nil
		default:
			return false
		}
	case "status":
		n, err := strconv.Atoi(string(v))
		if err != nil {
			return false
		}
		h.Status = n
	}
	return true
}

func str(v []byte, dst *string) bool {
	if len(v) < 2 || v[0] != '"' {
		return false
	}
	if bytes.IndexByte(v, '\\') < 0 {
		*dst = string(v[1 : len(v)-1])
		return true
	}
	return json.Unmarshal(v, dst) == nil
}
