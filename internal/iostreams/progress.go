package iostreams

import (
	"fmt"
	"sync"
	"time"
)

// progress is the one status line drawn on stderr: a countdown or a
// progress bar. It is redrawn in place and erased when stopped.
type progress struct {
	mu    sync.Mutex
	on    bool
	label func() string
	stop  chan struct{}
	done  chan struct{}
}

// StartProgressIndicatorWithLabel shows label as the status line on stderr,
// replacing any line shown before; SetProgressLabel changes it and
// StopProgressIndicator erases it. Only when Interactive (stderr is a
// terminal that is not dumb); otherwise it draws nothing, as gh does.
func (s *IOStreams) StartProgressIndicatorWithLabel(label string) {
	s.StartProgressIndicatorFunc(0, func() string { return label })
}

// StartProgressIndicatorFunc shows the line label returns, asked again
// every interval (0: only now) until StopProgressIndicator.
func (s *IOStreams) StartProgressIndicatorFunc(interval time.Duration, label func() string) {
	if !s.Interactive() {
		return
	}
	p := &s.progress
	s.StopProgressIndicator()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.on, p.label = true, label
	s.drawLocked()
	if interval <= 0 {
		return
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go func(stop, done chan struct{}) {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				p.mu.Lock()
				s.drawLocked()
				p.mu.Unlock()
			}
		}
	}(p.stop, p.done)
}

// SetProgressLabel redraws the status line with a new label; it does
// nothing when no indicator is running.
func (s *IOStreams) SetProgressLabel(label string) {
	p := &s.progress
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		p.label = func() string { return label }
		s.drawLocked()
	}
}

// StopProgressIndicator erases the status line; it does nothing when no
// indicator is running.
func (s *IOStreams) StopProgressIndicator() {
	p := &s.progress
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.stop, p.done = nil, nil
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		p.on = false
		fmt.Fprint(s.ErrOut, "\r\033[K")
	}
}

func (s *IOStreams) drawLocked() {
	fmt.Fprintf(s.ErrOut, "\r\033[K%s", s.progress.label())
}
