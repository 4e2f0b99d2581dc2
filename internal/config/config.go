// Package config reads hookctl's settings through one viper instance:
// flags > HOOKCTL_* environment > config file > defaults. viper stays in
// here: commands read typed settings (To, Color, JSON, Quiet, FileSecrets,
// Catalog).
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/signer"
)

// Config is the loaded configuration.
type Config struct {
	v      *viper.Viper
	File   string     // the config file read, "" when none
	root   *yaml.Node // the file's top-level mapping, for lines and key checks
	getenv func(string) string

	settings map[string]int // bound flags: key to index in list
	list     []Setting
}

// FileNames are where a config file is looked for when --config is not given.
func FileNames(getenv func(string) string) []string {
	names := []string{"hookctl.yaml"}
	if dir := Dir(getenv); dir != "" {
		names = append(names, filepath.Join(dir, "config.yaml"))
	}
	return names
}

// Dir is hookctl's config folder: $XDG_CONFIG_HOME/hookctl
// (~/.config/hookctl when unset, %APPDATA%\hookctl on Windows without
// HOME); "" when there is none of them.
func Dir(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		if home := getenv("HOME"); home != "" {
			dir = filepath.Join(home, ".config")
		} else {
			dir = getenv("APPDATA")
		}
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "hookctl")
}

// Load reads the config file (explicit, or the first of FileNames that
// exists) into a fresh viper instance that also reads HOOKCTL_* variables.
func Load(explicit string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	// Flags and the top-level settings read the environment through getenv
	// (BindFlags, find), so that every layer knows where its value came
	// from; viper's own reading serves the providers' nested settings
	// (HOOKCTL_PROVIDERS_STRIPE_API_VERSION).
	v := newViper()
	c := &Config{v: v, getenv: getenv}
	file := explicit
	if file == "" {
		file = getenv("HOOKCTL_CONFIG")
	}
	if file == "" {
		for _, name := range FileNames(getenv) {
			if st, err := os.Stat(name); err == nil && !st.IsDir() {
				file = name
				break
			}
		}
	} else if st, err := os.Stat(file); err != nil {
		return nil, &NamedFileError{File: file, Problem: ": " + unwrapPath(err).Error()}
	} else if st.IsDir() {
		return nil, &NamedFileError{File: file, Problem: " is a folder: pass a YAML file"}
	}
	if file == "" {
		return c, nil
	}
	v.SetConfigFile(file)
	if ext := strings.TrimPrefix(filepath.Ext(file), "."); ext == "" || ext == "yml" {
		v.SetConfigType("yaml")
	}
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("config file %s is not valid: %s", file, firstLine(err.Error()))
	}
	c.File = file
	if ext := strings.ToLower(filepath.Ext(file)); ext == "" || ext == ".yaml" || ext == ".yml" {
		root, err := parseNodes(file)
		if err != nil {
			return nil, fmt.Errorf("config file %s is not valid: %s", file, firstLine(err.Error()))
		}
		c.root = root
	}
	return c, nil
}

func newViper() *viper.Viper {
	v := viper.New()
	v.SetEnvPrefix("HOOKCTL")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	return v
}

// EnvOnly is the configuration without any file: the environment and the
// defaults (for commands that need no configuration).
func EnvOnly(getenv func(string) string) *Config {
	if getenv == nil {
		getenv = os.Getenv
	}
	return &Config{v: newViper(), getenv: getenv}
}

// Lookup returns a top-level setting's value as written (HOOKCTL_<KEY>,
// else the file's <key>) and where it came from; "" and FromDefault when
// it is set nowhere. Use Bind'ed accessors (To, Color) for effective values.
func (c *Config) Lookup(key string) (string, Origin) {
	if v, ok := c.find("", key); ok && v.bad == "" && !v.list {
		return v.vals[0], v.origin
	}
	return "", Origin{}
}

// NamedFileError is a config file that was named explicitly (the caller
// knows how: a flag, or HOOKCTL_CONFIG) and cannot be read.
type NamedFileError struct {
	File    string
	Problem string // follows the name: ": no such file or directory"
}

func (e *NamedFileError) Error() string { return "config file " + e.File + e.Problem }

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// Bind makes a flag the top layer of a global setting (flags > env > file
// > default); a nil flag (the command has none) changes nothing. A flag
// BindFlags bound already holds the setting's value.
func (c *Config) Bind(key string, flag *pflag.Flag) {
	if flag == nil {
		return
	}
	for i, s := range c.list {
		if s.Flag == flag { // BindFlags bound it: key is another name of it
			c.settings[key] = i
			return
		}
	}
	if !flag.Changed {
		if v, ok := c.find("", key); ok && v.apply(flag, key) == nil {
			c.record(Setting{Key: key, Flag: flag, Origin: v.origin})
			return
		}
	}
	c.record(Setting{Key: key, Flag: flag, Origin: Origin{Kind: FromFlag, Name: "--" + flag.Name}})
}

