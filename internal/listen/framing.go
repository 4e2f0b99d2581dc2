package listen

import (
	"bytes"
	"errors"
	"net"
	"strconv"
)

// framedConn follows the HTTP/1.1 message framing of what a client sends,
// to refuse a request that carries both Content-Length and
// Transfer-Encoding (RFC 9112 §6.3). net/http honours Transfer-Encoding and
// drops the Content-Length silently, so a front end that framed the same
// bytes by their Content-Length would see other requests than listen:
// request smuggling. net/http gives no hook for that, so each header block
// is held back until it is complete, and when it has both fields the
// Content-Length value is spoilt before net/http reads it: net/http then
// answers 400 and closes the connection, before any handler runs.
//
// Only header blocks are held (at most maxHeld bytes); bodies pass through
// as they arrive, their length followed to find the next header block.
// Input it cannot follow (a header block over the limit, a chunk size that
// is not hex) is passed on untouched and no longer followed: net/http
// refuses it on its own and closes the connection.
type framedConn struct {
	net.Conn
	entry *connEntry // its state for the connection cap (connLimit)
	mem   []byte     // the buffer buf lives in
	buf   []byte     // bytes read from the connection, from the first not yet returned
	rel   int        // buf[:rel] may be returned
	scan  int        // buf[:scan] has been parsed
	nonl  int        // buf[scan:nonl] holds no newline (so a line sent a byte at a time is searched once)
	st    frameState
	skip  int64 // body or chunk bytes left to pass
	lost  bool  // stopped following

	// the header block being read, offsets into buf
	lines   int // complete lines in it so far
	clValue int // offset of the Content-Length value, -1 when none
	te      bool
	chunked bool
	length  int64
}

type frameState int

const (
	stHead      frameState = iota // in a header block
	stBody                        // skipping a Content-Length body
	stChunkSize                   // reading a chunk-size line
	stChunkData                   // skipping chunk data
	stChunkEnd                    // the CRLF after chunk data
	stTrailer                     // trailer lines after the last chunk
)

// maxHeld bounds a header block held back: net/http refuses larger ones
// (431) anyway.
const maxHeld = MaxHeaderBytes + 4<<10

func newFramedConn(c net.Conn) *framedConn {
	return &framedConn{Conn: c, clValue: -1}
}

func (c *framedConn) Read(p []byte) (int, error) {
	for {
		if c.rel > 0 {
			n := copy(p, c.buf[:c.rel])
			c.buf = c.buf[n:]
			c.rel -= n
			c.scan -= n
			c.nonl = max(0, c.nonl-n)
			if c.clValue >= 0 {
				c.clValue -= n
			}
			return n, nil
		}
		if c.lost && len(c.buf) == 0 {
			return c.Conn.Read(p)
		}
		if len(c.buf) == cap(c.buf) {
			if len(c.buf) == len(c.mem) {
				c.mem = make([]byte, max(4<<10, 2*len(c.mem)))
			}
			c.buf = c.mem[:copy(c.mem, c.buf)]
		}
		n, err := c.Conn.Read(c.buf[len(c.buf):cap(c.buf)])
		c.buf = c.buf[:len(c.buf)+n]
		c.parse()
		if err != nil {
			if !isTimeout(err) {
				// The end of the input: pass on what is held, as it is.
				c.lost, c.rel = true, len(c.buf)
			}
			if c.rel == 0 {
				return 0, err
			}
		}
	}
}

// isTimeout reports a net.Error that is a timeout. net/http ends the read
// it keeps going in the background with a deadline on every request, so
// the error is usually a net.Error itself: asserted without errors.As's
// reflection (0.5 µs a request).
func isTimeout(err error) bool {
	if ne, ok := err.(net.Error); ok {
		return ne.Timeout()
	}
	return wrappedTimeout(err)
}

