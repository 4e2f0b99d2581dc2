// Command gencompletions writes hookctl's shell completion scripts to
// completions/ (or -o DIR). It runs from 'go generate ./...' (see
// generate.go at the repository root) and is not part of the hookctl binary.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/cmdutil"
	"github.com/hookctl/hookctl/internal/gencomp"
)

func main() {
	dir := flag.String("o", "completions", "folder to write the scripts to")
	flag.Parse()
	root := cmd.NewCmdRoot(cmdutil.New(cmdutil.BuildInfo{Version: "dev"}))
	if err := gencomp.Write(root, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "gencompletions:", err)
		os.Exit(1)
	}
}
