package present

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
)

// Version prints hookctl's version, commit and build date, with the Go
// release and platform it was built with: one line, or a JSON object.
func Version(w io.Writer, version, commit, date string, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(map[string]string{
			"version": version, "commit": commit, "date": date, "go": runtime.Version(),
			"platform": runtime.GOOS + "/" + runtime.GOARCH,
		})
	}
	_, err := fmt.Fprintf(w, "hookctl %s (commit %s, built %s, %s %s/%s)\n", version, commit, date, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
