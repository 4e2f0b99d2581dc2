// Command hello is the baseline for hookctl's start-up benchmark: Go's
// hello world, built with the same flags as hookctl.
package main

import "fmt"

func main() {
	fmt.Println("hello, world")
}
