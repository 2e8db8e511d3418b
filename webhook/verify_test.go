package webhook

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

func signed(t *testing.T, secrets []string, id string, ts time.Time, body []byte) http.Header {
	t.Helper()
	s, err := NewSigner(secrets...)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	s.SetHeaders(h, id, ts, body)
	return h
}

func TestVerifier(t *testing.T) {
	ctx := context.Background()
	body := []byte(`{"schema":"servicedesk.event/v1"}`)
	c := newClock()
	cases := []struct {
		name   string
		header func() http.Header
		body   []byte
		want   error
	}{
		{"authentic", func() http.Header { return signed(t, []string{secretA}, "msg_1", c.Now(), body) }, body, nil},
		{"bad_secret", func() http.Header { return signed(t, []string{secretB}, "msg_1", c.Now(), body) }, body, ErrBadSignature},
		{"body_changed", func() http.Header { return signed(t, []string{secretA}, "msg_1", c.Now(), body) }, []byte(`{}`), ErrBadSignature},
		{"id_changed", func() http.Header {
			h := signed(t, []string{secretA}, "msg_1", c.Now(), body)
			h.Set(HeaderID, "msg_2")
			return h
		}, body, ErrBadSignature},
		{"timestamp_changed", func() http.Header {
			h := signed(t, []string{secretA}, "msg_1", c.Now(), body)
			h.Set(HeaderTimestamp, strconv.FormatInt(c.Now().Unix()+1, 10))
			return h
		}, body, ErrBadSignature},
		{"stale", func() http.Header {
			return signed(t, []string{secretA}, "msg_1", c.Now().Add(-5*time.Minute-time.Second), body)
		}, body, ErrTooOld},
		{"edge_of_window", func() http.Header { return signed(t, []string{secretA}, "msg_1", c.Now().Add(-5*time.Minute), body) }, body, nil},
		{"future", func() http.Header {
			return signed(t, []string{secretA}, "msg_1", c.Now().Add(5*time.Minute+time.Second), body)
		}, body, ErrTooNew},
		{"no_id", func() http.Header {
			h := signed(t, []string{secretA}, "msg_1", c.Now(), body)
			h.Del(HeaderID)
			return h
		}, body, ErrMissingHeaders},
		{"no_signature", func() http.Header {
			h := signed(t, []string{secretA}, "msg_1", c.Now(), body)
			h.Del(HeaderSignature)
			return h
		}, body, ErrMissingHeaders},
		{"timestamp_not_a_number", func() http.Header {
			h := signed(t, []string{secretA}, "msg_1", c.Now(), body)
			h.Set(HeaderTimestamp, "2026-03-02T09:00:00Z")
			return h
		}, body, ErrInvalidHeaders},
		{"unknown_version_only", func() http.Header {
			h := signed(t, []string{secretA}, "msg_1", c.Now(), body)
			h.Set(HeaderSignature, "v1a,"+h.Get(HeaderSignature)[3:])
			return h
		}, body, ErrBadSignature},
		{"rotation_second_signature_matches", func() http.Header {
			return signed(t, []string{secretB, secretA}, "msg_1", c.Now(), body)
		}, body, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := NewVerifier(VerifierConfig{Secrets: []string{secretA}, Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			d, err := v.Verify(ctx, tc.header(), tc.body)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("Verify: %v, want %v", err, tc.want)
			}
			if tc.want == nil && (d.ID != "msg_1" || string(d.Body) != string(tc.body)) {
				t.Fatalf("delivery %+v", d)
			}
		})
	}
}

