package delivery

import "time"

// Event is what a Sender reports while it works, in order, from the
// goroutine that called Deliver or Load. The command's presenter turns
// events into lines and countdowns; this package prints nothing.
type Event interface{ deliveryEvent() }

// AttemptStarted: an attempt's request is built and about to be sent.
type AttemptStarted struct {
	Request           *Request
	Attempt, Attempts int
}

// AttemptDone: an attempt got its answer, or failed to.
type AttemptDone struct{ Result *Result }

// RetryPlanned: an attempt failed and another follows after Result.NextWait
// (the provider's) or Result.NextWaitScaled (hookctl's). First is set after
// the first attempt; Plan carries the scale and the default-schedule note.
type RetryPlanned struct {
	Result *Result
	Plan   *Plan
	First  bool
}

// Waiting: the wait before attempt Next is under way; Left of it remain,
// until Until. With Config.Countdown the wait is reported every step
// (100ms, or 1s for waits over 10s); WaitOver follows.
type Waiting struct {
	Next, Attempts int
	Left           time.Duration
	Until          time.Time
}

// WaitOver: the wait before the next attempt ended (or was cut short).
type WaitOver struct{}

// NoRetry: an attempt failed, attempts were left, and the provider makes
// no retry after this failure (Plan.Stop said why).
type NoRetry struct{ Reason string }

// GaveUp: every attempt of a plan with retries failed (Attempts is 1 for a
// provider that makes no retries).
type GaveUp struct {
	Attempts  int
	AfterLast string // what the provider does then
}

// Interrupted: the run was stopped (Ctrl-C) while waiting to retry.
type Interrupted struct{ Message string }

// Finished: the run is over; Summary is final.
type Finished struct{ Summary *Summary }

// LoadStarted: a load run began; Done reports how many requests have been
// answered so far (safe to call from any goroutine) until LoadStopped.
type LoadStarted struct {
	Total int
	Start time.Time
	Done  func() int
}

// LoadStopped: every worker of a load run has stopped.
type LoadStopped struct{}

func (AttemptStarted) deliveryEvent() {}
func (AttemptDone) deliveryEvent()    {}
func (RetryPlanned) deliveryEvent()   {}
func (Waiting) deliveryEvent()        {}
func (WaitOver) deliveryEvent()       {}
func (GaveUp) deliveryEvent()         {}
func (NoRetry) deliveryEvent()        {}
func (Interrupted) deliveryEvent()    {}
func (Finished) deliveryEvent()       {}
func (LoadStarted) deliveryEvent()    {}
func (LoadStopped) deliveryEvent()    {}
