package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
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
	h := r.Header.Get("Authorization")
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || raw == "" {
		return Principal{}, &AuthError{Reason: "no bearer token"}
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
	if c.Subject == "" || len(c.Subject) > 128 {
		return Principal{}, &AuthError{Reason: "token has no subject (the actor) of 1 to 128 bytes"}
	}
	role := ticket.Role(c.Role)
	if !slices.Contains(knownRoles, role) {
		return Principal{}, &AuthError{Reason: fmt.Sprintf("token names unknown role %q", c.Role)}
	}
	if len(c.Desks) == 0 {
		return Principal{}, &AuthError{Reason: "token names no desk"}
	}
	return Principal{Actor: ticket.Actor{ID: c.Subject, Role: role}, Desks: c.Desks, Department: c.Department}, nil
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
