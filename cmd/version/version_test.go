package version

import (
	"encoding/json"
	"runtime"
	"testing"

	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/iostreams"
)

func TestVersionRun(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	b := cmdutil.BuildInfo{Version: "1.2.3", Commit: "abc1234", Date: "2025-01-02T03:04:05Z"}
	if err := versionRun(&Options{IO: ios, Build: b}); err != nil {
		t.Fatal(err)
	}
	want := "hookctl 1.2.3 (commit abc1234, built 2025-01-02T03:04:05Z, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if out.String() != want {
		t.Errorf("got %q want %q", out, want)
	}
	out.Reset()
	if err := versionRun(&Options{IO: ios, Build: b, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["version"] != "1.2.3" || got["commit"] != "abc1234" || got["date"] != "2025-01-02T03:04:05Z" || got["go"] != runtime.Version() || len(got) != 5 {
		t.Errorf("json %v", got)
	}
}