// global is a top-level setting's value: its bound flag's (whatever
// layer that came from), else HOOKCTL_<KEY>, else the file's, else def.
func (c *Config) global(key, def string) string {
	if s, ok := c.Setting(key); ok {
		return s.Flag.Value.String()
	}
	if v, ok := c.find("", key); ok && v.bad == "" && !v.list {
		return v.vals[0]
	}
	return def
}

// To is the default target of trigger and replay (--to, HOOKCTL_TO, to:).
func (c *Config) To() string { return c.global("to", "") }

// Color is the colour mode as written: auto, always or never (checked by
// the caller).
func (c *Config) Color() string { return c.global("color", "auto") }

// JSON reports json: true (or HOOKCTL_JSON, or a bound --json).
func (c *Config) JSON() bool { b, _ := strconv.ParseBool(c.global("json", "false")); return b }

// Quiet reports quiet: true (or HOOKCTL_QUIET, or a bound --quiet).
func (c *Config) Quiet() bool { b, _ := strconv.ParseBool(c.global("quiet", "false")); return b }

// FileSecrets returns the config file's secrets for a provider, most
// specific first: secrets.<provider>, providers.<provider>.secret, then
// secret; and the file's name. The environment is not read here: the
// secrets resolver orders it before the file.
func (c *Config) FileSecrets(provider string) ([]string, string) {
	if c.File == "" {
		return nil, ""
	}
	for _, key := range []string{"secrets." + provider, "providers." + provider + ".secret", "secret"} {
		if !c.v.InConfig(key) {
			continue
		}
		if vals := stringList(c.v.Get(key)); len(vals) > 0 {
			return vals, c.File
		}
	}
	return nil, c.File
}

// VerifyToken is providers.<provider>.verify_token: Meta's verify token
// for its GET handshake; "" when unset.
func (c *Config) VerifyToken(provider string) string {
	return strings.TrimSpace(c.v.GetString("providers." + provider + ".verify_token"))
}

func stringList(v any) []string {
	switch t := v.(type) {
	case string:
		if t != "" {
			return []string{t}
		}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return t
	}
	return nil
}

// Catalog returns the built-in providers plus those defined in the file,
// with the file's settings of built-ins applied (providers.stripe.api_version).
func (c *Config) Catalog() (*catalog.Catalog, error) {
	custom, err := c.customProviders()
	if err != nil {
		return nil, err
	}
	cat, err := catalog.New(custom...)
	if err != nil {
		return nil, err
	}
	if !c.setsProviders() {
		return cat, nil
	}
	for _, p := range cat.Providers() {
		if p.Custom {
			continue
		}
		key := "providers." + p.Name + ".api_version"
		v := strings.TrimSpace(c.v.GetString(key))
		if t, ok := c.v.Get(key).(time.Time); ok {
			v = t.Format(time.DateOnly) // YAML reads an unquoted 2024-06-20 as a date
		}
		if v == "" {
			continue
		}
		if p.APIVersion == "" {
			return nil, fmt.Errorf("%s: provider %s has no API version to set", c.where(key), p.Name)
		}
		if !apiVersion().MatchString(v) {
			return nil, fmt.Errorf("%s: %q is not an API version like %s", c.where(key), v, p.APIVersion)
		}
		p.APIVersion = v
	}
	return cat, nil
}

// setsProviders reports whether anything can set a built-in provider's
// settings: the file's providers section, or a HOOKCTL_PROVIDERS_*
// variable (viper reads those from the process's environment). Without
// either, Catalog does not ask viper about each provider: those lookups
// were a third of a 'hookctl sign' start.
func (c *Config) setsProviders() bool {
	if c.File != "" && c.v.InConfig("providers") {
		return true
	}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "HOOKCTL_PROVIDERS_") {
			return true
		}
	}
	return false
}

