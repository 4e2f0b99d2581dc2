package signer

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
)

// TestKeyedMACsMatchFreshOnes: a keyed MAC taken back after its Sum
// hashes as a fresh one, for the keys kept and for those past maxKeyed.
func TestKeyedMACsMatchFreshOnes(t *testing.T) {
	k := keyedMACs{pools: map[string]map[string]*sync.Pool{}}
	for round := range 3 {
		for i := range maxKeyed + 3 {
			key := []byte(fmt.Sprintf("key-%d", i))
			msg := []byte(fmt.Sprintf("message %d of round %d", i, round))
			m := k.get(HashSHA256, sha256.New, key)
			m.Write(msg)
			got := m.Sum(nil)
			k.put(HashSHA256, key, m)
			fresh := hmac.New(sha256.New, key)
			fresh.Write(msg)
			if want := fresh.Sum(nil); !bytes.Equal(got, want) {
				t.Fatalf("round %d key %d: keyed MAC %x, fresh %x", round, i, got, want)
			}
		}
	}
	if k.n != maxKeyed {
		t.Errorf("%d keys kept, want at most %d", k.n, maxKeyed)
	}
}
