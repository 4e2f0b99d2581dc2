package listen

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/hookctl/hookctl/internal/capture"
	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/ids"
	"github.com/hookctl/hookctl/internal/secrets"
)

// benchBody is bench/listen's sample request body.
const benchBody = `{"event_id":"evt_ck7qhp33c68tov35spng","event":"connection.updated","timestamp":"2024-01-19T17:25:03.114Z","data":{"user_id":"usr_ck76b3r3c68otqfg5c3g","status":"paused","connection_id":"con_ck76b3r3c68otqfg5c3g","name":"Zoë Ångström","email":"zoe@example.com","scopes":["read:profile","read:email","write:calendar"],"metadata":{"plan":"team","seats":12,"region":"eu-west-1","source":"dashboard","note":"paused from the settings page by the account owner"}}}`

func benchServer(b *testing.B, w *capture.Writer, display Display) *Server {
	cat, err := catalog.New()
	if err != nil {
		b.Fatal(err)
	}
	res, _ := secrets.New(cat, secrets.CommandLine{Values: []string{"notify=bench"}}, secrets.Sources{})
	srv, err := New(Config{Catalog: cat, Secrets: res, Capture: w, IDs: ids.Seeded(1, 2), Display: display})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.ln.Close() })
	return srv
}

func benchSignature() string {
	mac := hmac.New(sha256.New, []byte("bench"))
	mac.Write([]byte(benchBody))
	return hex.EncodeToString(mac.Sum(nil))
}

// BenchmarkServeHTTP is one verified, captured request through the handler
// (no network), with parallel callers so group commit batches them.
func BenchmarkServeHTTP(b *testing.B) {
	w, err := capture.OpenWriter(filepath.Join(b.TempDir(), "c.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	srv := benchServer(b, w, nil)
	sig := benchSignature()
	b.SetParallelism(16)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(benchBody))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Notify-Signature", sig)
			rw := httptest.NewRecorder()
			srv.ServeHTTP(rw, req)
			if rw.Code != 200 {
				b.Fatalf("status %d", rw.Code)
			}
		}
	})
}

// BenchmarkHandle is listen's own work on one verified request, without
// the disk (no capture) or the network: reading the body, judging it, the
// answer, the tally and the display queue. The request and the response
// writer are reused, so the allocations are listen's.
func BenchmarkHandle(b *testing.B) {
	d := &countDisplay{}
	srv := benchServer(b, nil, d)
	go srv.rep.run()
	defer srv.rep.stop(0)
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Header = http.Header{
		"Content-Type":       {"application/json"},
		"User-Agent":         {"wrk"},
		"X-Notify-Signature": {benchSignature()},
	}
	req.ContentLength = int64(len(benchBody))
	body := &rewindReader{s: benchBody}
	req.Body = body
	rw := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		body.i = 0
		clear(rw.h)
		srv.ServeHTTP(rw, req)
		if rw.status != 200 {
			b.Fatalf("status %d", rw.status)
		}
	}
}

type rewindReader struct {
	s string
	i int
}

func (r *rewindReader) Read(p []byte) (int, error) {
	if r.i >= len(r.s) {
		return 0, io.EOF
	}
	n := copy(p, r.s[r.i:])
	r.i += n
	return n, nil
}

func (r *rewindReader) Close() error { return nil }

type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

type countDisplay struct{ n int }

func (d *countDisplay) Request(*Result) { d.n++ }
func (d *countDisplay) NotShown(int64)  {}
func (d *countDisplay) Flush()          {}

// BenchmarkServer is the whole server on loopback, as bench/listen drives
// it but in one process: keep-alive connections post the sample with its
// signature, listen verifies, captures (to /dev/shm when there is one, so
// the disk's sync time is left out) and answers. The client side is a few
// lines that write prepared bytes and skip the answer, and allocates
// nothing, so allocs/op are the server's: net/http's, the framing's,
// listen's and the capture writer's.
func BenchmarkServer(b *testing.B) {
	dir := b.TempDir()
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if dir, err = os.MkdirTemp("/dev/shm", "listen-bench"); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
	}
	w, err := capture.OpenWriter(filepath.Join(dir, "c.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	srv := benchServer(b, w, &countDisplay{})
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as TuneGC sets it
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(48 << 20))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _, _ = srv.Run(ctx) }()
	defer func() { cancel(); <-done }()
	addr := strings.TrimPrefix(strings.TrimSuffix(srv.URL(), "/"), "http://")
	req := []byte("POST / HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/json\r\nUser-Agent: wrk\r\n" +
		"X-Notify-Signature: " + benchSignature() + "\r\nContent-Length: " + strconv.Itoa(len(benchBody)) + "\r\n\r\n" + benchBody)
	b.SetParallelism(32) // 64 connections on 2 cores, as bench/listen's wrk -c64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer c.Close()
		rd := bufio.NewReader(c)
		for pb.Next() {
			if _, err := c.Write(req); err != nil {
				b.Error(err)
				return
			}
			if err := skipAnswer(rd); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// skipAnswer reads one 200 answer with a Content-Length, without
// allocating.
func skipAnswer(rd *bufio.Reader) error {
	length := -1
	for first := true; ; first = false {
		line, err := rd.ReadSlice('\n')
		if err != nil {
			return err
		}
		if first && !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
			return fmt.Errorf("answer %q", line)
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			length, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
		if len(line) <= 2 {
			break
		}
	}
	if length < 0 {
		return errors.New("answer without a Content-Length")
	}
	_, err := rd.Discard(length)
	return err
}
