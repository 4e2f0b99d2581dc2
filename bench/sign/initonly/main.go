// Command initonly links every package hookctl links, runs their init
// functions and exits without building the command tree: the start-up
// benchmark's measure of what loading and initialising the binary costs
// before hookctl's main does any work.
package main

import (
	"os"

	"github.com/hookctl/hookctl/cmd"
)

func main() {
	if len(os.Args) > 1 {
		// Never taken in the benchmark; keeps the linker from dropping cmd.
		os.Exit(cmd.Main("dev", "none", "unknown"))
	}
}
