package ui

import (
	"regexp"
	"strings"
	"testing"
)

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func TestPlainStylesChangeNothing(t *testing.T) {
	s := New(false)
	for name, f := range map[string]func(string) string{"Bold": s.Bold, "Dim": s.Dim, "OK": s.OK, "Fail": s.Fail, "Warn": s.Warn, "Accent": s.Accent, "Heading": s.Heading, "Box": s.Box} {
		if got := f("valid"); got != "valid" {
			t.Errorf("%s(valid) = %q with colour off", name, got)
		}
	}
	if got := s.Status(500, "500"); got != "500" {
		t.Errorf("Status = %q", got)
	}
}

func TestColourStylesEscapeAndKeepText(t *testing.T) {
	s := New(true)
	for _, got := range []string{s.Bold("x"), s.OK("x"), s.Fail("x"), s.Status(200, "x"), s.Status(404, "x"), s.Status(503, "x")} {
		if !ansi.MatchString(got) || ansi.ReplaceAllString(got, "") != "x" {
			t.Errorf("%q: want escape codes around x", got)
		}
	}
	if s.Status(200, "x") == s.Status(503, "x") {
		t.Error("2xx and 5xx look the same")
	}
}

// Alignment is computed on plain text, so a coloured table lines up exactly
// as a plain one once the escapes are removed.
func TestTableAlignsTheSameWithColour(t *testing.T) {
	rows := [][]string{{"NAME", "EVENTS"}, {"notify", "2"}, {"standard (standard-webhooks)", "2"}}
	var plain, colour strings.Builder
	if err := New(false).Table(&plain, rows); err != nil {
		t.Fatal(err)
	}
	if err := New(true).Table(&colour, rows); err != nil {
		t.Fatal(err)
	}
	stripped := ansi.ReplaceAllString(colour.String(), "")
	if strings.TrimRight(strings.Split(plain.String(), "\n")[0], " ") != strings.Split(stripped, "\n")[0] {
		t.Errorf("heading differs:\n%q\n%q", plain.String(), stripped)
	}
	if strings.SplitN(plain.String(), "\n", 2)[1] != strings.SplitN(stripped, "\n", 2)[1] {
		t.Errorf("rows differ:\n%s\n%s", plain.String(), stripped)
	}
	if !strings.Contains(plain.String(), "notify                        2\n") {
		t.Errorf("columns not aligned:\n%s", plain.String())
	}
}
