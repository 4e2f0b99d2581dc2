package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/check/checktest"
)

// checkReceiverMain is an endpoint for the check scripts: a correct
// receiver of any catalogue provider, or one with a known bug
// (internal/check/checktest lists them). It serves until the script ends:
//
//	exec checkreceiver --provider generic --secret s --bug fail-duplicate --ready url.txt &recv&
//	waitfile url.txt URL
//	! exec hookctl check $URL --provider generic --secret s
func checkReceiverMain() {
	os.Exit(runCheckReceiver(os.Args[1:], os.Stderr))
}

func runCheckReceiver(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("checkreceiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ready := fs.String("ready", "", "write the receiver's URL to this file once it listens")
	provider := fs.String("provider", "", "the provider whose webhooks it takes")
	secret := fs.String("secret", "", "the secret it verifies with")
	bug := fs.String("bug", "", "one known bug: "+fmt.Sprint(checktest.Bugs))
	delay := fs.Duration("delay", 6*time.Second, "with --bug slow: how long each accepted event takes")
	lifetime := fs.Duration("lifetime", 2*time.Minute, "exit after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cat, _ := catalog.New()
	p, err := cat.Lookup(*provider)
	if err != nil || (*bug != "" && !slices.Contains(checktest.Bugs, *bug)) {
		fmt.Fprintf(stderr, "checkreceiver: bad --provider or --bug: %v\n", err)
		return 2
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(stderr, "checkreceiver:", err)
		return 1
	}
	go (&http.Server{Handler: &checktest.Receiver{Provider: p, Secret: *secret, Bug: *bug, Delay: *delay}, ReadHeaderTimeout: 10 * time.Second}).Serve(l)
	url := "http://" + l.Addr().String() + "/webhooks"
	err = os.WriteFile(*ready+".tmp", []byte(url), 0o644)
	if err == nil {
		err = os.Rename(*ready+".tmp", *ready)
	}
	if err != nil {
		fmt.Fprintln(stderr, "checkreceiver:", err)
		return 1
	}
	time.Sleep(*lifetime)
	return 0
}
