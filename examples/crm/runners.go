package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/runner"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/webhook"
)

// RunnerConfig sets the background runners of one replica. Every
// replica runs the same set; they coordinate only through the store
// (idempotent derivation, versioned writes, leases), so any number may
// run on one database. A zero interval switches that runner off.
type RunnerConfig struct {
	// Derive is how often pending ticket events are derived into
	// follow-ups (F1–F13) when no write wakes the runner sooner (writes
	// of this process wake it, and with Config.Listen those of the
	// other replicas too: the poll is then only a safety net, for a
	// notification lost with the replica that wrote).
	Derive time.Duration
	// Leases is how often claimed follow-ups whose lease expired (the
	// worker went away) are released (runner.ExpireLeases), so lists and
	// handover (T15) show them as open work again.
	Leases time.Duration
	// Escalate is how often tickets past a deadline (T4, T5, T7, T13) or
	// stagnating (T10) that have not been escalated yet are raised one
	// level by the system role (T6).
	Escalate time.Duration
	// Roster is how often each desk's rotation is extended so that it
	// always reaches Config.RosterCycles three-week cycles (R3) past
	// today (extendRotation): a replica that runs for months keeps a
	// roster, and replicas extend the one rotation, never publish two.
	Roster time.Duration
	// Webhook, if its URL is set, delivers every ticket event to it,
	// signed, at least once.
	Webhook WebhookConfig
}

// WebhookConfig is the outbox delivery: the library's webhook.Sender,
// signing per Standard Webhooks (receivers dedupe by the signed
// webhook-id), retrying 5xx and timeouts with backoff and jitter and
// parking refused events in its dead-letter list. Every replica runs
// one, but only the delivering replica (Config.DeliveryLeader) sends;
// an event may still go out twice when the part passes from a replica
// that died mid-round (at least once), never is one lost.
type WebhookConfig struct {
	URL     string
	Secrets []string // "whsec_..." secrets; two during a rotation
	Every   time.Duration
}

// startRunners starts the replica's runners (package runner of the
// library: poll plus wake-up, backoff with jitter, a grace period for
// the round in flight when ctx ends) and returns a function that waits
// for them to stop. A runner never holds a request: writes only wake
// the derivation runner. A runner it cannot make (a webhook URL the
// sender refuses) is an error, and then none is started.
func (s *server) startRunners(ctx context.Context, rc RunnerConfig) (wait func(), err error) {
	var rs []*runner.Runner
	var errs []error
	add := func(r *runner.Runner, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		rs = append(rs, r)
	}
	if rc.Derive > 0 && s.cfg.DrainInRequest {
		// The old wiring's runner, as it was: it polls; writes drain in
		// the request.
		syncs := make([]*followup.TicketSync, 0, len(s.cfg.Desks))
		for _, name := range s.cfg.Desks {
			syncs = append(syncs, s.desks[name].sync)
		}
		add(runner.Derive(runner.Config{Interval: rc.Derive, Wake: s.wake, Logger: s.log, Batch: deriveBatch}, syncs...))
	} else if rc.Derive > 0 {
		var others <-chan struct{}
		if s.cfg.Listen != nil {
			// Other replicas' writes wake the runner too.
			others = s.listen(ctx)
		}
		jobs := make([]runner.Job, 0, len(s.cfg.Desks))
		for _, name := range s.cfg.Desks {
			ts := s.desks[name].sync
			jobs = append(jobs, func(ctx context.Context) (int, error) {
				n, err := ts.Run(ctx, deriveBatch)
				if n < deriveBatch {
					return 0, err // the outbox is drained: wait for the next wake-up
				}
				return n, err
			})
		}
		wake := gather(ctx, deriveGap, s.wake, others)
		add(runner.New("derive", runner.Config{Interval: rc.Derive, Wake: wake, Logger: s.log, Batch: deriveBatch}, s.cfg.Desks, jobs...))
	}
	if rc.Leases > 0 {
		queues := make([]*followup.Queue, 0, len(s.cfg.Desks))
		for _, name := range s.cfg.Desks {
			queues = append(queues, s.desks[name].queue)
		}
		add(runner.ExpireLeases(runner.Config{Interval: rc.Leases, Logger: s.log}, queues...))
	}
	if rc.Escalate > 0 && s.cfg.Preset == PresetGeneral {
		// The general desk escalates by its Policy.Escalation: each
		// ticket, clock and level once, whatever the replicas.
		svcs := make([]*ticket.Service, 0, len(s.cfg.Desks))
		for _, name := range s.cfg.Desks {
			svcs = append(svcs, s.desks[name].tickets)
		}
		add(runner.Escalate(runner.Config{Interval: rc.Escalate, Logger: s.log}, escalator, svcs...))
	} else if rc.Escalate > 0 {
		jobs := make([]runner.Job, 0, len(s.cfg.Desks))
		for _, name := range s.cfg.Desks {
			d := s.desks[name]
			jobs = append(jobs, func(ctx context.Context) (int, error) { return s.escalateDesk(ctx, d) })
		}
		add(runner.New("escalate", runner.Config{Interval: rc.Escalate, Logger: s.log}, s.cfg.Desks, jobs...))
	}
	if rc.Roster > 0 {
		jobs := make([]runner.Job, 0, len(s.cfg.Desks))
		for _, name := range s.cfg.Desks {
			d := s.desks[name]
			jobs = append(jobs, func(ctx context.Context) (int, error) { return 0, s.extendDesk(ctx, d) })
		}
		add(runner.New("roster", runner.Config{Interval: rc.Roster, Logger: s.log}, s.cfg.Desks, jobs...))
	}
	if rc.Webhook.URL != "" {
		snd, err := webhook.New(s.cfg.Tickets, webhook.Config{URL: rc.Webhook.URL, Secrets: rc.Webhook.Secrets, Logger: s.log})
		if err != nil {
			return nil, fmt.Errorf("-webhook-url: %w", err)
		}
		// Only the delivering replica sends (Config.DeliveryLeader);
		// every replica used to send every event.
		add(runner.Deliver(runner.Config{Interval: max(rc.Webhook.Every, 100*time.Millisecond), Logger: s.log,
			Leader: s.cfg.DeliveryLeader}, snd))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Go(func() { _ = r.Run(ctx) })
	}
	return wg.Wait, nil
}