// wrappedTimeout is isTimeout's slow path, apart: the variable errors.As
// fills escapes, and would cost an allocation on every read.
func wrappedTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// parse follows the framing over the bytes not parsed yet and moves rel up
// to what may be returned: everything but an unfinished header block.
func (c *framedConn) parse() {
	if c.lost {
		c.scan, c.rel = len(c.buf), len(c.buf)
		return
	}
	for c.scan < len(c.buf) {
		switch c.st {
		case stBody, stChunkData:
			n := min(c.skip, int64(len(c.buf)-c.scan))
			c.scan += int(n)
			if c.skip -= n; c.skip == 0 {
				if c.st == stBody {
					c.st = stHead
				} else {
					c.st = stChunkEnd
				}
			}
			c.rel = c.scan
			continue
		}
		from := max(c.scan, c.nonl)
		i := bytes.IndexByte(c.buf[from:], '\n')
		if i >= 0 {
			i += from - c.scan
		} else {
			c.nonl = len(c.buf)
			if c.st == stHead && len(c.buf)-c.rel > maxHeld || c.st != stHead && len(c.buf)-c.scan > 4<<10 {
				// a line too long to be what net/http accepts: its to refuse
				c.lost = true
				c.scan, c.rel = len(c.buf), len(c.buf)
			}
			break
		}
		line := bytes.TrimSuffix(c.buf[c.scan:c.scan+i], []byte{'\r'})
		start := c.scan
		c.scan += i + 1
		switch c.st {
		case stHead:
			c.headerLine(line, start)
		case stChunkSize:
			size, _, _ := bytes.Cut(line, []byte{';'})
			n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
			switch {
			case err != nil || n < 0:
				c.lost = true
			case n == 0:
				c.st = stTrailer
			default:
				c.st, c.skip = stChunkData, n
			}
		case stChunkEnd:
			c.st = stChunkSize
		case stTrailer:
			if len(line) == 0 {
				c.st = stHead
			}
		}
		if c.st == stHead && c.scan-c.rel > maxHeld {
			c.lost = true
		}
		if c.lost {
			c.scan = len(c.buf)
		}
		if c.st != stHead || c.lost || c.lines == 0 {
			c.rel = c.scan // no header block in progress: nothing to hold
		}
	}
}

// headerLine takes one line of a header block; start is its offset.
func (c *framedConn) headerLine(line []byte, start int) {
	if len(line) == 0 {
		if c.lines == 0 {
			c.rel = c.scan // an empty line before a request: net/http's to judge
			return
		}
		c.endOfHeaders()
		return
	}
	c.lines++
	if c.lines == 1 {
		return // the request line
	}
	name, value, ok := bytes.Cut(line, []byte{':'})
	if !ok {
		return
	}
	switch {
	case bytes.EqualFold(name, []byte("Content-Length")):
		if c.clValue < 0 {
			c.clValue = start + len(name) + 1
			for c.clValue < start+len(line) && (c.buf[c.clValue] == ' ' || c.buf[c.clValue] == '\t') {
				c.clValue++
			}
		}
		if n, err := strconv.ParseInt(string(bytes.TrimSpace(value)), 10, 64); err == nil {
			c.length = n
		}
	case bytes.EqualFold(name, []byte("Transfer-Encoding")):
		c.te = true
		v := bytes.TrimSpace(value)
		c.chunked = bytes.EqualFold(v, []byte("chunked"))
	}
}

// endOfHeaders decides what follows a complete header block, and spoils a
// Content-Length sent beside a Transfer-Encoding.
func (c *framedConn) endOfHeaders() {
	switch {
	case c.te && c.clValue >= 0:
		if c.clValue < c.scan {
			c.buf[c.clValue] = 'x' // net/http: 400 Bad Request, connection closed
		}
		c.lost = true
	case c.te && !c.chunked:
		c.lost = true // net/http answers 501 and closes
	case c.chunked:
		c.st = stChunkSize
	case c.length > 0:
		c.st, c.skip = stBody, c.length
	}
	c.rel = c.scan
	c.lines, c.clValue, c.te, c.chunked, c.length = 0, -1, false, false, 0
}
