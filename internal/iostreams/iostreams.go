// Package iostreams decides, once, what each output stream is: a terminal
// or not, coloured or not. Commands read the decision; they never probe the
// terminal themselves.
package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// ColorMode is the value of --color.
type ColorMode string

const (
	ColorAuto   ColorMode = "auto"
	ColorAlways ColorMode = "always"
	ColorNever  ColorMode = "never"
)

// ColorModes lists the accepted --color values, for validation and completion.
var ColorModes = []string{string(ColorAuto), string(ColorAlways), string(ColorNever)}

// IOStreams holds the process's streams and the decisions made about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool

	getenv func(string) string
	mode   ColorMode

	colorOut bool
	colorErr bool
	width    int // SetTerminalWidth

	progress progress
}

// System returns streams for the real process, with the colour decision made
// for ColorAuto. Call SetColorMode once flags are parsed.
func System() *IOStreams {
	s := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
		getenv:    os.Getenv,
	}
	s.decide(ColorAuto)
	return s
}

// Test returns streams backed by buffers: no terminal, no colour.
func Test() (s *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	s = &IOStreams{In: in, Out: out, ErrOut: errOut, getenv: func(string) string { return "" }}
	s.decide(ColorAuto)
	return s, in, out, errOut
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// SetTTY overrides the terminal detection (tests, and callers that know better).
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
	s.decide(s.mode)
}

// ParseColorMode validates a --color value.
func ParseColorMode(v string) (ColorMode, error) {
	switch m := ColorMode(strings.ToLower(strings.TrimSpace(v))); m {
	case ColorAuto, ColorAlways, ColorNever:
		return m, nil
	case "":
		return ColorAuto, nil
	}
	return "", fmt.Errorf("invalid --color %q: use auto, always or never", v)
}

// SetColorMode records the --color decision and recomputes colour for both
// output streams.
func (s *IOStreams) SetColorMode(m ColorMode) { s.decide(m) }

func (s *IOStreams) decide(m ColorMode) {
	if m == "" {
		m = ColorAuto
	}
	s.mode = m
	s.colorOut = s.colorFor(s.stdoutTTY)
	s.colorErr = s.colorFor(s.stderrTTY)
}

// colorFor applies, in order: --color, NO_COLOR, CLICOLOR_FORCE, CLICOLOR=0,
// TERM=dumb, and finally whether the stream is a terminal.
func (s *IOStreams) colorFor(tty bool) bool {
	switch s.mode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	env := s.getenv
	if env("NO_COLOR") != "" {
		return false
	}
	if v := env("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if env("CLICOLOR") == "0" {
		return false
	}
	if env("TERM") == "dumb" {
		return false
	}
	return tty
}

func (s *IOStreams) IsStdinTTY() bool  { return s.stdinTTY }
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// ColorEnabled reports whether stdout gets colour.
func (s *IOStreams) ColorEnabled() bool { return s.colorOut }

// ColorEnabledErr reports whether stderr gets colour.
func (s *IOStreams) ColorEnabledErr() bool { return s.colorErr }

// Interactive reports whether progress, spinners and countdowns may be drawn:
// only when stderr is a terminal and the terminal is not dumb.
func (s *IOStreams) Interactive() bool {
	return s.stderrTTY && s.getenv("TERM") != "dumb"
}
