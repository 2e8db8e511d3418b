package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// RunnerConfig sets the background runners of one replica. Every
// replica runs the same set; they coordinate only through the store
// (idempotent derivation, versioned writes, leases), so any number may
// run on one database. A zero interval switches that runner off.
type RunnerConfig struct {
	// Derive is how often pending ticket events are derived into
	// follow-ups (F1–F13) when no write of this process wakes the runner
	// sooner.
	Derive time.Duration
	// Leases is how often claimed follow-ups whose lease expired (the
	// worker went away) are returned to pending, so lists and handover
	// (T15) show them as open work again. Claim takes them back anyway;
	// this keeps what the desk sees true.
	Leases time.Duration
	// Escalate is how often tickets past a deadline (T4, T5, T7, T13) or
	// stagnating (T10) that have not been escalated yet are raised one
	// level by the system role (T6).
	Escalate time.Duration
	// Webhook, if its URL is set, delivers every ticket event to it,
	// signed, at least once.
	Webhook WebhookConfig
}

// WebhookConfig is the outbox delivery of the example. It signs per the
// Standard Webhooks scheme (webhook-id, webhook-timestamp and
// webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>"), so
// receivers dedupe by the signed ID. A 5xx or a timeout is retried with
// backoff and jitter; a 4xx is parked (logged with the answer and
// acknowledged), never blocking later events.
type WebhookConfig struct {
	URL    string
	Secret []byte
	Every  time.Duration
	Client *http.Client
}

// consumerWebhook is the outbox consumer name of webhook delivery.
const consumerWebhook = "webhook"

// startRunners starts the replica's runners and returns a function that
// waits for them to stop after ctx is done. A runner never holds a
// request: writes only wake the derivation runner.
func (s *server) startRunners(ctx context.Context, rc RunnerConfig) (wait func()) {
	var wg sync.WaitGroup
	loop := func(name string, every time.Duration, wake <-chan struct{}, round func(context.Context) error) {
		if every <= 0 {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			failures := 0
			for {
				wait := every
				if failures > 0 {
					// Backoff with jitter while the store is unavailable.
					wait = min(every<<min(failures, 6), time.Minute)
				}
				wait = wait/2 + rand.N(wait/2+1)
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-wake:
					t.Stop()
				case <-t.C:
				}
				if err := round(ctx); err != nil && ctx.Err() == nil {
					failures++
					s.log.Warn("runner round failed", "runner", name, "err", err)
				} else {
					failures = 0
				}
			}
		}()
	}
	loop("derive", rc.Derive, s.wake, func(ctx context.Context) error {
		s.drainAll(ctx)
		return nil
	})
	loop("leases", rc.Leases, nil, s.returnExpired)
	loop("escalate", rc.Escalate, nil, s.escalateOverdue)
	if rc.Webhook.URL != "" {
		wh := &webhook{s: s, cfg: rc.Webhook}
		if wh.cfg.Client == nil {
			wh.cfg.Client = &http.Client{Timeout: 10 * time.Second,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		}
		loop("webhook", max(rc.Webhook.Every, 100*time.Millisecond), nil, wh.round)
	}
	return wg.Wait
}

// returnExpired returns every desk's claimed tasks whose lease expired
// to pending. The write is versioned: a task another replica returned,
// or a worker completed, in the meantime is left alone.
func (s *server) returnExpired(ctx context.Context) error {
	now := s.now()
	for _, name := range s.cfg.Desks {
		ts, err := s.tasks.List(ctx, name, followup.Filter{Statuses: []followup.Status{followup.Claimed}, Limit: 500})
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.Lease.Expires.After(now) {
				continue
			}
			t.Status, t.Lease = followup.Pending, followup.Lease{}
			if err := s.tasks.Update(ctx, t); err != nil && !errors.Is(err, followup.ErrConflict) {
				return err
			}
		}
	}
	return nil
}

// escalator is the actor of the escalation runner.
var escalator = ticket.Actor{ID: "crm-escalation", Role: ticket.RoleSystem}

// escalateOverdue raises, by one level, every overdue ticket that is not
// escalated yet (T6). It writes at the version it read: if another
// replica escalated the ticket first, or anyone changed it, the write is
// a conflict and is skipped, so no ticket is raised twice for one
// overdue deadline.
func (s *server) escalateOverdue(ctx context.Context) error {
	for _, name := range s.cfg.Desks {
		d := s.desks[name]
		od, err := d.tickets.Overdue(ctx)
		if err != nil {
			return err
		}
		done := map[[16]byte]bool{}
		for _, o := range od {
			t := o.Ticket
			if t.Escalation.Level != ticket.LevelNone || done[t.ID] {
				continue
			}
			done[t.ID] = true
			reason := fmt.Sprintf("%s deadline passed (%s)", o.Deadline, o.Rule)
			_, err := d.tickets.Escalate(ctx, escalator, ticket.Ref{ID: t.ID, Version: t.Version}, 1, reason)
			switch {
			case err == nil:
				s.log.Info("ticket escalated", "desk", name, "ticket", t, "reason", reason)
				s.afterWrite(ctx, d)
			case errors.Is(err, ticket.ErrConflict), errors.Is(err, ticket.ErrInvalidTransition), errors.Is(err, ticket.ErrNotFound):
			default:
				return err
			}
		}
	}
	return nil
}

// webhook delivers each desk's ticket events in outbox order.
type webhook struct {
	s   *server
	cfg WebhookConfig
}

// round delivers what is pending, one desk after another; the first
// event that cannot be delivered now ends the desk's round (it is tried
// again, with backoff, next round).
func (wh *webhook) round(ctx context.Context) error {
	var firstErr error
	for _, name := range wh.s.cfg.Desks {
		d := wh.s.desks[name]
		evs, err := d.tickets.Pending(ctx, consumerWebhook, 100)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if err := wh.deliver(ctx, name, ev); err != nil {
				if firstErr == nil {
					firstErr = err
				}
				break
			}
			if err := d.tickets.Ack(ctx, consumerWebhook, ev.ID); err != nil {
				return err
			}
		}
	}
	return firstErr
}

// deliver posts one event. nil means acknowledge it: delivered (2xx) or
// parked (refused with a 4xx other than 408 and 429: the receiver will
// not take it however often it is sent).
func (wh *webhook) deliver(ctx context.Context, desk string, ev ticket.Event) error {
	body, err := ticket.MarshalEvent(ev)
	if err != nil {
		return err
	}
	id := ev.ID.String()
	ts := strconv.FormatInt(wh.s.now().Unix(), 10)
	mac := hmac.New(sha256.New, wh.cfg.Secret)
	fmt.Fprintf(mac, "%s.%s.", id, ts)
	mac.Write(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", ts)
	req.Header.Set("webhook-signature", "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	res, err := wh.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", id, err)
	}
	res.Body.Close()
	switch c := res.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c >= 400 && c < 500 && c != http.StatusRequestTimeout && c != http.StatusTooManyRequests:
		wh.s.log.Warn("webhook event parked: the receiver refused it", "desk", desk, "event", id, "status", c)
		return nil
	}
	return fmt.Errorf("webhook %s: receiver answered %s", id, res.Status)
}
