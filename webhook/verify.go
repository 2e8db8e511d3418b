package webhook

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// VerifierConfig configures a Verifier. Zero values are the defaults.
type VerifierConfig struct {
	// Secrets are the written secrets a signature may be made with (two
	// during a rotation). At least one; none may be empty.
	Secrets []string
	// Tolerance is how far the signed timestamp may be from now, either
	// way; 0 means 5 minutes, the specification's default.
	Tolerance time.Duration
	// Retain is how long after its signed timestamp an accepted ID is
	// remembered; 0 means 1 hour. It is never shorter than Tolerance, so
	// a replay inside the window is always caught. Keep the events
	// themselves by ID in the receiving store for longer horizons.
	Retain time.Duration
	// Seen remembers accepted IDs; nil means a MemSeen.
	Seen SeenStore
	// MaxBody bounds the body Handler reads; 0 means 1 MiB.
	MaxBody int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives refused deliveries (reason and ID, never the
	// body); nil means no logging.
	Logger *slog.Logger
}

// Verifier checks deliveries signed per the Standard Webhooks
// specification and recognises repeats by their signed ID. It is safe for
// concurrent use.
type Verifier struct {
	secrets   []Secret
	tolerance time.Duration
	retain    time.Duration
	seen      SeenStore
	maxBody   int64
	now       func() time.Time
	log       *slog.Logger
}

// maxIDLen bounds the webhook-id header (and so what a SeenStore keeps).
const maxIDLen = 256

// NewVerifier returns a verifier for the configured secrets.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	secrets, err := parseSecrets("Secrets", cfg.Secrets)
	if err != nil {
		return nil, err
	}
	if cfg.Tolerance < 0 || cfg.Retain < 0 || cfg.MaxBody < 0 {
		return nil, fmt.Errorf("%w: Tolerance, Retain and MaxBody cannot be negative", ErrInvalid)
	}
	v := &Verifier{secrets: secrets, tolerance: cfg.Tolerance, retain: cfg.Retain, seen: cfg.Seen,
		maxBody: cfg.MaxBody, now: cfg.Now, log: cfg.Logger}
	if v.tolerance == 0 {
		v.tolerance = 5 * time.Minute
	}
	if v.retain == 0 {
		v.retain = time.Hour
	}
	v.retain = max(v.retain, v.tolerance)
	if v.maxBody == 0 {
		v.maxBody = 1 << 20
	}
	if v.now == nil {
		v.now = time.Now
	}
	if v.seen == nil {
		v.seen = NewMemSeen(v.now)
	}
	if v.log == nil {
		v.log = discard
	}
	return v, nil
}

// Delivery is an authentic message.
type Delivery struct {
	ID        string    // the signed webhook-id
	Timestamp time.Time // the signed webhook-timestamp
	Body      []byte
}

// Verify checks a message's headers and body. It returns
// ErrMissingHeaders, ErrInvalidHeaders, ErrTooOld, ErrTooNew or
// ErrBadSignature for a message that is not authentic and current, and
// ErrDuplicate (with the Delivery) for an authentic message whose ID it
// already accepted. Otherwise it remembers the ID and returns the
// delivery; a receiver that then fails to keep the message calls Forget
// so that the sender's retry is accepted.
func (v *Verifier) Verify(ctx context.Context, h http.Header, body []byte) (Delivery, error) {
	id, tsText, sig := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || tsText == "" || sig == "" {
		return Delivery{}, ErrMissingHeaders
	}
	if len(id) > maxIDLen {
		return Delivery{}, fmt.Errorf("%w: webhook-id longer than %d bytes", ErrInvalidHeaders, maxIDLen)
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return Delivery{}, fmt.Errorf("%w: webhook-timestamp %q is not whole seconds", ErrInvalidHeaders, tsText)
	}
	now := v.now().Unix()
	tol := int64(v.tolerance / time.Second)
	switch {
	case ts < now-tol:
		return Delivery{}, fmt.Errorf("%w: signed %d s ago, tolerance %s", ErrTooOld, now-ts, v.tolerance)
	case ts > now+tol:
		return Delivery{}, fmt.Errorf("%w: signed %d s ahead, tolerance %s", ErrTooNew, ts-now, v.tolerance)
	}
	if !v.matches(id, ts, body, sig) {
		return Delivery{}, ErrBadSignature
	}
	d := Delivery{ID: id, Timestamp: time.Unix(ts, 0), Body: body}
	seen, err := v.seen.Remember(ctx, id, d.Timestamp.Add(v.retain))
	if err != nil {
		return Delivery{}, fmt.Errorf("webhook: remembering %s: %w", id, err)
	}
	if seen {
		return d, fmt.Errorf("%w: %s", ErrDuplicate, id)
	}
	return d, nil
}

