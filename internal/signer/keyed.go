package signer

import (
	"crypto/hmac"
	"hash"
	"sync"
)

// keyedMACs keeps HMAC states already keyed, by hash and key, for a
// verifier that checks request after request against the same secrets
// (listen): taking one back skips the key schedule, two compressions and
// four allocations a request. At most maxKeyed keys are kept; MACs of
// others are made fresh each time.
type keyedMACs struct {
	mu    sync.RWMutex
	pools map[string]map[string]*sync.Pool // hash name, then key bytes
	n     int
}

const maxKeyed = 64

var keyed = keyedMACs{pools: map[string]map[string]*sync.Pool{}}

// get returns an HMAC of key with the hash name names (newHash's answer);
// put it back after its Sum.
func (k *keyedMACs) get(name string, h func() hash.Hash, key []byte) hash.Hash {
	k.mu.RLock()
	p := k.pools[name][string(key)]
	k.mu.RUnlock()
	if p == nil {
		p = k.add(name, h, key)
	}
	if p == nil {
		return hmac.New(h, key)
	}
	return p.Get().(hash.Hash)
}

func (k *keyedMACs) add(name string, h func() hash.Hash, key []byte) *sync.Pool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if p := k.pools[name][string(key)]; p != nil {
		return p
	}
	if k.n >= maxKeyed {
		return nil
	}
	if k.pools[name] == nil {
		k.pools[name] = map[string]*sync.Pool{}
	}
	own := append([]byte(nil), key...)
	p := &sync.Pool{New: func() any { return hmac.New(h, own) }}
	k.pools[name][string(own)] = p
	k.n++
	return p
}

// put resets m and keeps it for the next get of the same hash and key.
func (k *keyedMACs) put(name string, key []byte, m hash.Hash) {
	k.mu.RLock()
	p := k.pools[name][string(key)]
	k.mu.RUnlock()
	if p != nil {
		m.Reset()
		p.Put(m)
	}
}
