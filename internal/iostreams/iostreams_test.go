package iostreams

import "testing"

func TestColorDecision(t *testing.T) {
	cases := []struct {
		name      string
		env       map[string]string
		mode      ColorMode
		outTTY    bool
		errTTY    bool
		wantOut   bool
		wantErr   bool
		wantInter bool
	}{
		{name: "tty auto", outTTY: true, errTTY: true, wantOut: true, wantErr: true, wantInter: true},
		{name: "pipe auto", wantOut: false, wantErr: false},
		{name: "stdout piped, stderr tty", errTTY: true, wantOut: false, wantErr: true, wantInter: true},
		{name: "NO_COLOR", env: map[string]string{"NO_COLOR": "1"}, outTTY: true, errTTY: true, wantInter: true},
		{name: "CLICOLOR=0", env: map[string]string{"CLICOLOR": "0"}, outTTY: true, errTTY: true, wantInter: true},
		{name: "CLICOLOR_FORCE on a pipe", env: map[string]string{"CLICOLOR_FORCE": "1"}, wantOut: true, wantErr: true},
		{name: "CLICOLOR_FORCE=0 is off", env: map[string]string{"CLICOLOR_FORCE": "0"}},
		{name: "NO_COLOR beats CLICOLOR_FORCE", env: map[string]string{"NO_COLOR": "x", "CLICOLOR_FORCE": "1"}},
		{name: "TERM=dumb", env: map[string]string{"TERM": "dumb"}, outTTY: true, errTTY: true},
		{name: "--color=always beats NO_COLOR", env: map[string]string{"NO_COLOR": "1"}, mode: ColorAlways, wantOut: true, wantErr: true},
		{name: "--color=never on a tty", mode: ColorNever, outTTY: true, errTTY: true, wantInter: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _, _, _ := Test()
			s.getenv = func(k string) string { return c.env[k] }
			s.SetTTY(false, c.outTTY, c.errTTY)
			s.SetColorMode(c.mode)
			if s.ColorEnabled() != c.wantOut || s.ColorEnabledErr() != c.wantErr {
				t.Errorf("colour out=%v err=%v, want out=%v err=%v", s.ColorEnabled(), s.ColorEnabledErr(), c.wantOut, c.wantErr)
			}
			if s.Interactive() != c.wantInter {
				t.Errorf("interactive=%v, want %v", s.Interactive(), c.wantInter)
			}
		})
	}
}

func TestParseColorMode(t *testing.T) {
	for _, ok := range []string{"auto", "always", "never", "ALWAYS", ""} {
		if _, err := ParseColorMode(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	if _, err := ParseColorMode("sometimes"); err == nil {
		t.Error("sometimes accepted")
	}
}
