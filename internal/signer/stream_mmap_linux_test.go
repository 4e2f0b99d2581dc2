package signer

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// A large file is hashed from its mappings: from wherever its offset is
// (here after the first small read, off any page boundary), with every MAC
// equal to one of the whole rest, whether the lanes fault the pages in
// (two MACs) or the producer populates them (one), and the offset left at
// the end.
func TestHashFileFromMappings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "body")
	data := make([]byte, 5*mapWindow+12345)
	for i := range data {
		data[i] = byte(i*7 + i>>9)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const skip = 8<<10 + 3
	if _, err := f.Seek(skip, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	hs := []hash.Hash{hmac.New(sha256.New, []byte("k")), hmac.New(sha1.New, []byte("k"))}
	ok, err := hashFile(hs, f)
	if !ok || err != nil {
		t.Fatalf("hashFile: %v %v", ok, err)
	}
	for i, h := range []func() hash.Hash{sha256.New, sha1.New} {
		want := hmac.New(h, []byte("k"))
		want.Write(data[skip:])
		if !hmac.Equal(hs[i].Sum(nil), want.Sum(nil)) {
			t.Errorf("MAC %d differs", i)
		}
	}
	if off, _ := f.Seek(0, io.SeekCurrent); off != int64(len(data)) {
		t.Errorf("offset %d, want the end", off)
	}
	// One MAC alone: the producer populates each window ahead of it.
	if _, err := f.Seek(skip, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	one := hmac.New(sha256.New, []byte("k"))
	if ok, err := hashFile([]hash.Hash{one}, f); !ok || err != nil {
		t.Fatalf("hashFile, one MAC: %v %v", ok, err)
	}
	if !hmac.Equal(one.Sum(nil), hs[0].Sum(nil)) {
		t.Error("one MAC alone differs from the same MAC beside another")
	}
	// The pooled pipeline the file went through reads a stream next, with
	// nothing of the file left in it.
	got := hmac.New(sha256.New, []byte("k"))
	if err := hashStream([]hash.Hash{got}, bytes.NewReader(data[:3*chunkSize+5])); err != nil {
		t.Fatal(err)
	}
	want := hmac.New(sha256.New, []byte("k"))
	want.Write(data[:3*chunkSize+5])
	if !hmac.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Error("the stream after the file hashed to another MAC")
	}
	// Small files and other readers are left to the caller.
	if ok, _ := hashFile(hs, io.LimitReader(f, 1)); ok {
		t.Error("hashFile took a reader that is not a file")
	}
}

// A file truncated under its mapping makes the hash fault; that is an
// error, not a crash.
func TestHashMappedFileThatShrinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(path, make([]byte, 4*os.Getpagesize()), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := syscall.Mmap(int(f.Fd()), 0, 4*os.Getpagesize(), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(data)
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if err := hashMapped([]hash.Hash{sha256.New(), sha1.New()}, data); !errors.Is(err, errShrunk) {
		t.Fatalf("hashing a truncated mapping: %v", err)
	}
}

// populate brings a window's pages into the page tables (its Rss in
// /proc/self/smaps); a mapping that reaches past the file's end is not all
// resident, and populating it is no error and changes nothing for the next
// windows.
func TestPopulate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), mapWindow), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mapped := func(n int) []byte {
		t.Helper()
		b, err := syscall.Mmap(int(f.Fd()), 0, n, syscall.PROT_READ, syscall.MAP_SHARED)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = syscall.Munmap(b) })
		return b
	}
	var m fileMap
	data := mapped(mapWindow)
	if !m.resident(data) {
		t.Fatal("a file just written is not all in the page cache")
	}
	if kb := rssKB(t, data); kb != 0 {
		t.Fatalf("%d KB in the page tables before populate", kb)
	}
	m.populate(data)
	if kb := rssKB(t, data); kb != mapWindow>>10 {
		t.Errorf("%d KB in the page tables after populate, want %d", kb, mapWindow>>10)
	}
	tail := mapped(mapWindow + 4*os.Getpagesize())
	if m.resident(tail) {
		t.Error("pages past the end of the file count as resident")
	}
	m.populate(tail)
	if m.mapFlags != 0 {
		t.Errorf("populate fell back to MAP_POPULATE (%#x)", m.mapFlags)
	}
}

// rssKB is how much of the mapping b is in this process's page tables.
func rssKB(t *testing.T, b []byte) int {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	start := fmt.Sprintf("%x-", uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	lines := strings.Split(string(smaps), "\n")
	for i, line := range lines {
		if !strings.HasPrefix(line, start) {
			continue
		}
		for _, l := range lines[i+1:] {
			var kb int
			if _, err := fmt.Sscanf(l, "Rss: %d kB", &kb); err == nil {
				return kb
			}
		}
	}
	t.Fatalf("no mapping at %s in /proc/self/smaps", start)
	return 0
}
