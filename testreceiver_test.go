package main

import (
	"fmt"
	"os"
)

// testReceiverMain is a small webhook receiver for trigger and replay scripts.
// Replaced by the trigger work.
func testReceiverMain() {
	fmt.Fprintln(os.Stderr, "testreceiver: not built yet")
	os.Exit(2)
}
