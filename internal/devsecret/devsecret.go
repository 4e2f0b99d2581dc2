// Package devsecret keeps hookctl's per-user development secret: the
// secret every command signs and verifies with when none is configured for
// a provider (the last step of internal/secrets' precedence).
//
// The secret is "whsec_" + base64 of 32 random bytes, made on first use and
// kept, mode 0600, in one file (config.Dir/dev_secret). Two processes that
// make it at once end up with the same secret: each writes a whole file
// under a temporary name and links it into place; the link fails for all
// but the first, and everyone reads what the first wrote.
//
// Providers whose apps are configured with something else than a whsec_
// text get the secret in their own form (For): derived from the one secret,
// so that every hookctl command and the app agree.
package devsecret

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hookctl/hookctl/internal/catalog"
	"github.com/hookctl/hookctl/internal/signer"
)

// FileName is the secret's file, in hookctl's config folder.
const FileName = "dev_secret"

// Prefix starts every development secret.
const Prefix = "whsec_"

// size is the number of random bytes.
const size = 32

// Load returns the development secret kept at path, making it first when
// there is none.
func Load(path string) (string, error) {
	s, err := read(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return s, err
	}
	if err := create(path); err != nil {
		return "", fmt.Errorf("making the development secret %s: %w", path, unwrap(err))
	}
	return read(path)
}

// Peek returns the secret kept at path without making one ("" when none).
func Peek(path string) (string, error) {
	s, err := read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return s, err
}

// read reads and checks the file. An empty file is one being written by
// a process that could not link (see create): it is read again for a
// moment before it counts as damaged.
func read(path string) (string, error) {
	var b []byte
	var err error
	for try := 0; try < 50; try++ {
		if b, err = os.ReadFile(path); err != nil || len(b) > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("reading the development secret %s: %w", path, unwrap(err))
	}
	s := strings.TrimSpace(string(b))
	if !Valid(s) {
		return "", fmt.Errorf("the development secret %s is damaged (not whsec_ and base64 of %d bytes): delete it and hookctl makes a new one", path, size)
	}
	return s, nil
}

// Valid reports whether s has the development secret's shape.
func Valid(s string) bool {
	raw, ok := strings.CutPrefix(s, Prefix)
	if !ok {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	return err == nil && len(b) == size
}

// New returns a fresh secret.
func New() (string, error) {
	b := make([]byte, size)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return Prefix + base64.StdEncoding.EncodeToString(b), nil
}

// create writes a new secret to path unless one is there already.
func create(path string) error {
	secret, err := New()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".dev_secret-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		tmp.Close()
		return err
	}
	_, err = tmp.WriteString(secret + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return nil // ours, or another process's: read back either way
	}
	// No hard links on this file system: create exclusively and write.
	// A reader that comes in between sees an empty file and waits (read).
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = fh.WriteString(secret + "\n")
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Key is the development secret in one provider's form.
type Key struct {
	// Secret is what hookctl signs and verifies with.
	Secret string
	// Public is what the app is configured with when it is not Secret: an
	// asymmetric provider's public key. "" means Secret.
	Public string
	// Form names what the app is configured with: "signing secret",
	// "auth token", "verification token", "public key".
	Form string
}

// App is what the provider's app must be configured with.
func (k Key) App() string {
	if k.Public != "" {
		return k.Public
	}
	return k.Secret
}

// form is one provider form of the development secret.
type form struct {
	match  func(p *catalog.Provider) bool
	derive func(base string, p *catalog.Provider) (Key, error)
}

// forms are tried in order (For). An
// asymmetric provider (a key pair: Discord's Ed25519) adds its form here:
// derive a private key from seed(base, p.Name), with Secret the private
// key as the signer takes it and Public the public key the app is
// configured with ('hookctl secret --provider P' prints Public). The
// resolver hands Secret to signing and verifying alike, so a key pair's
// Secret must serve both (an Ed25519 private key holds its public key).
var forms = []form{
	{ // Twilio signs with the account's auth token: 32 hex characters.
		match: func(p *catalog.Provider) bool { return p.Scheme.Signed == signer.SignedTwilio },
		derive: func(base string, p *catalog.Provider) (Key, error) {
			return Key{Secret: hex.EncodeToString(seed(base, p.Name))[:32], Form: "auth token"}, nil
		},
	},
	{ // Notion signs with the subscription's verification token, secret_...
		match: func(p *catalog.Provider) bool { return p.Name == "notion" },
		derive: func(base string, p *catalog.Provider) (Key, error) {
			return Key{Secret: "secret_" + hex.EncodeToString(seed(base, p.Name))[:43], Form: "verification token"}, nil
		},
	},
}

// For returns the development secret base in provider p's form: the first
// of forms that matches, else the whsec_ text itself (schemes that take
// whsec_ decode it; the others use its text as the key, as Stripe does).
func For(base string, p *catalog.Provider) (Key, error) {
	for _, f := range forms {
		if f.match(p) {
			return f.derive(base, p)
		}
	}
	return Key{Secret: base, Form: "signing secret"}, nil
}

// seed derives 32 bytes for one provider from the secret, so that derived
// forms of different providers are unrelated.
func seed(base, provider string) []byte {
	m := hmac.New(sha256.New, []byte(base))
	m.Write([]byte("hookctl development secret for " + provider))
	return m.Sum(nil)
}
