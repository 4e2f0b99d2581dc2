// Package gencomp renders hookctl's shell completion scripts from the real
// command tree. The scripts in completions/ are its output: they ship in the
// release archives, 'go generate ./...' rewrites them, and a test at the
// repository root fails when they drift from what this package renders.
package gencomp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"
)

// Files maps each completion file name (relative to completions/) to the
// shell that uses it.
var Files = map[string]string{
	"hookctl.bash": "bash",
	"_hookctl":     "zsh",
	"hookctl.fish": "fish",
	"hookctl.ps1":  "powershell",
}

// Names returns the file names of Files in a stable order.
func Names() []string {
	names := make([]string, 0, len(Files))
	for name := range Files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Render returns the script for one shell, with descriptions, as
// 'hookctl completion SHELL' prints it.
func Render(root *cobra.Command, shell string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch shell {
	case "bash":
		err = root.GenBashCompletionV2(&buf, true)
	case "zsh":
		err = root.GenZshCompletion(&buf)
	case "fish":
		err = root.GenFishCompletion(&buf, true)
	case "powershell":
		err = root.GenPowerShellCompletionWithDesc(&buf)
	default:
		return nil, fmt.Errorf("unknown shell %q: want bash, zsh, fish or powershell", shell)
	}
	if err != nil {
		return nil, fmt.Errorf("%s completion: %w", shell, err)
	}
	return buf.Bytes(), nil
}

// Write renders every script into dir, creating it if needed.
func Write(root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range Names() {
		b, err := Render(root, Files[name])
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
