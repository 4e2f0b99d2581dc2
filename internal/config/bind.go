package config

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// Globals are the settings at the top level of the file (and HOOKCTL_<KEY>
// in the environment). Every other top-level key is a command's section.
var Globals = []string{"to", "secrets", "secret", "providers", "color", "json", "quiet"}

// flagGlobals are the global settings that are also a flag of some
// commands (trigger and replay's --to): such a flag falls back to the
// global. The other globals are read where they are used (secrets by
// internal/secrets, not as --secret).
var flagGlobals = []string{"to"}

// globalFlags are the root's own flags: read at the top level, not in a
// command's section.
var globalFlags = map[string]bool{"config": true, "json": true, "quiet": true, "color": true, "help": true, "version": true}

// OriginKind says which layer a setting came from.
type OriginKind int

const (
	FromDefault OriginKind = iota
	FromFlag
	FromEnv
	FromFile
)

var originKinds = [...]string{"default", "flag", "environment", "file"}

func (k OriginKind) String() string { return originKinds[k] }

// Origin is where a setting's value came from.
type Origin struct {
	Kind OriginKind
	Name string // the flag (--port) or the variable (HOOKCTL_LISTEN_PORT)
	File string // the config file
	Line int    // the line of the key in File
}

// String is the origin as 'hookctl config' shows it: "flag --port",
// "environment HOOKCTL_LISTEN_PORT", "hookctl.yaml:3", "default".
func (o Origin) String() string {
	switch o.Kind {
	case FromFlag, FromEnv:
		return o.Kind.String() + " " + o.Name
	case FromFile:
		return fmt.Sprintf("%s:%d", o.File, o.Line)
	}
	return "default"
}

// Setting is one flag's effective value and where it came from.
type Setting struct {
	Key    string // "listen.port"; a global's own name ("json")
	Flag   *pflag.Flag
	Origin Origin
}

// Secret reports whether the value must be masked when shown.
func (s Setting) Secret() bool { return s.Flag.Name == "secret" }

// SettingError is a value that does not fit its flag. Exit 2.
type SettingError struct {
	Origin Origin
	Key    string
	Value  string
	Holds  string // what the file holds instead of a value: "a map"
	Type   string // what was expected: "a whole number"
}

func (e *SettingError) Error() string {
	if e.Origin.Kind == FromEnv {
		return fmt.Sprintf("%s=%q: the value must be %s", e.Origin.Name, e.Value, e.Type)
	}
	if e.Holds != "" {
		return fmt.Sprintf("config file %s, line %d: %s is %s, not %s", e.Origin.File, e.Origin.Line, e.Key, e.Holds, e.Type)
	}
	return fmt.Sprintf("config file %s, line %d: %s: %q is not %s", e.Origin.File, e.Origin.Line, e.Key, e.Value, e.Type)
}

// EnvName is the variable of a command's flag: HOOKCTL_LISTEN_PORT; of a
// global with command "": HOOKCTL_JSON.
func EnvName(command, flag string) string {
	name := flag
	if command != "" {
		name = command + "_" + flag
	}
	return "HOOKCTL_" + strings.ToUpper(envSeparators.Replace(name))
}

// envSeparators are what a variable's name writes as "_"; built once (a
// Replacer prepares its table on first use).
var envSeparators = strings.NewReplacer("-", "_", ".", "_", " ", "_")

// BindFlags gives each flag of a command that the command line did not
// set its value from, first to last: HOOKCTL_<COMMAND>_<FLAG>; for a flag
// named after a global setting (flagGlobals: --to), HOOKCTL_<FLAG>; the
// file's <command>.<flag>; then the file's top-level <flag> for such a flag.
// The flag keeps its default otherwise. command is the command's path
// below the root, dotted ("listen"); "" binds the root's global flags,
// read at the top level. Every flag is recorded with its origin
// (Settings). A value that does not fit the flag is a *SettingError.
func (c *Config) BindFlags(command string, fs *pflag.FlagSet) error {
	var first error
	fs.VisitAll(func(fl *pflag.Flag) {
		if first != nil || (command != "" && globalFlags[fl.Name]) || (command == "" && (fl.Name == "config" || fl.Name == "help" || fl.Name == "version")) {
			return
		}
		s := Setting{Key: joinKey(command, fl.Name), Flag: fl}
		if fl.Changed {
			s.Origin = Origin{Kind: FromFlag, Name: "--" + fl.Name}
		} else if v, ok := c.find(command, fl.Name); ok {
			s.Origin = v.origin
			first = v.apply(fl, s.Key)
		}
		c.record(s)
	})
	return first
}

func joinKey(command, name string) string {
	if command == "" {
		return name
	}
	return command + "." + name
}

// found is a setting's value in the environment or the file.
type found struct {
	origin Origin
	vals   []string
	list   bool   // a YAML list
	bad    string // what the file holds instead of a value: "a map"
}

