package listen

import (
	"fmt"
	"strings"
	"sync"

	"github.com/hookctl/hookctl/internal/catalog"
)

// SecretRule explains how --secret values are read, for help texts.
const SecretRule = `--secret P=S gives provider P the secret S when the part before the first
'=' names a known provider (or alias); any other value is a bare secret, so
whsec_...= secrets, whose base64 ends in '=', stay whole. A bare secret is
for --provider, or, without it, for every detected provider that has no
P=S secret. Repeat --secret for several (key rotation). Providers with no
secret on the command line use HOOKCTL_<PROVIDER>_SECRET, HOOKCTL_SECRET,
the config file, and for notion the token of the last handshake.`

// Secrets resolves the secrets of each provider for listen: --secret P=S
// values, then bare --secret values, then a lookup of the config, the
// environment and the saved Notion token. Safe for concurrent use.
type Secrets struct {
	mu       sync.RWMutex
	explicit map[string][]string
	bare     []string
	only     string // with --provider, bare secrets are for it alone
	lookup   func(provider string) ([]string, error)
	cache    map[string][]string
}

// ParseSecrets reads --secret values (see SecretRule). provider is the
// --provider name ("" to detect); lookup finds configured secrets.
func ParseSecrets(cat *catalog.Catalog, values []string, provider *catalog.Provider, lookup func(string) ([]string, error)) (*Secrets, error) {
	s := &Secrets{explicit: map[string][]string{}, lookup: lookup, cache: map[string][]string{}}
	if provider != nil {
		s.only = provider.Name
	}
	for _, v := range values {
		if v == "" {
			return nil, fmt.Errorf("--secret is empty")
		}
		if name, secret, ok := strings.Cut(v, "="); ok && name != "" {
			if p, err := cat.Lookup(name); err == nil {
				if secret == "" {
					return nil, fmt.Errorf("--secret %s= has no secret after the '='", name)
				}
				if _, err := p.Scheme.Key(secret); err != nil {
					return nil, fmt.Errorf("--secret %s=...: %v", name, err)
				}
				s.explicit[p.Name] = append(s.explicit[p.Name], secret)
				continue
			}
		}
		if provider != nil {
			if _, err := provider.Scheme.Key(v); err != nil {
				return nil, fmt.Errorf("--secret for %s: %v", provider.Name, err)
			}
		}
		s.bare = append(s.bare, v)
	}
	return s, nil
}

// For returns the secrets to verify a provider's requests with.
func (s *Secrets) For(provider string) []string {
	s.mu.RLock()
	if v, ok := s.explicit[provider]; ok {
		s.mu.RUnlock()
		return v
	}
	if len(s.bare) > 0 && (s.only == "" || s.only == provider) {
		s.mu.RUnlock()
		return s.bare
	}
	v, ok := s.cache[provider]
	s.mu.RUnlock()
	if ok {
		return v
	}
	var found []string
	if s.lookup != nil {
		found, _ = s.lookup(provider)
	}
	s.mu.Lock()
	s.cache[provider] = found
	s.mu.Unlock()
	return found
}

// UseNotionToken makes a handshake's token the notion secret from now on;
// secrets given for notion before stay accepted too.
func (s *Secrets) UseNotionToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.explicit["notion"]
	if prev == nil && (s.only == "" || s.only == "notion") {
		prev = s.bare
	}
	if prev == nil {
		prev = s.cache["notion"]
	}
	list := []string{token}
	for _, p := range prev {
		if p != token {
			list = append(list, p)
		}
	}
	s.explicit["notion"] = list
}
