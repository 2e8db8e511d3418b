package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
)

// SecretPrefix starts every secret in its written form.
const SecretPrefix = "whsec_"

// Secret is a signing key. Its String and LogValue never show the key.
type Secret struct{ key []byte }

// ParseSecret reads a secret written as "whsec_" followed by the standard
// base64 of the key (the prefix may be omitted, as the reference
// libraries allow). It returns ErrEmptySecret for an empty key and
// ErrInvalidSecret for anything that is not base64.
func ParseSecret(s string) (Secret, error) {
	b64 := strings.TrimPrefix(strings.TrimSpace(s), SecretPrefix)
	if b64 == "" {
		return Secret{}, ErrEmptySecret
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return Secret{}, fmt.Errorf("%w: %v", ErrInvalidSecret, err)
	}
	if len(key) == 0 {
		return Secret{}, ErrEmptySecret
	}
	return Secret{key: key}, nil
}

// NewSecret returns a fresh 32-byte secret in its written form.
func NewSecret() string {
	key := make([]byte, 32)
	rand.Read(key) // never fails (crypto/rand)
	return SecretPrefix + base64.StdEncoding.EncodeToString(key)
}

// String implements fmt.Stringer without the key.
func (s Secret) String() string { return SecretPrefix + "<redacted>" }

func parseSecrets(field string, written []string) ([]Secret, error) {
	if len(written) == 0 {
		return nil, fmt.Errorf("%w: %s: configure at least one", ErrEmptySecret, field)
	}
	out := make([]Secret, 0, len(written))
	for i, w := range written {
		s, err := ParseSecret(w)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", field, i, err)
		}
		out = append(out, s)
	}
	return out, nil
}
