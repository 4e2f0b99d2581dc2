package cmdutil

import "runtime/debug"

// Linker defaults of main's version, commit and date: no -X flags given.
const (
	noVersion = "dev"
	noCommit  = "none"
	noDate    = "unknown"
)

// Resolved fills what the linker did not set from the binary's build
// info: the module's version (go install ...@v1.2.3), and the commit and
// time Go records when it builds from a checkout (vcs.revision, vcs.time;
// "-dirty" when the tree had changes).
func (b BuildInfo) Resolved() BuildInfo {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	return b.from(info)
}

func (b BuildInfo) from(info *debug.BuildInfo) BuildInfo {
	if (b.Version == "" || b.Version == noVersion) && info.Main.Version != "" && info.Main.Version != "(devel)" {
		b.Version = info.Main.Version
	}
	var rev, at string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if (b.Commit == "" || b.Commit == noCommit) && rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if dirty {
			rev += "-dirty"
		}
		b.Commit = rev
	}
	if (b.Date == "" || b.Date == noDate) && at != "" {
		b.Date = at
	}
	return b
}
