package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// Sender posts a desk's ticket events to a webhook. It reads the ticket
// outbox as its own consumer and acknowledges an event only after the
// receiver answered 2xx, so every event is delivered at least once, in
// order, across crashes and receiver outages. Each request carries:
//
//	Content-Type: application/json      (a ticket.EventSchema message)
//	Idempotency-Key: <event ID>         (the receiver drops repeats by it)
//	X-Desk-Event: <action>
//	X-Desk-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>
type Sender struct {
	Outbox   ticket.Outbox
	Consumer string // the outbox consumer name, e.g. "webhook"
	Desk     string // the desk scope; "" for every desk
	URL      string
	Secret   []byte
	Client   *http.Client // nil: a client with a 10 s timeout

	Attempts int                             // tries per event per Flush; 0: 5
	Backoff  func(attempt int) time.Duration // wait before retry n; nil: 100ms·2ⁿ up to 5 s
	Sleep    func(ctx context.Context, d time.Duration) error
}

// Sign returns the signature header value for body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is the signature of body; receivers call it
// before trusting a delivery.
func Verify(secret, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(sig))
}

// ErrUndelivered is returned when an event could not be delivered within
// the attempts of one Flush; it stays in the outbox for the next.
var ErrUndelivered = errors.New("webhook: event not delivered")

// Flush delivers pending events until none is left or one fails after
// all its attempts. It returns how many were delivered.
func (s *Sender) Flush(ctx context.Context) (int, error) {
	sent := 0
	for {
		batch, err := s.Outbox.Pending(ctx, s.Consumer, s.Desk, 50)
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			return sent, nil
		}
		for _, e := range batch {
			if err := s.deliver(ctx, e); err != nil {
				return sent, err
			}
			if err := s.Outbox.Ack(ctx, s.Consumer, s.Desk, e.ID); err != nil {
				return sent, err
			}
			sent++
		}
	}
}

func (s *Sender) deliver(ctx context.Context, e ticket.Event) error {
	body, err := ticket.MarshalEvent(e)
	if err != nil {
		return err
	}
	attempts := s.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	var last error
	for n := range attempts {
		if n > 0 {
			if err := s.sleep(ctx, s.backoff(n)); err != nil {
				return err
			}
		}
		if last = s.post(ctx, e, body); last == nil {
			return nil
		}
	}
	return fmt.Errorf("%w: %s after %d attempts: %v", ErrUndelivered, e.ID, attempts, last)
}

func (s *Sender) post(ctx context.Context, e ticket.Event, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", e.ID.String())
	req.Header.Set("X-Desk-Event", string(e.Action))
	req.Header.Set("X-Desk-Signature", Sign(s.Secret, body))
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("receiver answered %s", resp.Status)
	}
	return nil
}

func (s *Sender) backoff(n int) time.Duration {
	if s.Backoff != nil {
		return s.Backoff(n)
	}
	return min(100*time.Millisecond<<n, 5*time.Second)
}

func (s *Sender) sleep(ctx context.Context, d time.Duration) error {
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
