package capture

import (
	"os"
	"sync/atomic"
)

// WarnSize is the size past which listen warns that the capture file
// should be pruned ('hookctl captures prune').
const WarnSize = 1 << 30

// SizeWatch tells, once, that a capture file has grown past a limit. It
// looks at the file at the first Check and then every 256th, so a busy
// listen pays one stat per 256 requests. Safe for concurrent use.
type SizeWatch struct {
	Path  string
	Limit int64 // 0: WarnSize

	calls  atomic.Int64
	warned atomic.Bool
}

// Check returns the file's size the first time it is found over the
// limit, else 0.
func (w *SizeWatch) Check() int64 {
	if w.warned.Load() || (w.calls.Add(1)-1)%256 != 0 {
		return 0
	}
	limit := w.Limit
	if limit <= 0 {
		limit = WarnSize
	}
	st, err := os.Stat(w.Path)
	if err != nil || st.Size() <= limit || !w.warned.CompareAndSwap(false, true) {
		return 0
	}
	return st.Size()
}
