package iostreams

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressIndicatorOnlyOnATerminal(t *testing.T) {
	s, _, _, errOut := Test()
	s.StartProgressIndicatorWithLabel("attempt 2/2 in 5s")
	s.SetProgressLabel("attempt 2/2 in 4s")
	s.StopProgressIndicator()
	if errOut.Len() != 0 {
		t.Errorf("drew off a terminal: %q", errOut)
	}
}

func TestProgressIndicatorDrawsInPlaceAndErases(t *testing.T) {
	s, _, _, errOut := Test()
	s.SetTTY(false, false, true)
	s.StartProgressIndicatorWithLabel("attempt 2/2 in 5s")
	s.SetProgressLabel("attempt 2/2 in 4s")
	s.StopProgressIndicator()
	s.StopProgressIndicator() // a second stop draws nothing
	want := "\r\033[Kattempt 2/2 in 5s\r\033[Kattempt 2/2 in 4s\r\033[K"
	if errOut.String() != want {
		t.Errorf("got %q, want %q", errOut, want)
	}
	s.SetProgressLabel("no indicator")
	if strings.Contains(errOut.String(), "no indicator") {
		t.Errorf("a label drew with no indicator running")
	}
}

func TestProgressIndicatorFuncRedraws(t *testing.T) {
	s, _, _, _ := Test()
	var buf syncBuffer
	s.ErrOut = &buf
	s.SetTTY(false, false, true)
	s.StartProgressIndicatorFunc(time.Millisecond, func() string { return "working" })
	for deadline := time.Now().Add(5 * time.Second); strings.Count(buf.String(), "working") < 3 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	s.StopProgressIndicator()
	if got := buf.String(); strings.Count(got, "working") < 3 || !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("got %q", got)
	}
}

// syncBuffer is a buffer the indicator's goroutine and the test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
