package cmdutil

import (
	"io"

	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/override"
)

// ParseEdits reads --set path=value and --unset path, in that order.
func ParseEdits(sets, unsets []string) ([]override.Op, error) {
	var ops []override.Op
	for i, a := range append(append([]string(nil), sets...), unsets...) {
		flag, parse := "--set", override.ParseSet
		if i >= len(sets) {
			flag, parse = "--unset", override.ParseUnset
		}
		op, err := parse(a)
		if err != nil {
			return nil, Usagef("%s %s", flag, err)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// ReadBody reads the whole body that flag names (OpenBody: a FILE, or
// stdin for "-").
func ReadBody(ios *iostreams.IOStreams, flag, arg string) ([]byte, error) {
	rc, err := OpenBody(ios, arg)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, Usagef("%s %s: %v", flag, arg, err)
	}
	return b, nil
}
