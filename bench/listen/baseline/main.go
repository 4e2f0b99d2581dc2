//go:build linux

// Command baseline is the yardstick of bench/listen: the durable limit, the
// smallest webhook receiver that keeps every request on disk before it
// answers. A net/http server reads each body, checks its HMAC-SHA256
// signature, appends a record of the request (method, path, headers, body
// in base64) through one writer goroutine with continuous group commit
// (every record waiting at that moment in ONE write and ONE fdatasync,
// no timer: the next batch gathers while one is synced), and answers 200
// after its batch's sync.
//
// With -capture "" it writes nothing (the bare server).
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"syscall"
	"time"
)

type pending struct {
	line []byte
	done chan error
}

// writer owns the file: it takes every pending record, writes them with
// one write, syncs once, and releases them all.
func writer(f *os.File, reqs chan *pending) {
	var batch []*pending
	var buf []byte
	for p := range reqs {
		batch, buf = append(batch[:0], p), append(buf[:0], p.line...)
	more:
		for len(buf) < 8<<20 {
			select {
			case p := <-reqs:
				batch, buf = append(batch, p), append(buf, p.line...)
			default:
				break more
			}
		}
		_, err := f.Write(buf)
		if err == nil {
			err = syscall.Fdatasync(int(f.Fd()))
		}
		for _, p := range batch {
			p.done <- err
		}
		runtime.Gosched() // let the released requests answer before the next sync
	}
}

func record(r *http.Request, body []byte) []byte {
	b := make([]byte, 0, 256+len(body)*4/3)
	b = append(b, `{"time":"`...)
	b = time.Now().UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","method":`...)
	b = strconv.AppendQuote(b, r.Method)
	b = append(b, `,"path":`...)
	b = strconv.AppendQuote(b, r.URL.RequestURI())
	b = append(b, `,"headers":{`...)
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for i, k := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, k)
		b = append(b, ':')
		b = strconv.AppendQuote(b, r.Header.Get(k))
	}
	b = append(b, `},"body":"`...)
	b = base64.StdEncoding.AppendEncode(b, body)
	return append(b, "\"}\n"...)
}

func main() {
	secret := flag.String("secret", "bench", "HMAC key")
	header := flag.String("header", "X-Notify-Signature", "header holding the hex signature")
	ready := flag.String("ready", "", "write the address here once listening")
	capture := flag.String("capture", "", "append every request here, durably (empty: no disk)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile here until SIGTERM")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
			go func() { <-sig; pprof.StopCPUProfile(); f.Close(); os.Exit(0) }()
		}
	}
	// The same collector settings as listen (internal/listen/tune.go), so
	// the ratio measures listen's work, not its GC tuning.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(48 << 20)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var reqs chan *pending
	if *capture != "" {
		f, err := os.OpenFile(*capture, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		reqs = make(chan *pending, 1024)
		go writer(f, reqs)
	}
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte(ln.Addr().String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	key := []byte(*secret)
	ok := []byte(`{"ok":true}` + "\n")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mac := hmac.New(sha256.New, key)
		mac.Write(body)
		want := hex.EncodeToString(mac.Sum(nil))
		if !hmac.Equal([]byte(r.Header.Get(*header)), []byte(want)) {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		if reqs != nil {
			p := &pending{line: record(r, body), done: make(chan error, 1)}
			reqs <- p
			if err := <-p.done; err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(ok)
	})
	if err := http.Serve(ln, h); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