// find looks a flag's value up in the environment, then in the file.
func (c *Config) find(command, name string) (found, bool) {
	global := command == "" || contains(flagGlobals, name)
	envs := []string{EnvName(command, name)}
	paths := [][]string{append(splitKey(command), name)}
	if command != "" && global {
		envs = append(envs, EnvName("", name))
		paths = append(paths, []string{name})
	}
	for _, e := range envs {
		if v := c.getenv(e); v != "" {
			return found{origin: Origin{Kind: FromEnv, Name: e}, vals: []string{v}}, true
		}
	}
	for _, p := range paths {
		if key, val := c.node(p...); val != nil && val.Tag != "!!null" {
			f := found{origin: Origin{Kind: FromFile, File: c.File, Line: key.Line}, list: val.Kind == yaml.SequenceNode}
			var ok bool
			if f.vals, ok = scalars(val); !ok {
				f.bad = kindName(val)
			}
			return f, true
		}
	}
	return found{}, false
}

func isGlobal(name string) bool {
	for _, g := range Globals {
		if g == name {
			return true
		}
	}
	return false
}

func splitKey(command string) []string {
	if command == "" {
		return nil
	}
	return strings.Split(command, ".")
}

// apply sets a flag from the value found, without marking the flag as
// given on the command line (flag groups are the command line's).
func (v found) apply(fl *pflag.Flag, key string) error {
	bad := func(what string) error {
		return &SettingError{Origin: v.origin, Key: key, Value: what, Type: expected(fl)}
	}
	sv, isSlice := fl.Value.(pflag.SliceValue)
	switch {
	case v.bad != "":
		return &SettingError{Origin: v.origin, Key: key, Holds: v.bad, Type: expected(fl)}
	case v.list && !isSlice:
		return &SettingError{Origin: v.origin, Key: key, Holds: "a list", Type: expected(fl)}
	case v.list:
		if err := sv.Replace(v.vals); err != nil {
			return bad("[" + strings.Join(v.vals, ", ") + "]")
		}
	default:
		if err := fl.Value.Set(v.vals[0]); err != nil {
			return bad(v.vals[0])
		}
	}
	return nil
}

// expected words what a flag's value must be.
func expected(fl *pflag.Flag) string {
	t := fl.Value.Type()
	switch {
	case t == "bool":
		return "true or false"
	case t == "duration":
		return "a duration like 30s or 5m"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		if strings.HasSuffix(t, "Slice") {
			return "whole numbers"
		}
		return "a whole number"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case strings.HasSuffix(t, "Array") || strings.HasSuffix(t, "Slice"):
		return "a value or a list of values"
	}
	return "a " + t
}

// record keeps a setting, replacing an earlier one of the same key.
func (c *Config) record(s Setting) {
	if c.settings == nil {
		c.settings = map[string]int{}
	}
	if i, ok := c.settings[s.Key]; ok {
		c.list[i] = s
		return
	}
	c.settings[s.Key] = len(c.list)
	c.list = append(c.list, s)
}

// Settings are the bound flags, in the order they were bound.
func (c *Config) Settings() []Setting { return append([]Setting(nil), c.list...) }

// Setting returns one bound flag's setting.
func (c *Config) Setting(key string) (Setting, bool) {
	i, ok := c.settings[key]
	if !ok {
		return Setting{}, false
	}
	return c.list[i], true
}

// node returns the key and value nodes at a path of the file's mappings
// (keys match case-insensitively, as viper's do); nil when absent.
func (c *Config) node(path ...string) (*yaml.Node, *yaml.Node) {
	n := c.root
	var key *yaml.Node
	for _, p := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil, nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if strings.EqualFold(n.Content[i].Value, p) {
				key, next = n.Content[i], n.Content[i+1]
			}
		}
		n = next
	}
	if n == nil {
		return nil, nil
	}
	return key, n
}

// Line is the line of a key in the file (0 when absent).
func (c *Config) Line(path ...string) int {
	if key, _ := c.node(path...); key != nil {
		return key.Line
	}
	return 0
}

// scalars returns a scalar's value, or a list of scalars' values.
func scalars(n *yaml.Node) ([]string, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		return []string{n.Value}, true
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode {
				return nil, false
			}
			out = append(out, e.Value)
		}
		return out, true
	case yaml.AliasNode:
		return scalars(n.Alias)
	}
	return nil, false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list of lists or maps"
	}
	return "not a value"
}

// parseNodes reads the file's YAML once more, for lines and key checks.
func parseNodes(file string) (*yaml.Node, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0], nil
	}
	return nil, nil
}

// Value is a flag's value as JSON shows it: a bool, a number, a list or a
// string.
func Value(fl *pflag.Flag) any {
	if sv, ok := fl.Value.(pflag.SliceValue); ok {
		return sv.GetSlice()
	}
	s := fl.Value.String()
	switch t := fl.Value.Type(); {
	case t == "bool":
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint") || strings.HasPrefix(t, "float"):
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return s
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
