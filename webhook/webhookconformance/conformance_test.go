package webhookconformance

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// The reference library checks timestamps against the real clock, so
// these tests sign with the real clock too.

var (
	oldSecret = webhook.NewSecret()
	newSecret = webhook.NewSecret()
	body      = []byte(`{"schema":"servicedesk.event/v1","event":{"id":"0194f5c2-0000-7000-8000-000000000001"}}`)
)

func theirs(t *testing.T, secret string) *standardwebhooks.Webhook {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	return wh
}

func ours(t *testing.T, secrets ...string) *webhook.Verifier {
	t.Helper()
	v, err := webhook.NewVerifier(webhook.VerifierConfig{Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func oursSigned(t *testing.T, id string, ts time.Time, secrets ...string) http.Header {
	t.Helper()
	s, err := webhook.NewSigner(secrets...)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	s.SetHeaders(h, id, ts, body)
	return h
}

func theirsSigned(t *testing.T, id string, ts time.Time, secrets ...string) http.Header {
	t.Helper()
	h := http.Header{}
	h.Set(standardwebhooks.HeaderWebhookID, id)
	h.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(ts.Unix(), 10))
	var sigs []string
	for _, s := range secrets {
		sig, err := theirs(t, s).Sign(id, ts, body)
		if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, sig)
	}
	for i, s := range sigs {
		if i == 0 {
			h.Set(standardwebhooks.HeaderWebhookSignature, s)
		} else {
			h.Set(standardwebhooks.HeaderWebhookSignature, h.Get(standardwebhooks.HeaderWebhookSignature)+" "+s)
		}
	}
	return h
}

// TestSameSignature: for the same message and secret both libraries
// write the same webhook-signature value, and the same header names.
func TestSameSignature(t *testing.T) {
	ts := time.Unix(1_772_442_000, 0)
	mine, err := webhook.NewSigner(oldSecret)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := theirs(t, oldSecret).Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	if got := mine.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", ts, body); got != ref {
		t.Fatalf("ours %q, reference %q", got, ref)
	}
	if webhook.HeaderID != standardwebhooks.HeaderWebhookID || webhook.HeaderTimestamp != standardwebhooks.HeaderWebhookTimestamp ||
		webhook.HeaderSignature != standardwebhooks.HeaderWebhookSignature {
		t.Fatal("header names differ from the reference")
	}
}

// TestOursSignTheirsVerify: what our signer writes the reference
// verifier accepts, and what it must refuse it refuses.
func TestOursSignTheirsVerify(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name    string
		header  http.Header
		payload []byte
		verify  string // the reference verifier's secret
		want    error
	}{
		{"authentic", oursSigned(t, "evt_1", now, oldSecret), body, oldSecret, nil},
		{"bad_signature", oursSigned(t, "evt_1", now, oldSecret), body, newSecret, standardwebhooks.ErrNoMatchingSignature},
		{"body_changed", oursSigned(t, "evt_1", now, oldSecret), []byte(`{}`), oldSecret, standardwebhooks.ErrNoMatchingSignature},
		{"stale", oursSigned(t, "evt_1", now.Add(-10*time.Minute), oldSecret), body, oldSecret, standardwebhooks.ErrMessageTooOld},
		{"future", oursSigned(t, "evt_1", now.Add(10*time.Minute), oldSecret), body, oldSecret, standardwebhooks.ErrMessageTooNew},
		{"rotation_receiver_on_old", oursSigned(t, "evt_1", now, oldSecret, newSecret), body, oldSecret, nil},
		{"rotation_receiver_on_new", oursSigned(t, "evt_1", now, oldSecret, newSecret), body, newSecret, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := theirs(t, tc.verify).Verify(tc.payload, tc.header)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("reference Verify: %v, want %v", err, tc.want)
			}
		})
	}
}

