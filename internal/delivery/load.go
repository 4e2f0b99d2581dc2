package delivery

import (
	"context"
	"runtime/debug"
	"slices"
	"sort"
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
// reporting LoadStarted and LoadStopped around it (a presenter draws its
// progress from LoadStarted.Done). Results are not reported one by one.
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
	s.Observe(LoadStarted{Total: n, Start: start, Done: func() int { return int(done.Load()) }})
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
	s.Observe(LoadStopped{})
	if buildErr != nil {
		return nil, buildErr
	}
	return summarize(stats, &LoadSummary{URL: o.URL, Count: n, Concurrency: c, Elapsed: elapsed}), nil
}

// summarize adds up the workers' figures into sum.
func summarize(stats []workerStats, sum *LoadSummary) *LoadSummary {
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
	sum.Interrupted = sum.Sent < sum.Count
	for k, v := range fails {
		sum.Failures = append(sum.Failures, Failure{k, v})
	}
	sort.Slice(sum.Failures, func(i, j int) bool {
		a, b := sum.Failures[i], sum.Failures[j]
		return a.Count > b.Count || (a.Count == b.Count && a.Kind < b.Kind)
	})
	if sum.Elapsed > 0 {
		sum.RPS = float64(sum.Sent) / sum.Elapsed.Seconds()
	}
	slices.Sort(lat)
	sum.P50, sum.P90, sum.P99 = percentile(lat, 50), percentile(lat, 90), percentile(lat, 99)
	if len(lat) > 0 {
		sum.Max = lat[len(lat)-1]
	}
	return sum
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}
