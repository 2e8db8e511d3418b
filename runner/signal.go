package runner

import (
	"context"

	"github.com/servicedesk-go/desk/observe"
)

// Signal wakes a runner when a ticket action lands. Set it as (or among,
// with observe.Multi) the ticket service's Observer and pass C() as the
// runner's Wake; it never blocks the action.
type Signal struct{ c chan struct{} }

// NewSignal returns a signal with nothing pending.
func NewSignal() *Signal { return &Signal{c: make(chan struct{}, 1)} }

// Notify wakes the runner; notifications while one is pending merge.
func (s *Signal) Notify() {
	select {
	case s.c <- struct{}{}:
	default:
	}
}

// C is the channel to pass as Config.Wake.
func (s *Signal) C() <-chan struct{} { return s.c }

// Observe implements observe.Observer: every successful ticket action
// writes an outbox event, so it notifies.
func (s *Signal) Observe(_ context.Context, r observe.Report) {
	if r.Op == observe.Action && r.Outcome == observe.OK {
		s.Notify()
	}
}
