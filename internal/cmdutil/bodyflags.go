package cmdutil

import (
	"cmp"
	"errors"
	"io"
	"os"

	"github.com/hookctl/hookctl/internal/iostreams"
	"github.com/hookctl/hookctl/internal/override"
	"github.com/hookctl/hookctl/internal/trigger"
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
	rc, err := OpenBody(ios, arg, "hookctl trigger ... "+flag+" - < body.json")
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

// TriggerBody reads trigger's body flags: --data FILE (or - for stdin),
// sent as is, or --template FILE, rendered; neither is the built-in
// template.
func TriggerBody(ios *iostreams.IOStreams, data, template string) (trigger.Body, error) {
	switch {
	case data != "":
		b, err := ReadBody(ios, "--data", data)
		return trigger.Body{Kind: trigger.Data, Text: b}, err
	case template != "":
		b, err := os.ReadFile(template)
		if err != nil { // a *PathError: say only why
			return trigger.Body{}, Usagef("--template %s: %v", template, cmp.Or(errors.Unwrap(err), err))
		}
		return trigger.Body{Kind: trigger.Template, Name: template, Text: b}, nil
	}
	return trigger.Body{Kind: trigger.Builtin}, nil
}
