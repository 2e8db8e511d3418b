package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
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

// WebhookConfig is the outbox delivery: the library's webhook.Sender,
// signing per Standard Webhooks (receivers dedupe by the signed
// webhook-id), retrying 5xx and timeouts with backoff and jitter and
// parking refused events in its dead-letter list. Every replica runs
// one; two replicas may deliver an event twice (at least once), never
// lose one.
type WebhookConfig struct {
	URL     string
	Secrets []string // "whsec_..." secrets; two during a rotation
	Every   time.Duration
}

// startRunners starts the replica's runners and returns a function that
// waits for them to stop after ctx is done. A runner never holds a
// request: writes only wake the derivation runner.
func (s *server) startRunners(ctx context.Context, rc RunnerConfig) (wait func()) {
	var wg sync.WaitGroup
	loop := func(name string, every, settle time.Duration, wake <-chan struct{}, round func(context.Context) error) {
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
					// Let the writes of the next moments join this round:
					// one outbox read then derives a batch, not one event.
					select {
					case <-ctx.Done():
						return
					case <-time.After(min(settle, every)):
					}
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
	loop("derive", rc.Derive, 20*time.Millisecond, s.wake, func(ctx context.Context) error {
		s.drainAll(ctx)
		return nil
	})
	loop("leases", rc.Leases, 0, nil, s.returnExpired)
	loop("escalate", rc.Escalate, 0, nil, s.escalateOverdue)
	if rc.Webhook.URL != "" {
		snd, err := webhook.New(s.cfg.Tickets, webhook.Config{URL: rc.Webhook.URL, Secrets: rc.Webhook.Secrets, Logger: s.log})
		if err != nil {
			s.log.Error("webhook delivery off", "err", err)
		} else {
			loop("webhook", max(rc.Webhook.Every, 100*time.Millisecond), 0, nil, func(ctx context.Context) error {
				_, err := snd.Flush(ctx)
				return err
			})
		}
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
