package listen

import (
	"bytes"
	"encoding/json"
)

// HandshakeToken returns the token of a Notion verification request: a
// JSON object whose only member is a string "verification_token".
func HandshakeToken(body []byte) (string, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) < 2 || trimmed[0] != '{' || !bytes.Contains(trimmed, []byte(`"verification_token"`)) {
		return "", false
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(trimmed, &doc) != nil || len(doc) != 1 {
		return "", false
	}
	var tok string
	if json.Unmarshal(doc["verification_token"], &tok) != nil || tok == "" {
		return "", false
	}
	return tok, true
}
