// Package cmdutil holds what every command shares: the error kinds and the
// exit codes they map to, and the factory of dependencies.
package cmdutil

import (
	"errors"
	"fmt"
	"strings"
)

// Exit codes. These are a public interface: scripts depend on them.
const (
	ExitOK      = 0 // success: the signature is valid, every delivery was accepted
	ExitFailure = 1 // the check or the delivery failed (invalid signature, endpoint error)
	ExitUsage   = 2 // usage or input error: bad flag, unreadable file, malformed input
)

// ExitCodesHelp documents the codes for `hookctl help exit-codes`.
const ExitCodesHelp = `hookctl exits with one of three codes, the same for every command:

  0  success: the signature is valid, every delivery was accepted by the
     provider's success rule, every expected request arrived
  1  failure: a signature did not verify, an endpoint refused or failed a
     delivery (after retries, if asked), an expectation was not met
  2  usage or input error: an unknown flag or command, a bad flag value, an
     unreadable file, malformed headers or config; nothing was sent

Errors are one line on stderr. Results, and --json output, go to stdout.`

// UsageError is an error in how hookctl was called or in its input. Exit 2.
// Hint asks for a pointer to the command's --help after the message.
type UsageError struct {
	Err  error
	Hint bool
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// AsUsage wraps err as a UsageError (nil stays nil).
func AsUsage(err error) error {
	if err == nil {
		return nil
	}
	var u *UsageError
	if errors.As(err, &u) {
		return err
	}
	return &UsageError{Err: err}
}

// FailedError means the check or delivery failed; the result was already
// printed when Silent is set, so nothing more is written. Exit 1.
type FailedError struct {
	Msg    string
	Silent bool
}

func (e *FailedError) Error() string { return e.Msg }

// ErrSilentFailure is a failure whose explanation is already on the screen.
var ErrSilentFailure = &FailedError{Msg: "failed", Silent: true}

// SilentUnless is nil when ok, else ErrSilentFailure: the results that
// say what failed are already printed.
func SilentUnless(ok bool) error {
	if ok {
		return nil
	}
	return ErrSilentFailure
}

// Failedf returns a FailedError with a formatted message.
func Failedf(format string, args ...any) error {
	return &FailedError{Msg: fmt.Sprintf(format, args...)}
}

// ExitCode maps an error to the documented exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var u *UsageError
	if errors.As(err, &u) {
		return ExitUsage
	}
	if isCobraUsage(err) {
		return ExitUsage
	}
	return ExitFailure
}

// WantsHelpHint reports whether the message should point at --help: flag
// and argument errors, which name no fix of their own.
func WantsHelpHint(err error) bool {
	var u *UsageError
	if errors.As(err, &u) {
		return u.Hint
	}
	return isCobraUsage(err)
}

// ShouldPrint reports whether the error still needs to be printed.
func ShouldPrint(err error) bool {
	var f *FailedError
	return err != nil && !(errors.As(err, &f) && f.Silent)
}

// isCobraUsage recognises the few errors cobra builds itself, which carry no type.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "requires at most", "required flag", "if any flags in the group"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

// OneLine folds an error message onto one line, for stderr.
func OneLine(err error) string {
	msg := strings.TrimSpace(err.Error())
	msg = strings.ReplaceAll(msg, "\r", "")
	return strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
}

// DeliveriesFailed is nil when a trigger or replay run delivered
// everything, else a failure whose one line on stderr says how much
// failed ("1 of 3 deliveries failed"), so a CI script that redirects
// stdout still sees why it exited 1.
func DeliveriesFailed(failed, notSent, total int, interrupted bool) error {
	if failed == 0 && notSent == 0 && !interrupted {
		return nil
	}
	var parts []string
	if failed > 0 || notSent == 0 {
		parts = append(parts, fmt.Sprintf("%d of %d %s failed", failed, total, deliveries(total)))
	}
	if notSent > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d not sent", notSent, total))
	}
	msg := strings.Join(parts, ", ")
	if interrupted {
		msg = "interrupted: " + msg
	}
	return &FailedError{Msg: msg}
}

func deliveries(n int) string {
	if n == 1 {
		return "delivery"
	}
	return "deliveries"
}
