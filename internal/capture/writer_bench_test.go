package capture

import (
	"path/filepath"
	"sync/atomic"
	"testing"
)

// BenchmarkAppend appends from 64 goroutines at once and reports the mean
// group-commit batch (records per write and fsync).
func BenchmarkAppend(b *testing.B) { benchAppend(b, 32) }

func BenchmarkAppendSerial(b *testing.B) { benchAppend(b, 1) }

func benchAppend(b *testing.B, parallelism int) {
	w, err := OpenWriter(filepath.Join(b.TempDir(), "c.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	var batches, records atomic.Int64
	w.beforeCommit = func(n int) { batches.Add(1); records.Add(int64(n)) }
	rec := record("cap_bench", `{"event_id":"evt_ck7qhp33c68tov35spng","event":"connection.updated","data":{"user_id":"usr_1"}}`)
	b.SetParallelism(parallelism)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := w.Append(rec); err != nil {
				b.Fatal(err)
			}
		}
	})
	w.Close()
	if n := batches.Load(); n > 0 {
		b.ReportMetric(float64(records.Load())/float64(n), "records/batch")
	}
}