// matches reports whether any v1 signature in the header is the MAC of
// the message under any secret.
func (v *Verifier) matches(id string, ts int64, body []byte, header string) bool {
	var want [][]byte
	for _, s := range v.secrets {
		want = append(want, mac(s.key, id, ts, body))
	}
	for i, part := range strings.Fields(header) {
		if i >= 16 { // bound the work an attacker can ask for
			break
		}
		version, b64, ok := strings.Cut(part, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			continue
		}
		for _, w := range want {
			if hmac.Equal(got, w) {
				return true
			}
		}
	}
	return false
}

// Forget drops an accepted ID, for a receiver that could not keep the
// message and answers with an error so that the sender retries.
func (v *Verifier) Forget(ctx context.Context, id string) error {
	return v.seen.Forget(ctx, id)
}

// Handler returns an http.Handler for a webhook endpoint. It reads the
// body (up to MaxBody; 413 beyond), verifies it and calls accept once per
// authentic ID:
//
//	400 missing or unreadable headers, 401 bad signature or stale timestamp
//	204 accepted, or a duplicate (acknowledged, accept not called again)
//	422 accept returned an error wrapping ErrUnacceptable (the sender parks it)
//	500 any other accept error (the ID is forgotten; the sender retries)
//	503 the SeenStore failed
func (v *Verifier) Handler(accept func(ctx context.Context, d Delivery) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "post webhook deliveries", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, v.maxBody+1))
		if err != nil {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		if int64(len(body)) > v.maxBody {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		ctx := r.Context()
		d, err := v.Verify(ctx, r.Header, body)
		switch {
		case errors.Is(err, ErrDuplicate):
			w.WriteHeader(http.StatusNoContent)
			return
		case errors.Is(err, ErrMissingHeaders), errors.Is(err, ErrInvalidHeaders):
			v.log.WarnContext(ctx, "webhook: refused delivery", "reason", err.Error())
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		case errors.Is(err, ErrBadSignature), errors.Is(err, ErrTooOld), errors.Is(err, ErrTooNew):
			v.log.WarnContext(ctx, "webhook: refused delivery", "reason", err.Error(), "id", r.Header.Get(HeaderID))
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		case err != nil:
			v.log.ErrorContext(ctx, "webhook: seen-ID store failed", "err", err)
			http.Error(w, "try again later", http.StatusServiceUnavailable)
			return
		}
		if err := accept(ctx, d); err != nil {
			if ferr := v.Forget(context.WithoutCancel(ctx), d.ID); ferr != nil {
				v.log.ErrorContext(ctx, "webhook: cannot forget a delivery that was not kept", "id", d.ID, "err", ferr)
			}
			if errors.Is(err, ErrUnacceptable) {
				http.Error(w, err.Error(), http.StatusUnprocessableEntity)
				return
			}
			v.log.ErrorContext(ctx, "webhook: delivery not kept", "id", d.ID, "err", err)
			http.Error(w, "not kept; retry", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

var discard = slog.New(slog.DiscardHandler)
