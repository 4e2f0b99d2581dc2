package listen

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseSize reads a size such as 25MB, 512KB, 1GiB or 1048576 (bytes).
// KB, MB and GB are powers of 1024 here, like KiB, MiB and GiB.
func ParseSize(s string) (int64, error) {
	v := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("invalid size %q: use bytes or a unit, e.g. 25MB, 512KB", s)
	}
	return n * mult, nil
}

// FormatSize writes a byte count briefly: 512 B, 1.5 KB, 25 MB.
func FormatSize(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return trimZero(float64(n)/(1<<10)) + " KB"
	case n < 1<<30:
		return trimZero(float64(n)/(1<<20)) + " MB"
	}
	return trimZero(float64(n)/(1<<30)) + " GB"
}

func trimZero(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// newJSONEncoder writes JSON without HTML escaping.
func newJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
