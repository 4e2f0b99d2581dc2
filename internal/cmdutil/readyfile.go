package cmdutil

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/hookctl/hookctl/internal/httpx"
)

// WriteReadyFile writes a URL to --ready-file's path through a temporary file and a
// rename, so a reader never sees half of it.
func WriteReadyFile(path, url string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hookctl-ready-*")
	if err != nil {
		return fmt.Errorf("--ready-file %s: %v", path, httpx.Cause(err))
	}
	_, err = tmp.WriteString(url + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("--ready-file %s: %v", path, httpx.Cause(err))
	}
	return nil
}
