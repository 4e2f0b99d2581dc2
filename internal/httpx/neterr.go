package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
)

// Failure is the kind of a transport error: why no complete answer came.
type Failure int

// The failures Classify tells apart.
const (
	Other       Failure = iota
	Refused             // nothing listens at the address
	DNS                 // the host name does not resolve
	Untrusted           // the TLS certificate is not trusted
	NotTLS              // https to a server that speaks plain http
	Timeout             // no answer in time
	Closed              // the connection closed before a complete answer
	Unreachable         // no route to the host or network
)

// String is the failure's short label, for grouping results.
func (f Failure) String() string {
	return [...]string{"error", "connection refused", "DNS", "TLS", "TLS", "timeout", "connection closed", "unreachable"}[f]
}

// Classify says what kind of failure a transport error is.
func Classify(err error) Failure {
	var (
		dnsErr   *net.DNSError
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		netErr   net.Error
	)
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case errors.As(err, &dnsErr):
		return DNS
	case errors.As(err, &unknown), errors.As(err, &invalid), errors.As(err, &hostname), errors.As(err, &verify):
		return Untrusted
	case errors.As(err, &record) || strings.Contains(err.Error(), "HTTP response to HTTPS client"):
		return NotTLS
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return Timeout
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Closed
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return Unreachable
	}
	return Other
}

// Cause strips the wrappers net and os put around an error (the operation,
// the address, the path), leaving what went wrong: "address already in
// use", "permission denied".
func Cause(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
