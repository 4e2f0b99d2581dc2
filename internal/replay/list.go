package replay

import (
	"time"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/httpx"
)

// Verdict is a capture's signature verdict as listen showed it: "valid",
// "invalid: <reason>", or the reason it was not checked ("unsigned", "no
// secret for notify"); "-" when the record says nothing.
func Verdict(rec *capture.Record) string {
	if v := httpx.Verdict(rec.Verified, rec.Reason); v != "" {
		return v
	}
	return "-"
}

// Entry is one capture as --list --json prints it: the capture, not its
// headers or body.
type Entry struct {
	CaptureID     string    `json:"capture_id"`
	Time          time.Time `json:"time"`
	Method        string    `json:"method"`
	Path          string    `json:"path"`
	Query         string    `json:"query,omitempty"`
	Provider      string    `json:"provider"`
	Event         string    `json:"event"`
	EventID       string    `json:"event_id"`
	Verified      *bool     `json:"verified"`
	Reason        string    `json:"reason,omitempty"`
	Status        int       `json:"status"`
	Size          int64     `json:"size"`
	BodyTruncated bool      `json:"body_truncated,omitempty"`
}

// NewEntry summarises a record for listing.
func NewEntry(rec *capture.Record) Entry {
	return Entry{
		CaptureID: rec.ID, Time: rec.Time, Method: rec.Method, Path: rec.Path, Query: rec.Query,
		Provider: rec.Provider, Event: rec.Event, EventID: rec.EventID, Verified: rec.Verified, Reason: rec.Reason,
		Status: rec.Status, Size: rec.BodySize, BodyTruncated: rec.BodyTruncated,
	}
}
