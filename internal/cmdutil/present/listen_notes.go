package present

import (
	"fmt"
	"strings"
)

// Notice prints one line on stderr, whatever the terminal: what listen
// says as it starts (a repaired capture file, the inspector's address).
func (d *Listen) Notice(format string, args ...any) {
	fmt.Fprintf(d.io.ErrOut, format+"\n", args...)
}

// Warn prints a styled warning line on stderr.
func (d *Listen) Warn(format string, args ...any) {
	Warn(d.io, d.stErr, format, args...)
}

// Exposed warns that listen is bound to addresses other machines reach.
func (d *Listen) Exposed(host string, addrs []string) {
	d.Notice("Listening on %s: %s", host, strings.Join(addrs, ", "))
	d.Notice("warning: --host %s is reachable from other machines: anyone on those networks can send requests to listen and read its answers (the default, 127.0.0.1, keeps it local)", host)
}

// DevSecret prints the line about the development secret, if any, unless
// quiet.
func (d *Listen) DevSecret(line string) {
	if line != "" && !d.opts.Quiet {
		fmt.Fprintln(d.io.ErrOut, line)
	}
}
