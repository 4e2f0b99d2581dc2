// Command hookctl tests webhooks locally: trigger signed sample events,
// listen and verify, sign, verify and replay.
package main

import (
	"os"

	"github.com/hookctl/hookctl/cmd"
)

// Set by the linker: -X main.version=... (see .goreleaser.yaml).
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	os.Exit(cmd.Main(version, commit, date))
}