// TestTheirsSignOursVerify: what the reference signs our verifier
// accepts, once per ID, and what it must refuse it refuses.
func TestTheirsSignOursVerify(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	cases := []struct {
		name    string
		header  http.Header
		payload []byte
		verify  []string
		want    error
	}{
		{"authentic", theirsSigned(t, "evt_1", now, oldSecret), body, []string{oldSecret}, nil},
		{"bad_signature", theirsSigned(t, "evt_1", now, newSecret), body, []string{oldSecret}, webhook.ErrBadSignature},
		{"body_changed", theirsSigned(t, "evt_1", now, oldSecret), []byte(`{}`), []string{oldSecret}, webhook.ErrBadSignature},
		{"stale", theirsSigned(t, "evt_1", now.Add(-10*time.Minute), oldSecret), body, []string{oldSecret}, webhook.ErrTooOld},
		{"future", theirsSigned(t, "evt_1", now.Add(10*time.Minute), oldSecret), body, []string{oldSecret}, webhook.ErrTooNew},
		{"rotation_signed_old_verifier_has_both", theirsSigned(t, "evt_1", now, oldSecret), body, []string{newSecret, oldSecret}, nil},
		{"rotation_signed_both_verifier_has_new", theirsSigned(t, "evt_1", now, oldSecret, newSecret), body, []string{newSecret}, nil},
		{"rotation_old_retired", theirsSigned(t, "evt_1", now, oldSecret), body, []string{newSecret}, webhook.ErrBadSignature},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := ours(t, tc.verify...)
			d, err := v.Verify(ctx, tc.header, tc.payload)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("our Verify: %v, want %v", err, tc.want)
			}
			if tc.want != nil {
				return
			}
			if d.ID != "evt_1" {
				t.Fatalf("delivery ID %q", d.ID)
			}
			// The same request again is a replay.
			if _, err := v.Verify(ctx, tc.header, tc.payload); !errors.Is(err, webhook.ErrDuplicate) {
				t.Fatalf("replay: %v, want ErrDuplicate", err)
			}
		})
	}
}

// TestSenderToReferenceReceiver: the outbox sender, end to end, against
// an endpoint that verifies with the reference library; a rotation with
// the receiver on either secret; a receiver on a retired secret answers
// 401 and the event is parked, not retried, and the rest go on.
func TestSenderToReferenceReceiver(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name          string
		send          []string
		receive       string
		delivered, pk int
	}{
		{"one_secret", []string{oldSecret}, oldSecret, 3, 0},
		{"rotation_receiver_on_old", []string{oldSecret, newSecret}, oldSecret, 3, 0},
		{"rotation_receiver_on_new", []string{oldSecret, newSecret}, newSecret, 3, 0},
		{"retired_secret", []string{oldSecret}, newSecret, 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := ticket.NewMemStore()
			svc, _ := ticket.New(store, ticket.Config{Desk: "north"})
			li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
			for range 3 {
				if _, err := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
					t.Fatal(err)
				}
			}
			wh := theirs(t, tc.receive)
			var mu sync.Mutex
			kept := map[string]bool{}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				if err := wh.Verify(b, r.Header); err != nil {
					http.Error(w, err.Error(), http.StatusUnauthorized)
					return
				}
				e, err := ticket.UnmarshalEvent(b)
				if err != nil || e.ID.String() != r.Header.Get("webhook-id") {
					http.Error(w, "id and body disagree", http.StatusBadRequest)
					return
				}
				mu.Lock()
				kept[e.ID.String()] = true
				mu.Unlock()
				w.WriteHeader(http.StatusNoContent)
			}))
			defer srv.Close()
			s, err := webhook.New(store, webhook.Config{URL: srv.URL, Secrets: tc.send, Desk: "north"})
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Flush(ctx)
			if err != nil || r.Delivered != tc.delivered || r.Parked != tc.pk || len(kept) != tc.delivered {
				t.Fatalf("flush %+v, %v, kept %d; want %d delivered, %d parked", r, err, len(kept), tc.delivered, tc.pk)
			}
		})
	}
}

// TestReferenceSenderToOurHandler: requests signed by the reference
// library pass our handler once per ID; a replay of a captured request
// is acknowledged without being kept again.
func TestReferenceSenderToOurHandler(t *testing.T) {
	v := ours(t, newSecret, oldSecret)
	var mu sync.Mutex
	kept := 0
	srv := httptest.NewServer(v.Handler(func(context.Context, webhook.Delivery) error {
		mu.Lock()
		kept++
		mu.Unlock()
		return nil
	}))
	defer srv.Close()
	post := func(h http.Header, payload []byte) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(payload))
		for k, vs := range h {
			req.Header[k] = vs
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	captured := theirsSigned(t, "evt_9", time.Now(), oldSecret)
	for i, want := range []int{204, 204} { // accepted, then the replay acknowledged
		if got := post(captured, body); got != want {
			t.Fatalf("post %d answered %d, want %d", i, got, want)
		}
	}
	forged := captured.Clone()
	forged.Set("webhook-id", "evt_10")
	if got := post(forged, body); got != http.StatusUnauthorized {
		t.Fatalf("forged ID answered %d", got)
	}
	if got := post(theirsSigned(t, "evt_10", time.Now(), newSecret), body); got != 204 {
		t.Fatalf("the real evt_10 answered %d", got)
	}
	if got := post(theirsSigned(t, "evt_11", time.Now().Add(-10*time.Minute), oldSecret), body); got != http.StatusUnauthorized {
		t.Fatalf("stale answered %d", got)
	}
	if kept != 2 {
		t.Fatalf("kept %d, want 2 (evt_9 once, evt_10)", kept)
	}
}