// listen returns the wake-ups of the other replicas' writes
// (Config.Listen). If Listen fails (the database away at that moment),
// it is tried again with backoff until it succeeds or ctx ends, the
// poll serving meanwhile; the replica used to poll for the rest of its
// life. The channel closes when the listener stops.
func (s *server) listen(ctx context.Context) <-chan struct{} {
	others, err := s.cfg.Listen(ctx)
	if err == nil {
		return others
	}
	s.log.Warn("no wake-up from other replicas yet; polling, and listening again", "err", err)
	out := make(chan struct{}, 1)
	wake := func() {
		select {
		case out <- struct{}{}:
		default:
		}
	}
	go func() {
		defer close(out)
		var ch <-chan struct{}
		for wait := listenRetry; ; wait = min(2*wait, 30*time.Second) {
			if !sleep(ctx, wait) {
				return
			}
			var err error
			if ch, err = s.cfg.Listen(ctx); err == nil {
				break
			}
			s.log.Warn("no wake-up from other replicas yet; polling, and listening again", "err", err, "wait", wait)
		}
		s.log.Info("woken by other replicas' writes again")
		wake() // events may have committed while nobody listened
		for range ch {
			wake()
		}
	}()
	return out
}

// listenRetry is the first wait before Listen is tried again.
const listenRetry = 100 * time.Millisecond

// The derivation runner takes up to deriveBatch events a round and
// starts rounds at least deriveGap apart when woken: under load, writes
// come far faster than rounds are worth running, and each round costs
// the database a read of the outbox and an acknowledgement whatever its
// size, so wake-ups within deriveGap merge into one larger round.
// Throughput choices, not rules: follow-ups are due hours or days later
// (F1–F13).
const (
	deriveBatch = 256
	deriveGap   = 100 * time.Millisecond
)

// gather forwards wake-ups from a and b (either may be nil) as one
// channel, at most one every gap: those that arrive within gap of the
// last one forwarded merge into one, sent when gap has passed. It stops
// when ctx ends.
func gather(ctx context.Context, gap time.Duration, a, b <-chan struct{}) <-chan struct{} {
	out := make(chan struct{}, 1)
	go func() {
		var last time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case <-a:
			case _, ok := <-b:
				if !ok {
					b = nil // the listener stopped: local wake-ups and polls remain
					continue
				}
			}
			if wait := gap - time.Since(last); wait > 0 && !sleep(ctx, wait) {
				return
			}
			// Wake-ups that came during the wait are answered by this one.
			for drained := false; !drained; {
				select {
				case <-a:
				case _, ok := <-b:
					if !ok {
						b = nil
					}
				default:
					drained = true
				}
			}
			last = time.Now()
			select {
			case out <- struct{}{}:
			default:
			}
		}
	}()
	return out
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
		if _, err := s.escalateDesk(ctx, s.desks[name]); err != nil {
			return err
		}
	}
	return nil
}

// escalateDesk is escalateOverdue for one desk; it returns how many
// tickets it raised.
func (s *server) escalateDesk(ctx context.Context, d *desk) (int, error) {
	raised := 0
	done := map[[16]byte]bool{}
	q := ticket.OverdueQuery{Limit: 200}
	for {
		od, err := d.tickets.Overdue(ctx, q)
		if err != nil || len(od) == 0 {
			return raised, err
		}
		q.After = od[len(od)-1].Cursor()
		n, err := s.escalatePage(ctx, d, od, done)
		raised += n
		if err != nil {
			return raised, err
		}
	}
}

// escalatePage raises the tickets of one page of overdue entries that
// are not escalated yet and not raised before (done).
func (s *server) escalatePage(ctx context.Context, d *desk, od []ticket.Overdue, done map[[16]byte]bool) (int, error) {
	raised := 0
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
			raised++
			s.log.Info("ticket escalated", "desk", d.name, "ticket", t, "reason", reason)
			s.afterWrite(ctx, d)
		case errors.Is(err, ticket.ErrConflict), errors.Is(err, ticket.ErrInvalidTransition), errors.Is(err, ticket.ErrNotFound):
		default:
			return raised, err
		}
	}
	return raised, nil
}

// sleep waits d, or less if ctx ends first; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
