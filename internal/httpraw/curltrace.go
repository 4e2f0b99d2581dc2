package httpraw

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// A curl trace (curl --trace FILE, or --trace-ascii FILE) logs what curl
// sent and received in blocks:
//
//	== Info: Connected to localhost (127.0.0.1) port 5000 (#0)
//	=> Send header, 222 bytes (0xde)
//	0000: 50 4f 53 54 20 2f 68 6f 6f 6b 73 20 48 54 54 50 POST /hooks HTTP
//	=> Send data, 17 bytes (0x11)
//	0000: 7b 22 6d 73 67 22 3a 22 68 c3 a9 6c 6c 6f 22 7d {"msg":"h..llo"}
//	<= Recv header, 17 bytes (0x11)
//
// --trace prints 16 bytes a row in hex, then as text; --trace-ascii prints
// only the text, up to 64 characters a row, starting a new row after each
// CRLF (which it leaves out), with every byte outside printable ASCII shown
// as '.'. --trace-time puts the time before each block's first line.
// The request is the first "Send header" block and the "Send data" blocks
// after it, up to the next "Send header" (a redirect or a retry).

const hexWidth = 16

// traceBlock is one block's title and rows as read.
type traceBlock struct {
	kind string // "Send header", "Send data", ...
	size int
	rows []string
}

// isCurlTrace tells a curl trace from a raw request by its first line.
func isCurlTrace(data []byte) bool {
	line, _, _ := bytes.Cut(bytes.TrimLeft(data, "\r\n"), []byte("\n"))
	_, ok := blockTitle(string(bytes.TrimRight(line, "\r")))
	return ok || bytes.HasPrefix(line, []byte("== Info:")) || bytes.Contains(line, []byte(" == Info:"))
}

// blockTitle reads a line such as "=> Send header, 222 bytes (0xde)",
// possibly after a --trace-time time.
func blockTitle(line string) (traceBlock, bool) {
	if i := strings.Index(line, "=> "); i >= 0 {
		line = line[i+3:]
	} else if i := strings.Index(line, "<= "); i >= 0 {
		line = line[i+3:]
	} else {
		return traceBlock{}, false
	}
	kind, rest, ok := strings.Cut(line, ", ")
	if !ok {
		return traceBlock{}, false
	}
	num, _, ok := strings.Cut(rest, " bytes")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 0 {
		return traceBlock{}, false
	}
	return traceBlock{kind: kind, size: n}, true
}

// fromCurlTrace rebuilds the bytes of the first request in a curl trace.
// lossy reports a --trace-ascii body holding a '.', which may stand for
// any byte outside printable ASCII (a line feed, UTF-8 text).
func fromCurlTrace(data []byte) (raw []byte, lossy bool, err error) {
	var blocks []traceBlock
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if b, ok := blockTitle(line); ok {
			blocks = append(blocks, b)
			continue
		}
		if len(blocks) == 0 || strings.Contains(line, "== Info:") {
			continue
		}
		last := &blocks[len(blocks)-1]
		last.rows = append(last.rows, line)
	}
	if err := sc.Err(); err != nil {
		return nil, false, fmt.Errorf("curl trace: %v", err)
	}
	started := false
	var out []byte
	for _, b := range blocks {
		switch {
		case b.kind == "Send header" && started:
			return out, lossy, nil
		case b.kind == "Send header":
			started = true
		case b.kind == "Send data" && started:
		default:
			continue
		}
		bs, ascii, err := b.bytes()
		if err != nil {
			return nil, false, err
		}
		if ascii && b.kind == "Send data" && bytes.IndexByte(bs, '.') >= 0 {
			lossy = true
		}
		out = append(out, bs...)
	}
	if !started {
		return nil, false, fmt.Errorf("curl trace holds no request (no '=> Send header' block)")
	}
	return out, lossy, nil
}

// bytes decodes a block's rows, in hex when they carry it, else as
// --trace-ascii text, and checks them against the block's size.
func (b traceBlock) bytes() (out []byte, ascii bool, err error) {
	offsets := make([]int, len(b.rows))
	texts := make([]string, len(b.rows))
	hex := len(b.rows) > 0
	for i, row := range b.rows {
		off, text, ok := strings.Cut(row, ":")
		text = strings.TrimPrefix(text, " ") // curl writes "0000: " then the data
		n, perr := strconv.ParseUint(off, 16, 31)
		if !ok || perr != nil || len(off) < 4 {
			return nil, false, fmt.Errorf("curl trace: %s block: row %q is not 'offset: data'", b.kind, clip(row))
		}
		offsets[i], texts[i] = int(n), text
		if hex && !isHexRow(text) {
			hex = false
		}
	}
	if hex {
		for i, text := range texts {
			if offsets[i] != len(out) {
				return nil, false, fmt.Errorf("curl trace: %s block: row at offset %04x follows %d bytes: is a row missing?", b.kind, offsets[i], len(out))
			}
			for j := 0; j+2 <= hexWidth*3 && j+2 <= len(text); j += 3 {
				if text[j] == ' ' {
					break
				}
				v, _ := strconv.ParseUint(text[j:j+2], 16, 8)
				out = append(out, byte(v))
			}
		}
	} else {
		ascii = true
		for i, text := range texts {
			if offsets[i] < len(out) {
				return nil, false, fmt.Errorf("curl trace: %s block: row at offset %04x overlaps the one before", b.kind, offsets[i])
			}
			out = appendGap(out, offsets[i])
			out = append(out, text...)
		}
		out = appendGap(out, b.size)
	}
	if len(out) != b.size {
		return nil, false, fmt.Errorf("curl trace: %s block: %d bytes, but its title says %d: is the file cut off?", b.kind, len(out), b.size)
	}
	return out, ascii, nil
}

// appendGap adds the CRLF --trace-ascii leaves out between rows: the only
// bytes a row's offset can skip.
func appendGap(out []byte, next int) []byte {
	if next-len(out) == 2 {
		return append(out, '\r', '\n')
	}
	return out
}

// isHexRow tells a --trace row ("50 4f 53 ...  POST") from a --trace-ascii
// one: 16 slots of a hex pair and a space (or three spaces, at the end of
// the last row), then the text.
func isHexRow(text string) bool {
	if len(text) < hexWidth*3 {
		return false
	}
	for j := 0; j < hexWidth*3; j += 3 {
		slot := text[j : j+3]
		if slot == "   " {
			continue
		}
		if !isHexDigit(slot[0]) || !isHexDigit(slot[1]) || slot[2] != ' ' {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f'
}
