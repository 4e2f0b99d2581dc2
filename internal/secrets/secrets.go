// Package secrets is hookctl's one secrets resolver. Every command that
// signs or verifies asks a Resolver for a provider's secrets; the
// precedence (see Source) is decided here and nowhere else.
//
// Use, from a command (cmdutil.Factory.Secrets builds the Sources):
//
//	r, err := secrets.New(cat, secrets.CommandLine{Values: opts.SecretArgs, Files: opts.SecretFile, Provider: p}, src)
//	list, source, err := r.For("stripe") // []Secret, the step they came from
//	keys, err := r.Values("stripe")      // the same, values only (cached: listen's hot path)
//	given := r.Given("notion")           // the command line's alone (trigger --handshake)
//	r.UseNotionToken(tok)                // a handshake listen received comes first for notion
//
// Errors name the problem, never a flag: the command layer says which flag
// (an ArgError says whether the secret was given as a value or a file;
// cmdutil.SecretError words them).
package secrets

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/hookctl/hookctl/internal/catalog"
)

// Source is a step of the precedence, first to last. The first step that
// has any secret for a provider decides; the steps do not mix.
type Source int

const (
	SourceNone        Source = iota
	SourceNamed              // the command line, naming the provider: P=S, P=FILE
	SourceBare               // the command line, bare: S, FILE
	SourceProviderEnv        // HOOKCTL_<PROVIDER>_SECRET
	SourceEnv                // HOOKCTL_SECRET
	SourceConfig             // the config file
	SourceHandshake          // the Notion verification token (state folder)
	SourceDevKey             // hookctl's development key pair (state folder), for Ed25519 providers
	// Issue 9's per-user development secret goes here, as the last step:
	// a Sources field that makes it, and a step in Resolver.lookup.
)

var sourceNames = [...]string{"none", "command line, for the provider", "command line", "HOOKCTL_<PROVIDER>_SECRET", "HOOKCTL_SECRET", "config file", "notion handshake token", "development key pair"}

func (s Source) String() string {
	if s < 0 || int(s) >= len(sourceNames) {
		return fmt.Sprintf("Source(%d)", int(s))
	}
	return sourceNames[s]
}

// Secret is one secret and where it came from.
type Secret struct {
	Value  string
	Source Source
	// Where names the origin beyond its Source: a file's path, an
	// environment variable's name; "" for a value on the command line.
	Where string
}

// Values are the secrets' values, in order.
func Values(list []Secret) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Value
	}
	return out
}

// CommandLine is what the user gave on the command line.
type CommandLine struct {
	Values []string // S, or P=S
	Files  []string // FILE, or P=FILE
	// Provider, when set (--provider), takes the bare secrets alone;
	// otherwise they are for every provider not named in a P= form.
	Provider *catalog.Provider
}

// Empty reports whether no secret was given.
func (c CommandLine) Empty() bool { return len(c.Values) == 0 && len(c.Files) == 0 }

// Sources are the places after the command line; a nil field is a place
// with nothing in it.
type Sources struct {
	// Getenv reads HOOKCTL_<PROVIDER>_SECRET and HOOKCTL_SECRET.
	Getenv func(string) string
	// Config returns the config file's secrets for a provider, and the
	// file's name.
	Config func(provider string) (secrets []string, file string)
	// NotionToken returns the token of the last Notion handshake ("" when
	// there is none) and where it is kept.
	NotionToken func() (token, where string, err error)
	// DevKey returns hookctl's development private key for a provider
	// that signs with Ed25519 (Discord), making it on first use, and where
	// it is kept. It is the last step, for such providers only.
	DevKey func(p *catalog.Provider) (key, where string, err error)
}

// Resolver answers which secrets a provider has. It is safe for
// concurrent use; each provider is looked up once.
type Resolver struct {
	cat   *catalog.Catalog
	src   Sources
	only  string              // CommandLine.Provider's name
	named map[string][]Secret // P=S and P=FILE, by provider name
	bare  []Secret

	mu    sync.RWMutex
	cache map[string]entry
}

type entry struct {
	list   []Secret
	values []string
	source Source
}

