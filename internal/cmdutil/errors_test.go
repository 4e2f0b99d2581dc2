package cmdutil

import (
	"errors"
	"fmt"
	"testing"
)

func TestExitCode(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("boom"), 1},
		{Failedf("delivery failed"), 1},
		{ErrSilentFailure, 1},
		{Usagef("bad --to"), 2},
		{fmt.Errorf("wrapped: %w", Usagef("bad")), 2},
		{errors.New(`unknown flag: --nope`), 2},
		{errors.New(`unknown command "x" for "hookctl"`), 2},
		{errors.New(`accepts at most 1 arg(s), received 2`), 2},
	}
	for _, c := range cases {
		if got := ExitCode(c.err); got != c.want {
			t.Errorf("ExitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
	if ShouldPrint(ErrSilentFailure) || !ShouldPrint(Failedf("x")) || ShouldPrint(nil) {
		t.Error("ShouldPrint wrong")
	}
	if got := OneLine(errors.New("a\n  b\r\nc ")); got != "a b c" {
		t.Errorf("OneLine = %q", got)
	}
}
