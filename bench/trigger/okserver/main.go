// Command okserver is the trivial endpoint of the trigger load benchmark:
// it reads each request's body and answers 200 with a tiny JSON body, so the
// benchmark measures the client (hookctl or wrk), not an application.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	ready := flag.String("ready", "", "write the address to this file once listening")
	dump := flag.String("dump", "", "write the first request's body to FILE and its headers to FILE.headers")
	flag.Parse()
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "okserver:", err)
		os.Exit(1)
	}
	if *ready != "" {
		tmp := *ready + ".tmp"
		if err := os.WriteFile(tmp, []byte(l.Addr().String()), 0o644); err != nil || os.Rename(tmp, *ready) != nil {
			fmt.Fprintln(os.Stderr, "okserver: cannot write", *ready)
			os.Exit(1)
		}
	}
	body := []byte(`{"ok":true}`)
	var once sync.Once
	err = http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if *dump != "" {
			once.Do(func() { dumpRequest(*dump, r) })
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, "okserver:", err)
	os.Exit(1)
}

// dumpRequest keeps one request, so wrk can send the same body and headers.
func dumpRequest(file string, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var h strings.Builder
	for name, vs := range r.Header {
		if name == "Content-Length" || name == "User-Agent" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(&h, "%s: %s\n", name, v)
		}
	}
	if os.WriteFile(file+".headers", []byte(h.String()), 0o644) != nil || os.WriteFile(file, b, 0o644) != nil {
		fmt.Fprintln(os.Stderr, "okserver: cannot write", file)
	}
}
