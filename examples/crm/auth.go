package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/servicedesk-go/desk/ticket"
)

// Principal is who a request comes from, as an Authenticator found out:
// the actor the library records, the desks the caller may act on, and
// the department a department's staff belong to.
type Principal struct {
	Actor ticket.Actor
	// Desks the caller may act on. A request naming another desk is 404,
	// as the library answers for another desk's ticket: the caller learns
	// nothing about desks that are not theirs. "*" is every desk.
	Desks []string
	// Department is the department of a caller with the department
	// role: they read the tickets dispatched to it (or assigned to them).
	Department string
}

// mayUse reports whether the principal may act on desk.
func (p Principal) mayUse(desk string) bool {
	return slices.Contains(p.Desks, "*") || slices.Contains(p.Desks, desk)
}

// Authenticator decides who the caller of a request is. A CRM plugs in
// its own (session cookies, mTLS, an API gateway's signed header); the
// service ships BearerAuth and, for development only, HeaderAuth.
// Returning an error refuses the request: ErrUnauthenticated (or an
// error wrapping it) is 401, any other error 400 naming nothing.
type Authenticator interface {
	Authenticate(r *http.Request) (Principal, error)
}

// ErrUnauthenticated is the answer to a request without valid
// credentials: 401 with WWW-Authenticate.
var ErrUnauthenticated = errors.New("crm: not authenticated")

// AuthError says why credentials were refused; it matches
// ErrUnauthenticated. The reason is for the log: the client is told only
// that it is not authenticated.
type AuthError struct{ Reason string }

func (e *AuthError) Error() string        { return "not authenticated: " + e.Reason }
func (e *AuthError) Is(target error) bool { return target == ErrUnauthenticated }

// Claims are what a bearer token carries: the registered claims (sub is
// the actor, exp is required) and the desk's own.
type Claims struct {
	jwt.RegisteredClaims
	Role       string   `json:"role"`
	Desks      []string `json:"desks"`
	Department string   `json:"department,omitempty"`
}

// BearerAuth verifies a signed JWT in "Authorization: Bearer ..." with
// github.com/golang-jwt/jwt/v5: the signature with Key under one of
// Methods only (never "none", never a method the key was not made for),
// exp required, nbf and iat honoured with Leeway, and iss and aud when
// configured. The token must name a known role and at least one desk.
//
// A client sends the same token with every request until it expires, so
// BearerAuth remembers the tokens it has verified (see Cache): a token
// seen before is looked up by its SHA-256 and only its times are judged
// again, without the signature check and the JSON decoding. Configure
// the fields before the first request and do not change them after: to
// rotate a key, make a new BearerAuth.
type BearerAuth struct {
	// Key verifies signatures: a []byte secret for HS256, or a public
	// key (*rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey).
	Key any
	// Methods are the accepted algorithms; see NewBearerAuth.
	Methods  []string
	Issuer   string // "" accepts any issuer
	Audience string // "" accepts any audience
	Leeway   time.Duration
	// Now is the clock tokens are judged by; nil means time.Now.
	Now func() time.Time
	// Cache is how many verified tokens are remembered; 0 means
	// DefaultTokenCache, a negative number remembers none.
	Cache int

	mu   sync.Mutex
	seen map[[sha256.Size]byte]verified
}

// DefaultTokenCache is how many verified tokens a BearerAuth remembers
// unless told otherwise: a few thousand callers' worth, about 1 MiB.
const DefaultTokenCache = 4096

// verified is what a verified token established, and the times that
// bound when it holds.
type verified struct {
	p        Principal
	exp, nbf time.Time // nbf zero when the token has none
}

// NewBearerAuth makes a BearerAuth from key material: a PEM public key
// (RSA → RS256, ECDSA → ES256/384/512, Ed25519 → EdDSA), or else an
// HMAC secret of at least 32 bytes (HS256).
func NewBearerAuth(material []byte) (*BearerAuth, error) {
	text := strings.TrimSpace(string(material))
	if blk, _ := pem.Decode([]byte(text)); blk != nil {
		pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("crm: token key: a PEM block that is not a public key: %w", err)
		}
		a := &BearerAuth{Key: pub, Methods: methodsFor(pub), Leeway: 30 * time.Second}
		if len(a.Methods) == 0 {
			return nil, fmt.Errorf("crm: token key: unsupported public key type %T", pub)
		}
		return a, nil
	}
	if len(text) < 32 {
		return nil, fmt.Errorf("crm: token key: an HMAC secret needs at least 32 bytes, got %d", len(text))
	}
	return &BearerAuth{Key: []byte(text), Methods: []string{"HS256"}, Leeway: 30 * time.Second}, nil
}

