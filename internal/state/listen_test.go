package state

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

func TestRunningListener(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string {
		if k == "XDG_STATE_HOME" {
			return dir
		}
		return ""
	}
	if l, err := RunningListener(env); l != nil || err != nil {
		t.Fatalf("none yet: %v %v", l, err)
	}
	// A process that is gone: its record is ignored and removed.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no 'true' to run:", err)
	}
	dead := cmd.Process.Pid
	if _, err := SaveListener(env, Listener{URL: "http://127.0.0.1:1/", PID: dead, Started: time.Now()}); err != nil {
		t.Fatal(err)
	}
	remove, err := SaveListener(env, Listener{URL: "http://127.0.0.1:8787/", PID: os.Getpid(), Started: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	l, err := RunningListener(env)
	if err != nil || l == nil || l.URL != "http://127.0.0.1:8787/" {
		t.Fatalf("got %+v, %v", l, err)
	}
	if _, err := os.Stat(listenerPath(env, dead)); !os.IsNotExist(err) {
		t.Errorf("the dead listen's record is still there: %v", err)
	}
	if st, _ := os.Stat(listenerPath(env, os.Getpid())); st == nil || st.Mode().Perm() != 0o600 {
		t.Errorf("record mode: %v", st)
	}
	remove()
	if l, _ := RunningListener(env); l != nil {
		t.Errorf("removed, still found %+v", l)
	}
}
