package cmdutil

import (
	"runtime/debug"
	"testing"
)

func TestBuildInfoFromVCS(t *testing.T) {
	info := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	got := BuildInfo{Version: "dev", Commit: "none", Date: "unknown"}.from(info)
	if want := (BuildInfo{Version: "dev", Commit: "0123456789ab-dirty", Date: "2026-11-30T10:00:00Z"}); got != want {
		t.Errorf("no ldflags: %+v, want %+v", got, want)
	}
	info.Main.Version = "v1.4.0"
	if got := (BuildInfo{Version: "dev", Commit: "none", Date: "unknown"}).from(info); got.Version != "v1.4.0" {
		t.Errorf("go install @v1.4.0: version %q", got.Version)
	}
	set := BuildInfo{Version: "1.2.3", Commit: "abc1234", Date: "2025-01-02"}
	if got := set.from(info); got != set {
		t.Errorf("ldflags win: %+v", got)
	}
	if got := (BuildInfo{Version: "dev", Commit: "none", Date: "unknown"}).from(&debug.BuildInfo{}); got.Commit != "none" || got.Date != "unknown" {
		t.Errorf("no vcs info: %+v", got)
	}
}
