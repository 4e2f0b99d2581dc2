package delivery

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// LoadOptions describe a load run.
type LoadOptions struct {
	Count       int
	Concurrency int
	// Build makes request i (0-based). It is called from several workers at
	// once and must be safe for that; an error stops the run.
	Build func(i int) (*Request, error)
	// URL names the target in the summary.
	URL string
}

// Failure is one kind of failure and how often it happened.
type Failure struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

// LoadSummary is what a load run measured.
type LoadSummary struct {
	URL         string
	Count       int // requests asked for
	Concurrency int
	Sent        int
	Succeeded   int
	Failed      int
	Failures    []Failure // by status or error, most frequent first
	Elapsed     time.Duration
	RPS         float64
	P50, P90    time.Duration
	P99, Max    time.Duration
	Interrupted bool
}

// OK reports whether every request asked for was sent and accepted.
func (l *LoadSummary) OK() bool { return !l.Interrupted && l.Failed == 0 && l.Sent == l.Count }

type workerStats struct {
	lat   []time.Duration
	ok    int
	fails map[string]int
}

// Load sends Count requests with Concurrency workers, each over its own
// keep-alive connection (or, through a proxy or a client that is not
// NewClient's, over the client's pool: build it with
// ClientOptions.Concurrency),
// drawing a progress bar on Countdown when set. Results are not printed one
// by one: pass the summary to Printer.Load.
func (s *Sender) Load(ctx context.Context, o LoadOptions) (*LoadSummary, error) {
	n, c := o.Count, max(1, min(o.Concurrency, o.Count))
	// Each request allocates a few kilobytes that die at once; collecting
	// less often costs little memory and leaves the CPU to the requests.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		done     atomic.Int64
		errOnce  sync.Once
		buildErr error
		wg       sync.WaitGroup
	)
	stats := make([]workerStats, c)
	insecure, direct := s.directLoad(o.URL)
	start := time.Now()
	stopBar := s.progress(&done, n, start)
	for w := range c {
		st := &stats[w]
		st.lat = make([]time.Duration, 0, n/c+1)
		st.fails = map[string]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			lc := &loadConn{s: s, insecure: insecure}
			defer lc.close()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				req, err := o.Build(i)
				if err != nil {
					errOnce.Do(func() { buildErr = err; cancel() })
					return
				}
				var res *Result
				if direct {
					res = lc.send(ctx, req)
				} else {
					res = s.send(ctx, req, 0)
				}
				if res.Interrupted {
					return
				}
				st.lat = append(st.lat, res.Latency)
				if res.OK {
					st.ok++
				} else {
					st.fails[res.Kind]++
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	stopBar()
	if buildErr != nil {
		return nil, buildErr
	}
	sum := &LoadSummary{URL: o.URL, Count: n, Concurrency: c, Elapsed: elapsed}
	var lat []time.Duration
	fails := map[string]int{}
	for _, st := range stats {
		lat = append(lat, st.lat...)
		sum.Succeeded += st.ok
		for k, v := range st.fails {
			fails[k] += v
		}
	}
	sum.Sent = len(lat)
	sum.Failed = sum.Sent - sum.Succeeded
	sum.Interrupted = sum.Sent < n
	for k, v := range fails {
		sum.Failures = append(sum.Failures, Failure{k, v})
	}
	sort.Slice(sum.Failures, func(i, j int) bool {
		a, b := sum.Failures[i], sum.Failures[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Kind < b.Kind)
	})
	if elapsed > 0 {
		sum.RPS = float64(sum.Sent) / elapsed.Seconds()
	}
	slices.Sort(lat)
	sum.P50, sum.P90, sum.P99 = percentile(lat, 50), percentile(lat, 90), percentile(lat, 99)
	if len(lat) > 0 {
		sum.Max = lat[len(lat)-1]
	}
	return sum, nil
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

// progress draws a bar on Countdown until the returned func is called.
func (s *Sender) progress(done *atomic.Int64, total int, start time.Time) func() {
	if s.Countdown == nil {
		return func() {}
	}
	stop := make(chan struct{})
	finished := make(chan struct{})
	draw := func() {
		d := int(done.Load())
		const width = 30
		filled := width * d / max(total, 1)
		rate := float64(d) / max(time.Since(start).Seconds(), 1e-9)
		fmt.Fprintf(s.Countdown, "\r\033[K[%s%s] %d/%d  %.0f req/s", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), d, total, rate)
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				fmt.Fprint(s.Countdown, "\r\033[K")
				return
			case <-t.C:
				draw()
			}
		}
	}()
	return func() { close(stop); <-finished }
}

type loadJSON struct {
	Type        string             `json:"type"`
	URL         string             `json:"url"`
	Count       int                `json:"count"`
	Concurrency int                `json:"concurrency"`
	Sent        int                `json:"sent"`
	Succeeded   int                `json:"succeeded"`
	Failed      int                `json:"failed"`
	Failures    []Failure          `json:"failures"`
	ElapsedMS   float64            `json:"elapsed_ms"`
	RPS         float64            `json:"requests_per_second"`
	LatencyMS   map[string]float64 `json:"latency_ms"`
	Interrupted bool               `json:"interrupted"`
	OK          bool               `json:"ok"`
}

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Load prints a load run's summary.
func (p *Printer) Load(l *LoadSummary) {
	if p == nil {
		return
	}
	if p.opt.JSON {
		fails := l.Failures
		if fails == nil {
			fails = []Failure{}
		}
		p.JSONLine(loadJSON{
			Type: "load", URL: l.URL, Count: l.Count, Concurrency: l.Concurrency,
			Sent: l.Sent, Succeeded: l.Succeeded, Failed: l.Failed, Failures: fails,
			ElapsedMS: msf(l.Elapsed), RPS: float64(int64(l.RPS*10)) / 10,
			LatencyMS:   map[string]float64{"p50": msf(l.P50), "p90": msf(l.P90), "p99": msf(l.P99), "max": msf(l.Max)},
			Interrupted: l.Interrupted, OK: l.OK(),
		})
		return
	}
	st := p.opt.Styles
	head := fmt.Sprintf("sent %d requests to %s in %s with %d workers: %.0f req/s", l.Sent, l.URL, FormatDuration(l.Elapsed), l.Concurrency, l.RPS)
	p.Line("%s", apply(st.Bold, head))
	result := apply(st.OK, fmt.Sprintf("%d succeeded", l.Succeeded))
	if l.Failed > 0 {
		var kinds []string
		for _, f := range l.Failures {
			kinds = append(kinds, fmt.Sprintf("%s ×%d", f.Kind, f.Count))
		}
		result += ", " + apply(st.Fail, fmt.Sprintf("%d failed", l.Failed)) + " (" + strings.Join(kinds, ", ") + ")"
	}
	if l.Interrupted {
		result += fmt.Sprintf(", interrupted: %d of %d not sent", l.Count-l.Sent, l.Count)
	}
	p.Line("  %s", result)
	p.Line("  latency p50 %s  p90 %s  p99 %s  max %s", FormatDuration(l.P50), FormatDuration(l.P90), FormatDuration(l.P99), FormatDuration(l.Max))
}
