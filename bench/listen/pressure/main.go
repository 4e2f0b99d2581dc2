// Command pressure puts a running hookctl listen under hostile load on
// loopback and measures how legitimate requests fare meanwhile (see
// bench/listen/pressure.sh and bench/README.md):
//
//   - idle: connections that send one request, then stay open idle
//     (keep-alive);
//   - slowloris: connections that send an unfinished header, then one more
//     header byte every second;
//   - trickle: uploads that declare a large Content-Length and send a few
//     bytes a second.
//
// Then it sends legitimate signed requests one after the other for a while
// and prints their latency percentiles, how many failed, how many of the
// hostile connections listen closed, and listen's memory (VmRSS, VmHWM)
// when given its pid. Everything is bounded: at most 20,000 connections in
// all, at most two minutes, and only to 127.0.0.1.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	target := flag.String("url", "", "listen's URL (http://127.0.0.1:PORT/)")
	idle := flag.Int("idle", 5000, "idle keep-alive connections")
	slow := flag.Int("slowloris", 2000, "connections trickling their headers")
	trickle := flag.Int("trickle", 200, "uploads declaring -declare bytes and trickling them")
	declare := flag.Int64("declare", 25_000_000, "Content-Length the trickling uploads declare")
	legit := flag.Duration("legit", 10*time.Second, "how long to send legitimate requests")
	body := flag.String("body", `{"event":"connection.created","event_id":"evt_1"}`, "legitimate request body")
	sig := flag.String("sig", "", "X-Notify-Signature of the body")
	pid := flag.Int("pid", 0, "listen's pid, to report its memory")
	flag.Parse()

	u, err := url.Parse(*target)
	if err != nil || u.Hostname() != "127.0.0.1" {
		fail("-url must be http://127.0.0.1:PORT/ (loopback only)")
	}
	if *idle+*slow+*trickle > 20000 || *legit > 2*time.Minute {
		fail("bounded: at most 20000 hostile connections and -legit 2m")
	}
	addr := u.Host

	var closed atomic.Int64 // hostile connections listen closed
	var opened atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	hold := func(c net.Conn, every time.Duration, next func() string) {
		defer wg.Done()
		defer c.Close()
		go func() { // notice when listen closes it
			_, _ = io.Copy(io.Discard, c)
			closed.Add(1)
		}()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if s := next(); s != "" {
					if _, err := io.WriteString(c, s); err != nil {
						return
					}
				}
			}
		}
	}
	// open makes n connections that send first, then next() every tick.
	open := func(n int, first string, every time.Duration, next func() string) {
		for range n {
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				continue
			}
			opened.Add(1)
			io.WriteString(c, first)
			wg.Add(1)
			go hold(c, every, next)
		}
	}
	start := time.Now()
	// one whole request, then nothing: idle keep-alive connections
	open(*idle, fmt.Sprintf("POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: 2\r\n\r\n{}", addr), time.Hour, func() string { return "" })
	open(*slow, fmt.Sprintf("POST / HTTP/1.1\r\nHost: %s\r\nX-Slow: ", addr), time.Second, func() string { return "a" })
	open(*trickle, fmt.Sprintf("POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n", addr, *declare), time.Second,
		func() string { return strings.Repeat("x", 64) })
	setup := time.Since(start)

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	var lat []time.Duration
	failed := 0
	end := time.Now().Add(*legit)
	for time.Now().Before(end) {
		req, _ := http.NewRequest("POST", *target, bytes.NewReader([]byte(*body)))
		req.Header.Set("Content-Type", "application/json")
		if *sig != "" {
			req.Header.Set("X-Notify-Signature", *sig)
		}
		t0 := time.Now()
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		d := time.Since(t0)
		if err != nil || resp.StatusCode != http.StatusOK {
			failed++
			continue
		}
		lat = append(lat, d)
	}
	mem := ""
	if *pid > 0 {
		mem = memory(*pid)
	}
	closedByListen := closed.Load()
	close(stop)
	wg.Wait()
	slices.Sort(lat)
	pct := func(p float64) string {
		if len(lat) == 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.2f ms", float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds())/1000)
	}
	fmt.Printf("hostile connections opened: %d (idle %d, slowloris %d, trickle %d declaring %d bytes) in %s; closed by listen while measuring: %d\n",
		opened.Load(), *idle, *slow, *trickle, *declare, setup.Round(time.Millisecond), closedByListen)
	fmt.Printf("legitimate requests: %d answered 200, %d failed; p50 %s, p90 %s, p99 %s, max %s\n",
		len(lat), failed, pct(0.50), pct(0.90), pct(0.99), pct(1))
	if mem != "" {
		fmt.Printf("listen memory while under load: %s\n", mem)
	}
}

func memory(pid int) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ""
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && (k == "VmRSS" || k == "VmHWM") {
			out = append(out, k+" "+strings.TrimSpace(v))
		}
	}
	return strings.Join(out, ", ")
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "pressure:", msg)
	os.Exit(2)
}