// apiVersion is what an API version looks like: 2026-03-25.dahlia, 2026-01,
// unstable. Compiled when a version is set, not at every start.
var apiVersion = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`) })

// where names a setting for an error: the config file's key, or the
// environment variable that set it.
func (c *Config) where(key string) string {
	if c.File != "" && c.v.InConfig(key) {
		return "config file " + c.File + ": " + key
	}
	return "HOOKCTL_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
}

// builtinKeys are what the config file may set under a built-in provider's
// name; anything else there would be a definition clashing with the built-in.
var builtinKeys = map[string]bool{"secret": true, "api_version": true, "verify_token": true}

// settingsOnly reports whether a providers.<name> section only sets a
// built-in provider's settings (its secret, its API version, Meta's verify token).
func settingsOnly(name string, section any) bool {
	m, ok := section.(map[string]any)
	if !ok {
		return false
	}
	builtin := false
	for _, p := range catalog.Builtins() {
		builtin = builtin || p.Name == strings.ToLower(name) || slices.Contains(p.Aliases, strings.ToLower(name))
	}
	for k := range m {
		builtin = builtin && builtinKeys[strings.ToLower(k)]
	}
	return builtin
}

// ProviderSpec is a user-defined provider as written in the config file.
type ProviderSpec struct {
	SignatureHeader string   `mapstructure:"signature_header"`
	Signed          string   `mapstructure:"signed"`
	Hash            string   `mapstructure:"hash"`
	Encoding        string   `mapstructure:"encoding"`
	Prefix          string   `mapstructure:"prefix"`
	SecretForm      string   `mapstructure:"secret_form"`
	TimestampHeader string   `mapstructure:"timestamp_header"`
	IDHeader        string   `mapstructure:"id_header"`
	Tolerance       string   `mapstructure:"tolerance"`
	Templates       string   `mapstructure:"templates"`
	EventField      string   `mapstructure:"event_field"`
	IDField         string   `mapstructure:"id_field"`
	ContentType     string   `mapstructure:"content_type"`
	Success         string   `mapstructure:"success"`
	Timeout         string   `mapstructure:"timeout"`
	Schedule        []string `mapstructure:"schedule"`
	Secret          any      `mapstructure:"secret"`

	// The rest of the signer's vocabulary (issue 14).
	Format          string             `mapstructure:"format"`           // plain, list, stripe, paddle
	TimestampFormat string             `mapstructure:"timestamp_format"` // unix, unix-ms, rfc3339
	TimestampField  string             `mapstructure:"timestamp_field"`  // a body field checked against the tolerance
	RejectFuture    bool               `mapstructure:"reject_future"`
	BodySignature   *BodySignatureSpec `mapstructure:"body_signature"`
	URLForm         string             `mapstructure:"url_form"`    // as-sent, hubspot: how a signed URL is written
	AsymPrefix      string             `mapstructure:"asym_prefix"` // list entries signed with Ed25519 keys (v1a,)
}

// BodySignatureSpec places the signature in the JSON body (Mailgun-like):
// dotted paths of the signature, timestamp and token fields.
type BodySignatureSpec struct {
	Signature string `mapstructure:"signature"`
	Timestamp string `mapstructure:"timestamp"`
	Token     string `mapstructure:"token"`
}

func (c *Config) customProviders() ([]*catalog.Provider, error) {
	if c.File == "" || !c.v.InConfig("providers") {
		return nil, nil
	}
	raw, ok := c.v.Get("providers").(map[string]any)
	if !ok {
		return nil, fmt.Errorf("config file %s: providers must be a map of name to settings", c.File)
	}
	var out []*catalog.Provider
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if settingsOnly(name, raw[name]) {
			continue
		}
		var spec ProviderSpec
		if err := c.v.UnmarshalKey("providers."+name, &spec); err != nil {
			return nil, fmt.Errorf("config file %s: provider %s: %s", c.File, name, firstLine(err.Error()))
		}
		p, err := spec.Provider(name, filepath.Dir(c.File))
		if err != nil {
			return nil, fmt.Errorf("config file %s: provider %s: %v", c.File, name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func or(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

// Provider turns a spec into a catalogue entry; dir resolves a relative
// templates folder against the config file's folder.
func (s ProviderSpec) Provider(name, dir string) (*catalog.Provider, error) {
	if name == "" || strings.ContainsAny(name, " /\\") {
		return nil, fmt.Errorf("name %q must be one word", name)
	}
	sch, err := s.scheme()
	if err != nil {
		return nil, err
	}
	p := &catalog.Provider{
		Name:        strings.ToLower(name),
		Title:       name,
		Source:      "config file",
		Custom:      true,
		Scheme:      sch,
		ContentType: or(s.ContentType, "application/json"),
		Envelope:    catalog.Envelope{TypePath: or(s.EventField, "type"), IDPath: or(s.IDField, "id")},
	}
	if p.Delivery, err = s.delivery(); err != nil {
		return nil, err
	}
	if err := s.templates(p, dir); err != nil {
		return nil, err
	}
	return p, nil
}

// scheme is the spec's way of signing, with its defaults, validated.
func (s ProviderSpec) scheme() (signer.Scheme, error) {
	sch := signer.Scheme{
		Headers: signer.HeaderSet{Signature: strings.TrimSpace(s.SignatureHeader), Timestamp: strings.TrimSpace(s.TimestampHeader), ID: strings.TrimSpace(s.IDHeader)},
		Signed:  signer.Signed(or(s.Signed, "body")),
		Hash:    strings.ToLower(or(s.Hash, signer.HashSHA256)),
		Enc:     strings.ToLower(or(s.Encoding, signer.EncHex)),
		Prefix:  s.Prefix,
		Format:  signer.Format(strings.ToLower(or(s.Format, string(signer.FormatPlain)))),
		Secret:  strings.ToLower(or(s.SecretForm, signer.SecretText)),

		TimeFormat:     strings.ToLower(strings.TrimSpace(s.TimestampFormat)),
		TimestampField: strings.TrimSpace(s.TimestampField),
		RejectFuture:   s.RejectFuture,
		AsymPrefix:     s.AsymPrefix,
	}
	switch f := strings.ToLower(strings.TrimSpace(s.URLForm)); f {
	case "", "as-sent":
	case signer.URLHubSpot:
		sch.URLForm = f
	default:
		return sch, fmt.Errorf("url_form %q is not as-sent or hubspot", s.URLForm)
	}
	if sch.AsymPrefix != "" && sch.Format != signer.FormatList {
		return sch, fmt.Errorf("asym_prefix %q needs format: list (its entries sit beside the MACs)", s.AsymPrefix)
	}
	if b := s.BodySignature; b != nil {
		sch.BodySig = &signer.BodySignature{Signature: strings.TrimSpace(b.Signature), Timestamp: strings.TrimSpace(b.Timestamp), Token: strings.TrimSpace(b.Token)}
	}
	if sch.Hash == signer.HashEd25519 && s.SecretForm == "" {
		sch.Secret = signer.SecretEd25519Hex
	}
	if sch.Signed == signer.SignedTwilio {
		return sch, fmt.Errorf("signed must be the words id, timestamp, body, url, method (and token) joined by literal text or '+', e.g. body, timestamp.body, id+timestamp+body, or token")
	}
	if sch.Headers.ID != "" {
		sch.IDKind = "msg"
	}
	if s.Tolerance != "" {
		d, err := time.ParseDuration(s.Tolerance)
		if err != nil || d < 0 {
			return sch, fmt.Errorf("tolerance %q is not a duration like 5m (0 turns the check off)", s.Tolerance)
		}
		sch.Tolerance = d
	} else if sch.UsesTimestamp() || sch.TimestampField != "" {
		sch.Tolerance = catalog.DefaultTolerance
	}
	return sch, sch.Validate()
}

// delivery is the spec's delivery rules: success rule, timeout, schedule.
func (s ProviderSpec) delivery() (catalog.Delivery, error) {
	d := catalog.DefaultDelivery()
	switch or(s.Success, "2xx") {
	case "2xx":
	case "200":
		d.Exact200 = true
	default:
		return d, fmt.Errorf("success %q must be 2xx or 200", s.Success)
	}
	if s.Timeout != "" {
		t, err := time.ParseDuration(s.Timeout)
		if err != nil || t <= 0 {
			return d, fmt.Errorf("timeout %q is not a duration like 5s", s.Timeout)
		}
		d.Timeout = t
	}
	if len(s.Schedule) > 0 {
		d.Schedule, d.DefaultSchedule = nil, false
		for _, w := range s.Schedule {
			t, err := time.ParseDuration(w)
			if err != nil || t < 0 {
				return d, fmt.Errorf("schedule entry %q is not a duration like 5m", w)
			}
			d.Schedule = append(d.Schedule, t)
		}
	}
	return d, nil
}

// templates points p at the spec's templates folder and lists its events.
func (s ProviderSpec) templates(p *catalog.Provider, dir string) error {
	if s.Templates == "" {
		return nil
	}
	tdir := s.Templates
	if !filepath.IsAbs(tdir) {
		tdir = filepath.Join(dir, tdir)
	}
	p.TemplateDir = tdir
	events, err := p.TemplateEvents()
	if err != nil {
		return fmt.Errorf("templates folder %s: %v", tdir, unwrapPath(err))
	}
	for _, e := range events {
		p.Events = append(p.Events, catalog.Event{Name: e, Description: "from " + filepath.Join(s.Templates, catalog.FileName(e)+".json")})
	}
	return nil
}
