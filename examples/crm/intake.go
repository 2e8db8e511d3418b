package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/servicedesk-go/desk/store"
	"github.com/servicedesk-go/desk/ticket"
)

// maxIntakeGroup bounds how many intakes share one transaction, and
// intakeGroups how many groups are written at once (while one waits for
// its commit, the next is sent): throughput choices, not rules.
const (
	maxIntakeGroup = 64
	intakeGroups   = 2
)

// intakeGroup writes concurrent intakes together with the library's
// ticket.Service.ReceiveBatch (group commit). On PostgreSQL every create
// takes its desk's case-number row (T2: numbers without gaps) and holds
// it until its commit is flushed, so one desk's creates queue behind
// one another's commits; a batch is one statement that takes the row
// once for the whole group and waits for one flush.
//
// Nothing waits for a group to fill: an intake that arrives while fewer
// than intakeGroups groups are being written is written at once, alone;
// those that arrive meanwhile form the next group. The caller whose
// intake heads a group writes it, then hands the next group to the
// first caller waiting, so no request serves others for long.
//
// Every caller is answered only after its own ticket committed: an
// acknowledged ticket is stored. An intake the service refuses (bad
// input, a role that may not receive) gets its own error and does not
// affect the group. If the store refuses a group, nothing of it was
// written and each intake of it is written again alone, so no caller
// fails because of another's intake; if the store is unavailable (the
// group may or may not have committed, as for a single write whose
// commit fails) the callers are told so (503) and nothing is retried.
type intakeGroup struct {
	// batch writes one service's receipts; nil means
	// ticket.Service.ReceiveBatch (tests watch or fail it).
	batch  func(ctx context.Context, svc *ticket.Service, rs []ticket.Receipt) ([]*ticket.Ticket, []error, error)
	max    int // intakes per group
	groups int // groups written at once

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
	// to its first caller or retire; even if the write panics (the
	// service's recoverer answers c and serves on), or the others would
	// wait for ever and, with this writer lost, so would later intakes.
	defer g.handOn(c)
	g.write(c.group)
	return c.t, c.err
}

// errGroupAborted answers the callers of a group whose write panicked.
var errGroupAborted = errors.New("crm: the write of this intake's group stopped with an internal error; the intake may or may not be stored")

// handOn answers the other callers of the group c wrote (with
// errGroupAborted those the write left unanswered) and hands the next
// group to its first caller, or retires c's writer.
func (g *intakeGroup) handOn(c *intakeCall) {
	for _, o := range c.group[1:] {
		if o.t == nil && o.err == nil {
			o.err = errGroupAborted
		}
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
}

// pop takes the next group off the queue; g.mu is held.
func (g *intakeGroup) pop() []*intakeCall {
	n := min(len(g.queue), g.max)
	group := make([]*intakeCall, n)
	copy(group, g.queue)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	return group
}

// write stores a group and sets each call's answer: the calls of each
// service (desk) as one batch.
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
	for len(group) > 0 {
		svc := group[0].svc
		var same, rest []*intakeCall
		for _, c := range group {
			if c.svc == svc {
				same = append(same, c)
			} else {
				rest = append(rest, c)
			}
		}
		g.writeBatch(ctx, svc, same)
		group = rest
	}
}

// writeBatch writes the calls of one service.
func (g *intakeGroup) writeBatch(ctx context.Context, svc *ticket.Service, calls []*intakeCall) {
	rs := make([]ticket.Receipt, len(calls))
	for i, c := range calls {
		rs[i] = ticket.Receipt{By: c.by, Intake: c.in}
	}
	var (
		tickets []*ticket.Ticket
		errs    []error
		err     error
	)
	if g.batch != nil {
		tickets, errs, err = g.batch(ctx, svc, rs)
	} else {
		tickets, errs, err = svc.ReceiveBatch(ctx, rs)
	}
	for i, c := range calls {
		switch {
		case errs[i] != nil || tickets[i] != nil:
			c.t, c.err = tickets[i], errs[i]
		case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
			// Whether the batch committed is unknown.
			c.t, c.err = nil, err
		default:
			// The store refused the batch and wrote nothing of it.
			c.t, c.err = svc.Receive(c.ctx, c.by, c.in)
		}
	}
}
