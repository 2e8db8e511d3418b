// Package observe is the hook through which the desk's services report
// what they do, for metrics and tracing, without a dependency: each
// ticket action, follow-up claim and completion, derivation from the
// outbox, lease expiry and webhook delivery is one Report to the
// configured Observer. The otel module implements an Observer with
// OpenTelemetry.
//
// With no Observer configured a service does not read the clock or
// build a Report, so the hook costs nothing when unused. Reports carry
// no personal data (S1): desk, kind, outcome and timing only.
package observe

import (
	"context"
	"time"
)

// Op is what was done.
type Op string

// The operations reported.
const (
	Action   Op = "action"   // a ticket action (Kind: the action, e.g. "dispatch")
	Claim    Op = "claim"    // a follow-up claim (Kind: the role asked for, or "any"; Count: tasks leased)
	Complete Op = "complete" // a follow-up completion (Kind: the outcome recorded)
	Derive   Op = "derive"   // follow-ups derived from ticket events (Count: events handled)
	Expire   Op = "expire"   // expired follow-up leases released (Count: tasks released)
	Deliver  Op = "deliver"  // one webhook delivery attempt (Kind: the event's action)
)

// Outcomes common to every Op; services add their own error classes
// ("conflict", "forbidden", "not_found", "invalid", "lease_lost",
// "parked", "retry", ...).
const (
	OK       = "ok"
	Failed   = "error"
	Canceled = "canceled"
)

// Report is one finished operation.
type Report struct {
	Op       Op
	Desk     string
	Kind     string
	Outcome  string
	Start    time.Time
	Duration time.Duration
	Count    int // items handled, where the Op handles several
}

// Observer receives reports. Observe is called synchronously on the
// caller's goroutine after the operation, with its context (so a tracer
// can find the parent span); it must be safe for concurrent use and
// quick.
type Observer interface {
	Observe(ctx context.Context, r Report)
}

// Func adapts a function to an Observer.
type Func func(ctx context.Context, r Report)

// Observe implements Observer.
func (f Func) Observe(ctx context.Context, r Report) { f(ctx, r) }

// Multi returns an Observer that reports to each of obs in turn (nil
// ones skipped), or nil if none is left.
func Multi(obs ...Observer) Observer {
	var m multi
	for _, o := range obs {
		if o != nil {
			m = append(m, o)
		}
	}
	switch len(m) {
	case 0:
		return nil
	case 1:
		return m[0]
	}
	return m
}

type multi []Observer

func (m multi) Observe(ctx context.Context, r Report) {
	for _, o := range m {
		o.Observe(ctx, r)
	}
}
