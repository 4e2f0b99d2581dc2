package config

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/hookctl/hookctl/internal/catalog"
)

// Known is what settings may name, for Check.
type Known struct {
	// Commands are every command's name (dotted below the root): the
	// file's top-level keys besides Globals, and HOOKCTL_<COMMAND>_*.
	Commands []string
	// Sections are the commands whose settings are checked, with their
	// flags: the command running (or all of them, for 'hookctl config').
	// Another command's settings are checked when it runs.
	Sections map[string]*pflag.FlagSet
	// Providers are the catalogue's names: secrets.<p>, HOOKCTL_<P>_SECRET.
	Providers []string
	// Environ is the environment, as KEY=VALUE.
	Environ []string
}

// fixedVars are the HOOKCTL_* variables that are no flag of a command.
var fixedVars = []string{"HOOKCTL_CONFIG", "HOOKCTL_SECRET", "HOOKCTL_TO", "HOOKCTL_COLOR", "HOOKCTL_JSON", "HOOKCTL_QUIET"}

// Check returns one warning line for each setting nothing reads: an
// unknown key in the file, an unknown HOOKCTL_* variable; with a
// did-you-mean when a known name is close.
func (c *Config) Check(k Known) []string {
	var out []string
	if c.root != nil && c.root.Kind == yaml.MappingNode {
		out = c.checkFile(k)
	}
	return append(out, checkEnv(k)...)
}

func (c *Config) checkFile(k Known) []string {
	var out []string
	warn := func(key *yaml.Node, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s:%d: ", c.File, key.Line)+fmt.Sprintf(format, args...))
	}
	top := append(append([]string(nil), Globals...), k.Commands...)
	eachKey(c.root, func(key, val *yaml.Node) {
		name := key.Value
		switch {
		case contains(top, name):
		case globalFlags[name] && name != "help" && name != "version":
			warn(key, "%s is no setting of the file (it names the file: use --config or HOOKCTL_CONFIG)", name)
		default:
			warn(key, "unknown setting %s%s", name, didYouMean(name, top))
		}
	})
	for _, cmd := range sortedKeys(k.Sections) {
		key, sec := c.node(splitKey(cmd)...)
		if sec == nil || sec.Tag == "!!null" {
			continue
		}
		if sec.Kind != yaml.MappingNode {
			warn(key, "%s is not a map of its flags' names to values (e.g. %s: {flag: value}); it is not read", cmd, cmd)
			continue
		}
		var flags []string
		k.Sections[cmd].VisitAll(func(fl *pflag.Flag) {
			if !globalFlags[fl.Name] {
				flags = append(flags, fl.Name)
			}
		})
		eachKey(sec, func(key, _ *yaml.Node) {
			name := key.Value
			switch {
			case contains(flags, name):
			case isGlobal(name) || globalFlags[name]:
				warn(key, "%s.%s: %s is a global setting: write it at the top level", cmd, name, name)
			default:
				warn(key, "unknown setting %s.%s: %s has no flag --%s%s", cmd, name, cmd, name, didYouMean(name, flags))
			}
		})
	}
	if _, sec := c.node("secrets"); sec != nil && sec.Kind == yaml.MappingNode {
		eachKey(sec, func(key, _ *yaml.Node) {
			if !contains(k.Providers, strings.ToLower(key.Value)) {
				warn(key, "secrets.%s: %s is not a provider%s", key.Value, key.Value, didYouMean(key.Value, k.Providers))
			}
		})
	}
	if _, sec := c.node("providers"); sec != nil && sec.Kind == yaml.MappingNode {
		fields := specFields()
		for key := range builtinKeys {
			if !contains(fields, key) {
				fields = append(fields, key)
			}
		}
		eachKey(sec, func(pkey, spec *yaml.Node) {
			eachKey(spec, func(key, _ *yaml.Node) {
				if !contains(fields, key.Value) {
					warn(key, "unknown setting providers.%s.%s%s", pkey.Value, key.Value, didYouMean(key.Value, fields))
				}
			})
		})
	}
	return out
}

func checkEnv(k Known) []string {
	// The HOOKCTL_* variables set, first: most starts have none beyond the
	// fixed ones, and then the list of every known name is not built.
	var set []string
	for _, kv := range k.Environ {
		name, value, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "HOOKCTL_") && value != "" && !contains(fixedVars, name) {
			set = append(set, name)
		}
	}
	if len(set) == 0 {
		return nil
	}
	known := append([]string(nil), fixedVars...)
	for _, p := range k.Providers {
		known = append(known, EnvName(p, "secret")) // HOOKCTL_<PROVIDER>_SECRET, as internal/secrets names it
		for key := range builtinKeys {              // HOOKCTL_PROVIDERS_STRIPE_API_VERSION
			known = append(known, EnvName("providers."+p, key))
		}
	}
	for _, cmd := range sortedKeys(k.Sections) {
		k.Sections[cmd].VisitAll(func(fl *pflag.Flag) {
			if !globalFlags[fl.Name] {
				known = append(known, EnvName(cmd, fl.Name))
			}
		})
	}
	var out []string
	for _, name := range set {
		if contains(known, name) || otherCommand(name, k) {
			continue
		}
		out = append(out, fmt.Sprintf("unknown variable %s%s", name, didYouMean(name, known)))
	}
	return out
}

// otherCommand reports whether a variable is for a command whose settings
// are not checked now (HOOKCTL_LISTEN_PORT while trigger runs).
func otherCommand(name string, k Known) bool {
	for _, cmd := range k.Commands {
		if _, checked := k.Sections[cmd]; !checked && strings.HasPrefix(name, EnvName("", cmd)+"_") {
			return true
		}
	}
	return false
}

func didYouMean(name string, candidates []string) string {
	if near := catalog.Suggest(name, candidates); len(near) > 0 {
		return "; did you mean " + near[0] + "?"
	}
	return ""
}

func eachKey(m *yaml.Node, fn func(key, val *yaml.Node)) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		fn(m.Content[i], m.Content[i+1])
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// specFields are the keys a custom provider may have (ProviderSpec's).
func specFields() []string {
	t := reflect.TypeOf(ProviderSpec{})
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		out = append(out, t.Field(i).Tag.Get("mapstructure"))
	}
	return out
}