// Authenticate implements Authenticator.
func (a *BearerAuth) Authenticate(r *http.Request) (Principal, error) {
	// The scheme is case-insensitive (RFC 9110, 11.1): "bearer" is
	// what some clients send.
	scheme, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	raw = strings.TrimSpace(raw)
	if !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return Principal{}, &AuthError{Reason: "no bearer token"}
	}
	key := sha256.Sum256([]byte(raw))
	if p, ok := a.remembered(key); ok {
		return p, nil
	}
	opts := []jwt.ParserOption{jwt.WithValidMethods(a.Methods), jwt.WithExpirationRequired(), jwt.WithLeeway(a.Leeway)}
	if a.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(a.Issuer))
	}
	if a.Audience != "" {
		opts = append(opts, jwt.WithAudience(a.Audience))
	}
	if a.Now != nil {
		opts = append(opts, jwt.WithTimeFunc(a.Now))
	}
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return a.Key, nil }, opts...)
	if err != nil {
		return Principal{}, &AuthError{Reason: err.Error()}
	}
	if why := badName(c.Subject); why != "" {
		return Principal{}, &AuthError{Reason: "the token's subject (the actor) " + why}
	}
	role := ticket.Role(c.Role)
	if !slices.Contains(knownRoles, role) {
		return Principal{}, &AuthError{Reason: fmt.Sprintf("token names unknown role %q", c.Role)}
	}
	if len(c.Desks) == 0 {
		return Principal{}, &AuthError{Reason: "token names no desk"}
	}
	p := Principal{Actor: ticket.Actor{ID: c.Subject, Role: role}, Desks: c.Desks, Department: c.Department}
	v := verified{p: p, exp: c.ExpiresAt.Time}
	if c.NotBefore != nil {
		v.nbf = c.NotBefore.Time
	}
	a.remember(key, v)
	return p, nil
}

func (a *BearerAuth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// remembered returns the principal of a token verified before while its
// times still hold, as the parser judges them (exp and nbf with Leeway).
// A token past them is forgotten and parsed again, so that the parser
// gives the reason for refusing it.
func (a *BearerAuth) remembered(key [sha256.Size]byte) (Principal, bool) {
	if a.Cache < 0 {
		return Principal{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	v, ok := a.seen[key]
	if !ok {
		return Principal{}, false
	}
	now := a.now()
	if !now.Before(v.exp.Add(a.Leeway)) || (!v.nbf.IsZero() && now.Before(v.nbf.Add(-a.Leeway))) {
		delete(a.seen, key)
		return Principal{}, false
	}
	p := v.p
	p.Desks = slices.Clone(v.p.Desks) // the caller's to keep
	return p, true
}

// remember keeps a verified token. When the cache is full the tokens
// past their expiry go first, then any half of the rest.
func (a *BearerAuth) remember(key [sha256.Size]byte, v verified) {
	if a.Cache < 0 {
		return
	}
	limit := a.Cache
	if limit == 0 {
		limit = DefaultTokenCache
	}
	v.p.Desks = slices.Clone(v.p.Desks)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen == nil {
		a.seen = make(map[[sha256.Size]byte]verified)
	}
	if len(a.seen) >= limit {
		now := a.now()
		for k, old := range a.seen {
			if !now.Before(old.exp.Add(a.Leeway)) {
				delete(a.seen, k)
			}
		}
		for k := range a.seen { // map order: an arbitrary half
			if len(a.seen) < limit/2+1 {
				break
			}
			delete(a.seen, k)
		}
	}
	a.seen[key] = v
}

// methodsFor lists the algorithms a public key verifies.
func methodsFor(pub any) []string {
	switch pub.(type) {
	case *rsa.PublicKey:
		return []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	case *ecdsa.PublicKey:
		return []string{"ES256", "ES384", "ES512"}
	case ed25519.PublicKey:
		return []string{"EdDSA"}
	}
	return nil
}

// HeaderAuth trusts X-Actor and X-Role (and X-Desks, X-Department) from
// anyone who can reach the port. It exists for local development and
// tests behind -insecure-dev-headers, which logs a warning at start:
// never expose it.
type HeaderAuth struct{}

// Authenticate implements Authenticator.
func (HeaderAuth) Authenticate(r *http.Request) (Principal, error) {
	by, err := actorOf(r)
	if err != nil {
		return Principal{}, err
	}
	p := Principal{Actor: by, Desks: []string{"*"}, Department: strings.TrimSpace(r.Header.Get("X-Department"))}
	if ds := r.Header.Get("X-Desks"); ds != "" {
		p.Desks = splitList(ds)
	}
	return p, nil
}

type principalKey struct{}

// principalOf returns the principal withDesk found for the request.
func principalOf(r *http.Request) Principal {
	p, _ := r.Context().Value(principalKey{}).(Principal)
	return p
}

func withPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}
