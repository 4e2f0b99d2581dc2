package listen_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookctl/hookctl/cmd"
	"github.com/hookctl/hookctl/internal/capture"
)

// TestMain lets the test binary run as hookctl itself, so the tests below
// can start the real command in a child process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("HOOKCTL_LISTEN_TEST_MAIN") == "1" {
		os.Exit(cmd.Main("test", "", ""))
	}
	os.Exit(m.Run())
}

// startListen runs 'hookctl listen' in a child process and returns it with
// its URL once the ready file appears.
func startListen(t *testing.T, dir string, args ...string) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	ready := filepath.Join(dir, fmt.Sprintf("ready-%d.txt", time.Now().UnixNano()))
	c := exec.Command(os.Args[0], append([]string{"listen", "--port", "0", "--ready-file", ready}, args...)...)
	c.Env = append(os.Environ(), "HOOKCTL_LISTEN_TEST_MAIN=1", "XDG_STATE_HOME="+filepath.Join(dir, "state"), "HOME="+dir)
	var stderr bytes.Buffer
	c.Stdout, c.Stderr = io.Discard, &stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if b, err := os.ReadFile(ready); err == nil && len(b) > 0 {
			return c, strings.TrimSpace(string(b)), &stderr
		}
		if time.Now().After(deadline) {
			c.Process.Kill()
			c.Wait()
			t.Fatalf("listen did not become ready: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func signedPost(client *http.Client, url, secret, eventID string) (int, error) {
	body := fmt.Sprintf(`{"event_id":%q,"event":"connection.created","data":{"user_id":"usr_1","note":"Zoë"}}`+"\n", eventID)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-notify-signature", hex.EncodeToString(mac.Sum(nil)))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func readCapture(t *testing.T, path string) (ids map[string]int, warnings []string) {
	t.Helper()
	f, r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r.Warn = func(m string) { warnings = append(warnings, m) }
	ids = map[string]int{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return ids, warnings
		}
		if err != nil {
			t.Fatal(err)
		}
		ids[rec.EventID]++
	}
}

// Nothing acknowledged is lost: listen is killed with SIGKILL while 16
// senders post concurrently, and every request that got a 2xx is in the
// capture file. A new listen on the same file then appends cleanly.
func TestSIGKILLUnderLoadLosesNoAcknowledgedRequest(t *testing.T) {
	dir := t.TempDir()
	capPath := filepath.Join(dir, "captures.jsonl")
	child, url, stderr := startListen(t, dir, "--secret", "notify=s3cr3t", "--require-valid", "--capture", capPath, "-q")

	const senders = 16
	var (
		mu     sync.Mutex
		acked  []string
		n      atomic.Int64
		failed atomic.Int64
		wg     sync.WaitGroup
	)
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			for i := 0; ; i++ {
				id := fmt.Sprintf("evt_%02d_%06d", g, i)
				status, err := signedPost(client, url, "s3cr3t", id)
				if err != nil {
					return // the listen is gone
				}
				if status < 200 || status > 299 {
					failed.Add(1)
					continue
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
				n.Add(1)
			}
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for n.Load() < 400 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL: no chance to flush anything
		t.Fatal(err)
	}
	wg.Wait()
	child.Wait()

	if failed.Load() > 0 {
		t.Errorf("%d requests were answered with a non-2xx status before the kill: %s", failed.Load(), stderr.String())
	}
	if len(acked) < 100 {
		t.Fatalf("only %d requests were acknowledged before the kill", len(acked))
	}
	ids, warnings := readCapture(t, capPath)
	lost := 0
	for _, id := range acked {
		if ids[id] == 0 {
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged %s is not in the capture file", id)
			}
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged requests lost", lost, len(acked))
	}
	if len(warnings) > 1 {
		t.Errorf("more than the last line is damaged: %v", warnings)
	}
	t.Logf("%d acknowledged, %d captured, warnings %v", len(acked), len(ids), warnings)

	// A new listen appends after whatever the kill left.
	child2, url2, stderr2 := startListen(t, dir, "--secret", "notify=s3cr3t", "--capture", capPath, "--count", "1", "-q")
	client := &http.Client{Timeout: 10 * time.Second}
	if status, err := signedPost(client, url2, "s3cr3t", "evt_after_restart"); err != nil || status != 200 {
		t.Fatalf("post after restart: %d %v", status, err)
	}
	if err := child2.Wait(); err != nil {
		t.Fatalf("second listen: %v: %s", err, stderr2.String())
	}
	ids2, warnings2 := readCapture(t, capPath)
	if ids2["evt_after_restart"] != 1 {
		t.Errorf("the record written after the restart is not readable (warnings %v)", warnings2)
	}
	for _, id := range acked {
		if ids2[id] == 0 {
			t.Fatalf("acknowledged %s lost after the restart", id)
		}
	}
}
