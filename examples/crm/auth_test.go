package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

const testSecret = "0123456789abcdef0123456789abcdef-test"

// tokenFixture serves desks north and south behind BearerAuth with an
// HS256 secret.
func tokenFixture(t *testing.T) (*server, *clock) {
	t.Helper()
	c := &clock{t: start}
	a, err := NewBearerAuth([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	a.Now = c.Now
	srv, err := newServer(Config{Desks: []string{"north", "south"}, Location: shanghai,
		RosterStart: roster.D(2026, 3, 2), RosterCycles: 1, Now: c.Now, NewID: seqIDs(), Auth: a,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func sign(t *testing.T, method jwt.SigningMethod, key any, c Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func claims(sub, role string, desks ...string) Claims {
	return Claims{RegisteredClaims: jwt.RegisteredClaims{Subject: sub, ExpiresAt: jwt.NewNumericDate(start.Add(time.Hour))},
		Role: role, Desks: desks}
}

func bearer(t *testing.T, h http.Handler, token, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestBearer: a signed token is who the caller is; anything else is 401
// with WWW-Authenticate, and a desk the token does not name is 404 like
// an unknown one. The actor headers mean nothing without
// -insecure-dev-headers.
func TestBearer(t *testing.T) {
	srv, _ := tokenFixture(t)
	good := sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims("li", "agent", "north"))
	intake := `{"kind":"repair","category":"leak","channel":"phone","fields":{"location":"3-201","item":"pipe"}}`
	rec := bearer(t, srv, good, "POST", "/desks/north/tickets", intake)
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"owner":"li"`) {
		t.Fatalf("valid token: %d %s", rec.Code, rec.Body)
	}
	for _, h := range []string{"bearer " + good, "BEARER  " + good} { // RFC 9110, 11.1
		req := httptest.NewRequest("GET", "/desks/north/tickets", nil)
		req.Header.Set("Authorization", h)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("Authorization %.9q...: %d, want 200 (the scheme is case-insensitive)", h, rec.Code)
		}
	}
	if rec := bearer(t, srv, good, "GET", "/desks/south/tickets", ""); rec.Code != http.StatusNotFound {
		t.Errorf("a desk the token does not name: %d, want 404", rec.Code)
	}

	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	expired := claims("li", "agent", "north")
	expired.ExpiresAt = jwt.NewNumericDate(start.Add(-time.Hour))
	noExp := claims("li", "agent", "north")
	noExp.ExpiresAt = nil
	for name, token := range map[string]string{
		"none":         "",
		"garbage":      "not.a.token",
		"wrong secret": sign(t, jwt.SigningMethodHS256, []byte("another secret of at least 32 bytes!!"), claims("li", "agent", "north")),
		"alg none":     sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims("li", "agent", "north")),
		"other alg":    sign(t, jwt.SigningMethodEdDSA, edPriv, claims("li", "agent", "north")),
		"expired":      sign(t, jwt.SigningMethodHS256, []byte(testSecret), expired),
		"no exp":       sign(t, jwt.SigningMethodHS256, []byte(testSecret), noExp),
		"no subject":   sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims("", "agent", "north")),
		"unknown role": sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims("li", "wizard", "north")),
		"no desk":      sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims("li", "agent")),
		// A subject no store holds alike (PostgreSQL refuses NUL) or
		// that would forge log lines.
		"NUL in subject":     sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims("li\x00zhou", "agent", "north")),
		"newline in subject": sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims("li\nzhou", "agent", "north")),
		"subject too long":   sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims(strings.Repeat("l", 129), "agent", "north")),
	} {
		rec := bearer(t, srv, token, "GET", "/desks/north/tickets", "")
		if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %d (WWW-Authenticate %q), want 401", name, rec.Code, rec.Header().Get("WWW-Authenticate"))
		}
	}
	req := httptest.NewRequest("GET", "/desks/north/tickets", nil)
	req.Header.Set(headerActor, "li")
	req.Header.Set(headerRole, "shift_lead")
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("actor headers without a token: %d, want 401", rec.Code)
	}
}

// TestBearerPublicKey: a PEM public key verifies EdDSA tokens and only
// those.
func TestBearerPublicKey(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(pub)
	a, err := NewBearerAuth(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	if err != nil {
		t.Fatal(err)
	}
	a.Now = func() time.Time { return start }
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer "+sign(t, jwt.SigningMethodEdDSA, priv, claims("chen", "repair_lead", "north", "south")))
	p, err := a.Authenticate(req)
	if err != nil || p.Actor != (ticket.Actor{ID: "chen", Role: ticket.RoleRepairLead}) || !p.mayUse("south") || p.mayUse("east") {
		t.Errorf("EdDSA token: %+v, %v", p, err)
	}
	req.Header.Set("Authorization", "Bearer "+sign(t, jwt.SigningMethodHS256, der, claims("chen", "repair_lead", "north")))
	if _, err := a.Authenticate(req); err == nil {
		t.Error("an HS256 token signed with the public key's bytes was accepted (algorithm confusion)")
	}
	if _, err := NewBearerAuth([]byte("short")); err == nil {
		t.Error("a short HMAC secret was accepted")
	}
}

// TestInsecureHeadersWarn: header trust is only behind the flag, which
// logs a warning; without a key the service does not start.
func TestInsecureHeadersWarn(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	if _, err := authenticator(options{jwtKeyEnv: "CRM_TEST_UNSET_KEY"}, log); err == nil {
		t.Error("no key and no -insecure-dev-headers: accepted")
	}
	a, err := authenticator(options{insecureDevHeaders: true}, log)
	if _, ok := a.(HeaderAuth); err != nil || !ok {
		t.Fatalf("-insecure-dev-headers: %T %v", a, err)
	}
	if !strings.Contains(logs.String(), `"level":"WARN"`) || !strings.Contains(logs.String(), "INSECURE") {
		t.Errorf("no warning logged: %s", logs.String())
	}
	t.Setenv("CRM_TEST_KEY", testSecret)
	if a, err := authenticator(options{jwtKeyEnv: "CRM_TEST_KEY"}, log); err != nil {
		t.Errorf("key from env: %v", err)
	} else if _, ok := a.(*BearerAuth); !ok {
		t.Errorf("key from env gave %T", a)
	}
}

// TestReadsFollowTheAuthorizer: a department's staff read only what is
// dispatched to their department or assigned to them (others are 404
// and absent from lists); QA reads tickets without personal data (S1).
func TestReadsFollowTheAuthorizer(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	mine := f.newRepair(t, "north")
	other := f.newRepair(t, "north")
	agent.must(t, http.StatusOK, "POST", ticketPath("north", mine.ID, "dispatch"), map[string]any{"department": "engineering"})
	agent.must(t, http.StatusOK, "POST", ticketPath("north", other.ID, "dispatch"), map[string]any{"department": "cleaning"})
	eng := as{h: f.srv, actor: zhao, role: "department", extra: map[string]string{"X-Department": "engineering"}}
	if r := eng.do(t, "GET", ticketPath("north", other.ID, ""), nil); r.Status != http.StatusNotFound {
		t.Errorf("another department's ticket: %d, want 404", r.Status)
	}
	if r := eng.do(t, "GET", ticketPath("north", other.ID, "history"), nil); r.Status != http.StatusNotFound {
		t.Errorf("another department's history: %d, want 404", r.Status)
	}
	eng.must(t, http.StatusOK, "GET", ticketPath("north", mine.ID, ""), nil)
	var lr listResponse
	eng.must(t, http.StatusOK, "GET", "/desks/north/tickets?limit=1", nil).decode(t, &lr)
	if len(lr.Tickets) != 1 || lr.Tickets[0].ID != mine.ID || lr.Next != "" {
		t.Errorf("department list: %+v next %q, want only its own ticket", lr.Tickets, lr.Next)
	}
	// Both tickets are overdue for their answer deadline later; the
	// overdue list follows the same rule.
	f.clock.Advance(30 * 24 * time.Hour)
	var od overdueResponse
	eng.must(t, http.StatusOK, "GET", "/desks/north/overdue", nil).decode(t, &od)
	if len(od.Overdue) == 0 {
		t.Error("the department's own stagnating ticket is not in its overdue list")
	}
	for _, o := range od.Overdue {
		if o.Ticket.ID != mine.ID {
			t.Errorf("department sees overdue ticket %s of another department", o.Ticket.ID)
		}
	}

	qa := f.as("qa-1", ticket.RoleQA)
	got := ticketOf(t, qa.must(t, http.StatusOK, "GET", ticketPath("north", mine.ID, ""), nil))
	if got.Fields["phone"] != ticket.Erased || got.Fields["person"] != ticket.Erased || got.Fields["item"] != "water pipe" {
		t.Errorf("QA reads personal fields: %v", got.Fields)
	}
	var ho handoverResponse
	qa.must(t, http.StatusOK, "GET", "/desks/north/handover?agent="+li, nil).decode(t, &ho)
	if len(ho.Owned) == 0 {
		t.Fatal("li's handover lists nothing")
	}
	for _, tk := range ho.Owned {
		if tk.Fields["phone"] != ticket.Erased {
			t.Errorf("QA reads a phone number in the handover: %v", tk.Fields)
		}
	}
	var eh handoverResponse
	eng.must(t, http.StatusOK, "GET", "/desks/north/handover?agent="+li, nil).decode(t, &eh)
	for _, tk := range eh.Owned {
		if tk.ID != mine.ID {
			t.Errorf("the department's handover view shows ticket %s of another department", tk.ID)
		}
	}
	full := ticketOf(t, agent.must(t, http.StatusOK, "GET", ticketPath("north", mine.ID, ""), nil))
	if full.Fields["phone"] != "13800000000" {
		t.Errorf("the agent lost the phone number: %v", full.Fields)
	}
}

// TestBearerCache: a remembered token holds exactly as long as the
// parser would accept it (exp and nbf with the leeway), a token differing
// only in its signature is not taken for it, a full cache keeps working,
// and a negative Cache remembers nothing.
func TestBearerCache(t *testing.T) {
	now := start
	a, err := NewBearerAuth([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	a.Now = func() time.Time { return now }
	auth := func(token string) (Principal, error) {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		return a.Authenticate(req)
	}
	c := claims("li", "agent", "north")
	c.NotBefore = jwt.NewNumericDate(start.Add(10 * time.Minute))
	token := sign(t, jwt.SigningMethodHS256, []byte(testSecret), c)

	now = start.Add(10*time.Minute - a.Leeway - time.Second)
	if _, err := auth(token); err == nil {
		t.Fatal("a token before its nbf (and the leeway) was accepted")
	}
	now = start.Add(10*time.Minute - a.Leeway)
	p, err := auth(token)
	if err != nil || p.Actor.ID != "li" {
		t.Fatalf("a token within its times: %+v, %v", p, err)
	}
	p.Desks[0] = "south" // the caller's copy
	if p, err := auth(token); err != nil || !p.mayUse("north") || p.mayUse("south") {
		t.Fatalf("the remembered token: %+v, %v", p, err)
	}
	if len(a.seen) != 1 {
		t.Fatalf("%d tokens remembered, want 1", len(a.seen))
	}

	// The same header and claims under another signature: refused, though
	// the genuine token is remembered.
	parts := strings.Split(token, ".")
	forged := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	if _, err := auth(forged); err == nil {
		t.Error("a forged signature of a remembered token was accepted")
	}

	// Before the nbf again (a clock moved back): the remembered token is
	// judged by its times too.
	now = start
	if _, err := auth(token); err == nil {
		t.Error("a remembered token was accepted before its nbf")
	}
	now = start.Add(time.Hour + a.Leeway - time.Nanosecond)
	if _, err := auth(token); err != nil {
		t.Errorf("a token just before exp plus the leeway: %v", err)
	}
	if _, err := auth(token); err != nil || len(a.seen) != 1 {
		t.Errorf("the same, remembered: %v (%d remembered)", err, len(a.seen))
	}
	now = now.Add(time.Nanosecond)
	if _, err := auth(token); err == nil || !errors.Is(err, ErrUnauthenticated) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("a remembered token past exp and the leeway: %v, want expired", err)
	}
	if len(a.seen) != 0 {
		t.Errorf("an expired token is still remembered (%d)", len(a.seen))
	}

	// A full cache of 4 makes room and goes on accepting every token.
	now = start
	a.Cache = 4
	for i := range 20 {
		tok := sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims(fmt.Sprintf("agent-%d", i), "agent", "north"))
		for range 2 {
			if p, err := auth(tok); err != nil || p.Actor.ID != fmt.Sprintf("agent-%d", i) {
				t.Fatalf("token %d: %+v, %v", i, p, err)
			}
		}
		if len(a.seen) > 4 {
			t.Fatalf("%d tokens remembered, Cache is 4", len(a.seen))
		}
	}

	off, _ := NewBearerAuth([]byte(testSecret))
	off.Now, off.Cache = a.Now, -1
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer "+sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims("li", "agent", "north")))
	if _, err := off.Authenticate(req); err != nil || len(off.seen) != 0 {
		t.Errorf("Cache -1: %v, %d remembered", err, len(off.seen))
	}
}

// TestBearerCacheConcurrent: callers at once, old and new tokens, under
// -race.
func TestBearerCacheConcurrent(t *testing.T) {
	a, err := NewBearerAuth([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	a.Now, a.Cache = func() time.Time { return start }, 8
	tokens := make([]string, 32)
	for i := range tokens {
		tokens[i] = sign(t, jwt.SigningMethodHS256, []byte(testSecret), claims(fmt.Sprintf("agent-%d", i), "agent", "north"))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g*7 + i) % len(tokens)
				req := httptest.NewRequest("GET", "/", nil)
				req.Header.Set("Authorization", "Bearer "+tokens[k])
				if p, err := a.Authenticate(req); err != nil || p.Actor.ID != fmt.Sprintf("agent-%d", k) {
					t.Errorf("token %d: %+v, %v", k, p, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkBearer: Authenticate with its cache of verified tokens
// ("BearerAuth") against the straightforward way, "jwt": verify the
// token with golang-jwt on every request (the same algorithm, expiry
// and claims checks) without the service's code. A client sends one
// token with each of its requests, so the same token is verified again
// and again. Interleaved three times; compare the ns/op.
func BenchmarkBearer(b *testing.B) {
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims("li", "agent", "north")).SignedString([]byte(testSecret))
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	type plain struct {
		jwt.RegisteredClaims
		Role  string   `json:"role"`
		Desks []string `json:"desks"`
	}
	verify := func() error {
		raw, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
		if !ok {
			return errors.New("no bearer token")
		}
		var c plain
		_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return []byte(testSecret), nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithTimeFunc(func() time.Time { return start }))
		if err == nil && (c.Subject == "" || c.Role == "" || len(c.Desks) == 0) {
			err = errors.New("incomplete claims")
		}
		return err
	}
	a, err := NewBearerAuth([]byte(testSecret))
	if err != nil {
		b.Fatal(err)
	}
	a.Now = func() time.Time { return start }
	for range 3 {
		b.Run("jwt", func(b *testing.B) {
			for b.Loop() {
				if err := verify(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("BearerAuth", func(b *testing.B) {
			for b.Loop() {
				if _, err := a.Authenticate(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