// New reads the command line (the files too, now, so a bad one fails
// before anything is sent) and returns the resolver over it and src. cat
// names the providers P= forms may name; nil is the built-in ones.
func New(cat *catalog.Catalog, cl CommandLine, src Sources) (*Resolver, error) {
	if cat == nil {
		var err error
		if cat, err = catalog.New(); err != nil {
			return nil, err
		}
	}
	r := &Resolver{cat: cat, src: src, named: map[string][]Secret{}, cache: map[string]entry{}}
	if cl.Provider != nil {
		r.only = cl.Provider.Name
	}
	for _, arg := range cl.Values {
		if err := r.addValue(arg, cl.Provider); err != nil {
			return nil, err
		}
	}
	for _, arg := range cl.Files {
		if err := r.addFile(arg, cl.Provider); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *Resolver) addValue(arg string, only *catalog.Provider) error {
	if arg == "" {
		return &ArgError{Problem: " is empty"}
	}
	p, value, err := r.split(arg, false)
	if err != nil {
		return err
	}
	if p != nil && value == "" {
		return &ArgError{Arg: p.Name + "=", Problem: " has no secret after the '='"}
	}
	return r.add(p, only, Secret{Value: value}, arg)
}

func (r *Resolver) addFile(arg string, only *catalog.Provider) error {
	if arg == "" {
		return &ArgError{File: true, Problem: " is empty: name a file"}
	}
	p, path, err := r.split(arg, true)
	if err != nil {
		return err
	}
	if path == "" {
		return &ArgError{File: true, Arg: p.Name + "=", Problem: " has no file after the '='"}
	}
	value, err := ReadFile(path)
	if err != nil {
		return err
	}
	return r.add(p, only, Secret{Value: value, Where: path}, path)
}

// add files a secret under its provider (p, from a P= form) or as bare,
// after checking it can be a key of the provider it is for.
func (r *Resolver) add(p, only *catalog.Provider, s Secret, arg string) error {
	if p == nil {
		p = only
		s.Source = SourceBare
		r.bare = append(r.bare, s)
	} else {
		s.Source = SourceNamed
		r.named[p.Name] = append(r.named[p.Name], s)
	}
	if p != nil {
		if _, err := p.Scheme.Key(s.Value); err != nil {
			return &KeyError{Provider: p.Name, Where: s.Where, Err: err}
		}
	}
	return nil
}

// split reads "P=REST": p is nil when the part before the first '=' is no
// provider (the whole arg is then the secret, or the path). A part that
// is not a provider but close to one is an error: a typo would otherwise
// turn "strpe=whsec_..." into a bare secret for every provider.
func (r *Resolver) split(arg string, file bool) (*catalog.Provider, string, error) {
	name, rest, ok := strings.Cut(arg, "=")
	if !ok || !providerLike(name) {
		return nil, arg, nil
	}
	if p, err := r.cat.Lookup(name); err == nil {
		return p, rest, nil
	}
	if near := r.cat.Near(name, MaxTypo); len(near) > 0 {
		if file && exists(arg) {
			return nil, arg, nil // a file really named so
		}
		return nil, "", &TypoError{Name: name, Near: near, File: file}
	}
	return nil, arg, nil
}

// MaxTypo is how many edits away from a provider's name the part before
// '=' may be and still be taken for a typo of it.
const MaxTypo = 2

// providerLike reports whether a name could be a provider's: one word of
// letters, digits, '-', '_' and '.', and not a whsec_ secret's start (its
// base64 may end in '=').
func providerLike(name string) bool {
	if name == "" || strings.HasPrefix(strings.ToLower(name), "whsec_") {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// For returns a provider's secrets and the step they come from
// (SourceNone and no secrets when there are none anywhere). The result is
// shared: do not modify it.
func (r *Resolver) For(provider string) ([]Secret, Source, error) {
	e, err := r.entry(provider)
	return e.list, e.source, err
}

// Values is For without the origins: the secrets' values.
func (r *Resolver) Values(provider string) ([]string, error) {
	e, err := r.entry(provider)
	return e.values, err
}

// Given returns the secrets the command line gave for a provider: its P=
// forms, else the bare ones when they are for it.
func (r *Resolver) Given(provider string) []Secret {
	if list, ok := r.named[provider]; ok {
		return list
	}
	if r.only == "" || r.only == provider {
		return r.bare
	}
	return nil
}

// Named lists the providers the command line's P= forms name, sorted.
func (r *Resolver) Named() []string {
	names := make([]string, 0, len(r.named))
	for n := range r.named {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (r *Resolver) entry(provider string) (entry, error) {
	r.mu.RLock()
	e, ok := r.cache[provider]
	r.mu.RUnlock()
	if ok {
		return e, nil
	}
	list, source, err := r.lookup(provider)
	if err != nil {
		return entry{}, err
	}
	e = entry{list: list, values: Values(list), source: source}
	r.mu.Lock()
	if prev, ok := r.cache[provider]; ok {
		e = prev // another caller, or a handshake, was first
	} else {
		r.cache[provider] = e
	}
	r.mu.Unlock()
	return e, nil
}

// lookup walks the precedence for one provider.
func (r *Resolver) lookup(provider string) ([]Secret, Source, error) {
	if list := r.Given(provider); len(list) > 0 {
		return list, list[0].Source, nil
	}
	if get := r.src.Getenv; get != nil {
		for _, step := range []struct {
			name   string
			source Source
		}{{EnvName(provider), SourceProviderEnv}, {"HOOKCTL_SECRET", SourceEnv}} {
			if v := get(step.name); v != "" {
				return []Secret{{Value: v, Source: step.source, Where: step.name}}, step.source, nil
			}
		}
	}
	if r.src.Config != nil {
		if vals, file := r.src.Config(provider); len(vals) > 0 {
			list := make([]Secret, len(vals))
			for i, v := range vals {
				list[i] = Secret{Value: v, Source: SourceConfig, Where: file}
			}
			return list, SourceConfig, nil
		}
	}
	if provider == "notion" && r.src.NotionToken != nil {
		tok, where, err := r.src.NotionToken()
		if err != nil {
			return nil, SourceNone, &StateError{Where: where, Err: err}
		}
		if tok != "" {
			return []Secret{{Value: tok, Source: SourceHandshake, Where: where}}, SourceHandshake, nil
		}
	}
	// Issue 9's per-user development secret is the last step: here.
	if r.src.DevKey != nil {
		if p, err := r.cat.Lookup(provider); err == nil && p.Scheme.Asymmetric() {
			key, where, err := r.src.DevKey(p)
			if err != nil {
				return nil, SourceNone, &StateError{Where: where, Err: err}
			}
			return []Secret{{Value: key, Source: SourceDevKey, Where: where}}, SourceDevKey, nil
		}
	}
	return nil, SourceNone, nil
}

// PublicKey is the public key an app is configured with to verify the
// provider's Ed25519 signatures (hookctl secret --provider discord prints
// it): that of the provider's first secret, which is the development key
// pair when none is configured. The secret may already be a public key.
func (r *Resolver) PublicKey(p *catalog.Provider) (pub string, from Secret, err error) {
	list, _, err := r.For(p.Name)
	if err != nil {
		return "", Secret{}, err
	}
	if len(list) == 0 {
		return "", Secret{}, fmt.Errorf("no key for %s", p.Name)
	}
	if pub, err = p.Scheme.PublicKey(list[0].Value); err != nil {
		if k, kerr := p.Scheme.Key(list[0].Value); kerr == nil && p.Scheme.Asymmetric() {
			return hex.EncodeToString(k), list[0], nil // a public key as configured
		}
		return "", list[0], err
	}
	return pub, list[0], nil
}

// UseNotionToken makes a handshake's token the first notion secret from
// now on (listen receives one); the secrets notion had stay accepted.
func (r *Resolver) UseNotionToken(token string) {
	prev, _, _ := r.For("notion")
	list := []Secret{{Value: token, Source: SourceHandshake}}
	for _, s := range prev {
		if s.Value != token {
			list = append(list, s)
		}
	}
	r.mu.Lock()
	r.cache["notion"] = entry{list: list, values: Values(list), source: SourceHandshake}
	r.mu.Unlock()
}

// EnvName is the environment variable holding a provider's secret.
func EnvName(provider string) string {
	return "HOOKCTL_" + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(provider)) + "_SECRET"
}

// ReadFile reads a secret from a file, dropping one final newline.
func ReadFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", &ArgError{File: true, Arg: path, Problem: ": " + err.Error()}
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", &ArgError{File: true, Arg: path, Problem: " is empty"}
	}
	return s, nil
}

// ArgError is a secret on the command line that cannot be used. Arg is
// what may be shown of it (a path, "P="; never a secret).
type ArgError struct {
	File    bool // given as a file
	Arg     string
	Problem string // follows Arg, with its space or colon: " is empty", ": no such file or directory"
}

func (e *ArgError) Error() string {
	what := "secret"
	if e.File {
		what = "secret file"
	}
	if e.Arg == "" {
		return what + e.Problem
	}
	return what + " " + e.Arg + e.Problem
}

// TypoError is a P= form whose P is no provider but close to one.
type TypoError struct {
	Name string
	Near []string
	File bool
}

func (e *TypoError) Error() string {
	return fmt.Sprintf("%s is not a provider; did you mean %s?", e.Name, strings.Join(e.Near, " or "))
}

// KeyError is a secret that cannot be a key of its provider's scheme.
type KeyError struct {
	Provider string
	Where    string // the file it came from, "" for a value
	Err      error
}

func (e *KeyError) Error() string { return e.Provider + ": " + e.Err.Error() }
func (e *KeyError) Unwrap() error { return e.Err }

// StateError is a saved token that cannot be read.
type StateError struct {
	Where string
	Err   error
}

func (e *StateError) Error() string {
	return fmt.Sprintf("reading the saved notion token %s: %v", e.Where, e.Err)
}
func (e *StateError) Unwrap() error { return e.Err }
