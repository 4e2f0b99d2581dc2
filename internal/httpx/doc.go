// Package httpx holds the small HTTP helpers listen, replay and trigger
// share: which headers are end to end, where a request goes when it is sent
// on to another URL, what a transport error means, the signature verdict in
// words, and sizes in one unit (binary: B, KiB, MiB, GiB).
package httpx