// TestVerifierReplay: the signed ID is the only deduplication key. A
// captured request sent again is a duplicate; it cannot be given a
// fresh ID or timestamp without the secret; and a forged request naming
// a real event's ID does not make the real one look like a repeat.
func TestVerifierReplay(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	v, err := NewVerifier(VerifierConfig{Secrets: []string{secretA}, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"n":1}`)
	captured := signed(t, []string{secretA}, "evt_1", c.Now(), body)
	if _, err := v.Verify(ctx, captured, body); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	if _, err := v.Verify(ctx, captured.Clone(), body); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("verbatim replay: %v, want ErrDuplicate", err)
	}
	fresh := captured.Clone()
	fresh.Set(HeaderID, "evt_1-again")
	fresh.Set("Idempotency-Key", "fresh-key")
	if _, err := v.Verify(ctx, fresh, body); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("replay under a fresh ID: %v, want ErrBadSignature", err)
	}
	fresh = captured.Clone()
	fresh.Set(HeaderTimestamp, strconv.FormatInt(c.Now().Unix(), 10))
	if _, err := v.Verify(ctx, fresh, body); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("replay with a fresh timestamp: %v, want ErrBadSignature", err)
	}
	// A forged request naming the next real event's ID.
	forged := captured.Clone()
	forged.Set(HeaderID, "evt_2")
	if _, err := v.Verify(ctx, forged, body); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("forged ID: %v, want ErrBadSignature", err)
	}
	real2 := []byte(`{"n":2}`)
	if _, err := v.Verify(ctx, signed(t, []string{secretA}, "evt_2", c.Now(), real2), real2); err != nil {
		t.Fatalf("the real event after a forgery naming its ID: %v", err)
	}
	// Past the window the replay is stale, not new.
	c.Add(5 * time.Minute)
	if _, err := v.Verify(ctx, captured.Clone(), body); !errors.Is(err, ErrTooOld) {
		t.Fatalf("replay after the window: %v, want ErrTooOld", err)
	}
	// The sender's own retry of an accepted event (new timestamp, same
	// ID, fresh signature) is a duplicate too.
	if _, err := v.Verify(ctx, signed(t, []string{secretA}, "evt_2", c.Now(), real2), real2); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("sender's retry: %v, want ErrDuplicate", err)
	}
	// Forget lets the retry of a delivery the receiver could not keep in.
	if err := v.Forget(ctx, "evt_2"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, signed(t, []string{secretA}, "evt_2", c.Now(), real2), real2); err != nil {
		t.Fatalf("retry after Forget: %v", err)
	}
}

func TestSecrets(t *testing.T) {
	for _, secrets := range [][]string{nil, {""}, {"whsec_"}, {secretA, ""}, {"  "}} {
		if _, err := NewSigner(secrets...); !errors.Is(err, ErrEmptySecret) {
			t.Errorf("NewSigner(%q): %v, want ErrEmptySecret", secrets, err)
		}
		if _, err := NewVerifier(VerifierConfig{Secrets: secrets}); !errors.Is(err, ErrEmptySecret) {
			t.Errorf("NewVerifier(%q): %v, want ErrEmptySecret", secrets, err)
		}
		if _, err := New(desk(t, 0), Config{URL: "http://x", Secrets: secrets}); !errors.Is(err, ErrEmptySecret) {
			t.Errorf("New(%q): %v, want ErrEmptySecret", secrets, err)
		}
	}
	if _, err := ParseSecret("whsec_not base64!"); !errors.Is(err, ErrInvalidSecret) {
		t.Errorf("ParseSecret: %v, want ErrInvalidSecret", err)
	}
	s, err := ParseSecret(NewSecret())
	if err != nil || len(s.key) != 32 {
		t.Fatalf("NewSecret: %v, %d bytes", err, len(s.key))
	}
	if s.String() != "whsec_<redacted>" {
		t.Errorf("String shows %q", s.String())
	}
}

func TestMemSeen(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	m := NewMemSeen(c.Now)
	// Exactly one of concurrent Remember calls for an ID is first.
	var wg sync.WaitGroup
	var mu sync.Mutex
	first := 0
	for range 32 {
		wg.Go(func() {
			seen, err := m.Remember(ctx, "x", c.Now().Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			if !seen {
				mu.Lock()
				first++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if first != 1 {
		t.Fatalf("%d callers were first, want 1", first)
	}
	// IDs expire and are swept as the map grows.
	for i := range 2000 {
		m.Remember(ctx, strconv.Itoa(i), c.Now().Add(time.Minute))
	}
	c.Add(2 * time.Minute)
	if seen, _ := m.Remember(ctx, "x", c.Now().Add(time.Minute)); seen {
		t.Fatal("an expired ID is still seen")
	}
	for i := range 2000 {
		m.Remember(ctx, "new"+strconv.Itoa(i), c.Now().Add(time.Minute))
	}
	if n := m.Len(); n > 2100 {
		t.Fatalf("%d IDs held after expiry, want the 2001 live ones", n)
	}
}
