package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// IntakeWriter writes a group of intakes (T2) atomically, all or
// none (Config.IntakeWriter). It runs each call's intake with the call's
// service and sets the call's answer; stored[i] tells whether the i-th
// intake reached the store (one refused before, for bad input or a role
// that may not receive, did not). A non-nil error means the store
// failed and nothing of the group was written: the answers are void.
type IntakeWriter func(ctx context.Context, group []*intakeCall) (stored []bool, err error)

// maxIntakeGroup bounds how many intakes share one transaction, and
// intakeGroups how many groups are written at once (while one waits for
// its commit, the next is sent): throughput choices, not rules.
const (
	maxIntakeGroup = 64
	intakeGroups   = 2
)

// intakeGroup writes concurrent intakes in shared transactions (group
// commit). On PostgreSQL every create increments its desk's case-number
// row (T2: numbers without gaps) and holds that row until its commit is
// flushed, so one desk's creates queue behind one another's commits;
// written together, a group takes the row and waits for the flush once.
//
// Nothing waits for a group to fill: an intake that arrives while fewer
// than intakeGroups groups are being written is written at once, alone;
// those that arrive meanwhile form the next group. The caller whose
// intake heads a group writes it, then hands the next group to the
// first caller waiting, so no request serves others for long.
//
// Every caller is answered only after its own transaction committed: an
// acknowledged ticket is stored. An intake the service refuses (bad
// input, a role that may not receive) never reaches the store and
// leaves the group's transaction as it was. If the store fails while a
// group is written, the group is rolled back and each intake of it is
// written again alone, so no caller fails because of another's intake.
type intakeGroup struct {
	writeGroup IntakeWriter
	max        int // intakes per group
	groups     int // groups written at once

	mu      sync.Mutex
	queue   []*intakeCall // waiting, in arrival order
	writers int           // groups being written
}

// intakeCall is one waiting intake and, once done, its answer.
type intakeCall struct {
	ctx  context.Context
	svc  *ticket.Service
	by   ticket.Actor
	in   ticket.Intake
	t    *ticket.Ticket
	err  error
	done chan bool // true: write group; false: answered
	// group is the group this call heads and writes.
	group []*intakeCall
}

// receive writes the intake with the desk's service and returns the
// stored ticket, as svc.Receive does.
func (g *intakeGroup) receive(ctx context.Context, svc *ticket.Service, by ticket.Actor, in ticket.Intake) (*ticket.Ticket, error) {
	c := &intakeCall{ctx: ctx, svc: svc, by: by, in: in, done: make(chan bool, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	if g.writers < g.groups {
		// Fewer groups are being written than may be: the queue held
		// nothing before c (waiters exist only while every writer is
		// busy), so c is written at once.
		g.writers++
		c.group = g.pop()
		g.mu.Unlock()
	} else {
		g.mu.Unlock()
		if !<-c.done {
			return c.t, c.err
		}
	}
	// c heads c.group: write it, answer the others, hand the next group
	// to its first caller or retire.
	g.write(c.group)
	for _, o := range c.group[1:] {
		o.done <- false
	}
	g.mu.Lock()
	if len(g.queue) == 0 {
		g.writers--
		g.mu.Unlock()
	} else {
		next := g.pop()
		next[0].group = next
		g.mu.Unlock()
		next[0].done <- true
	}
	return c.t, c.err
}

// pop takes the next group off the queue; g.mu is held.
func (g *intakeGroup) pop() []*intakeCall {
	n := min(len(g.queue), g.max)
	group := make([]*intakeCall, n)
	copy(group, g.queue)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	return group
}

// write stores a group and sets each call's answer.
func (g *intakeGroup) write(group []*intakeCall) {
	if len(group) == 1 {
		c := group[0]
		c.t, c.err = c.svc.Receive(c.ctx, c.by, c.in)
		return
	}
	// The group outlives the request of the caller writing it: others
	// wait on it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), 30*time.Second)
	defer cancel()
	stored, err := g.writeGroup(ctx, group)
	if err == nil {
		return
	}
	var ambiguous *commitUnknownError
	if errors.As(err, &ambiguous) {
		// Whether it committed is unknown, as for a single write whose
		// commit fails: the callers are told it failed.
		for i, c := range group {
			if stored[i] {
				c.t, c.err = nil, err
			}
		}
		return
	}
	// The store refused the group, so nothing of it was written: write
	// each intake that reached the store alone.
	for i, c := range group {
		if stored[i] {
			c.t, c.err = c.svc.Receive(c.ctx, c.by, c.in)
		}
	}
}

// commitUnknownError is an IntakeWriter's failure after which the group
// may have been written or not (the connection broke once it was sent).
type commitUnknownError struct{ err error }

func (e *commitUnknownError) Error() string { return e.err.Error() }
func (e *commitUnknownError) Unwrap() error { return e.err }
