package present

import (
	"testing"
	"time"
)

func TestFormatWait(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0", 5 * time.Second: "5s", 5 * time.Minute: "5m", 2 * time.Hour: "2h", 90 * time.Second: "1m30s"} {
		if got := FormatWait(d); got != want {
			t.Errorf("FormatWait(%v) = %s, want %s", d, got, want)
		}
	}
}
