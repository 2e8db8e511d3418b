package followup_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// clock is a settable clock shared by the ticket service and the queue.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(t time.Time) *clock { return &clock{now: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *clock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// ids makes deterministic UUIDs.
type ids struct {
	mu sync.Mutex
	n  int
}

func (g *ids) New() uuid.UUID {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n++
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(g.n >> 24), byte(g.n >> 16), byte(g.n >> 8), byte(g.n)})
}

// Monday 2 March 2026, 10:00 in UTC+8.
var (
	shanghai = time.FixedZone("CST", 8*3600)
	monday   = time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	hours    = followup.ContactHours{Open: 9 * time.Hour, Close: 20 * time.Hour, Location: shanghai}
)

var (
	agent    = ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	lead     = ticket.Actor{ID: "zhao", Role: ticket.RoleRepairLead}
	director = ticket.Actor{ID: "chen", Role: ticket.RoleDirector}
)

// desk is a property desk wired as doc.go describes.
type desk struct {
	clock   *clock
	tickets *ticket.Service
	store   *followup.MemStore
	deriver *followup.Deriver
	queue   *followup.Queue
	sync    *followup.TicketSync
}

func newDesk(t *testing.T, name string, rules followup.RuleSet) *desk {
	t.Helper()
	c := newClock(monday)
	g := &ids{}
	pol := ticket.PropertyDesk()
	ts, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: name, Policy: &pol, Now: c.Now, NewID: g.New})
	if err != nil {
		t.Fatal(err)
	}
	store := followup.NewMemStore()
	return wire(t, name, c, g, ts, store, rules)
}

func wire(t *testing.T, name string, c *clock, g *ids, ts *ticket.Service, store *followup.MemStore, rules followup.RuleSet) *desk {
	t.Helper()
	d, err := followup.NewDeriver(store, followup.DeriverConfig{Desk: name, Rules: rules, Calendar: hours, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	q, err := followup.NewQueue(store, followup.QueueConfig{Desk: name, Tickets: ts, Calendar: hours, Now: c.Now, NewID: g.New})
	if err != nil {
		t.Fatal(err)
	}
	s, err := followup.NewTicketSync(ts, d, q, ts)
	if err != nil {
		t.Fatal(err)
	}
	return &desk{clock: c, tickets: ts, store: store, deriver: d, queue: q, sync: s}
}

func (d *desk) drain(t *testing.T) {
	t.Helper()
	if _, err := d.sync.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// repair receives a repair of the category and takes it to resolved.
func (d *desk) repair(t *testing.T, category string) *ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	tk, err := d.tickets.Receive(ctx, agent, ticket.Intake{
		Kind: ticket.Repair, Category: category, Channel: ticket.Phone,
		Fields: map[string]string{
			ticket.FieldPerson: "resident 3-201", ticket.FieldPhone: "ref:3-201",
			ticket.FieldLocation: "building 3, 201", ticket.FieldItem: "kitchen pipe",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if tk, err = d.tickets.Dispatch(ctx, agent, ticket.Ref{ID: tk.ID}, ticket.Assignment{Assignee: "zhao"}); err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(2 * time.Hour)
	if tk, err = d.tickets.Resolve(ctx, lead, ticket.Ref{ID: tk.ID}, "pipe replaced"); err != nil {
		t.Fatal(err)
	}
	return tk
}

// answerAndAccept tells the customer and records their acceptance.
func (d *desk) answerAndAccept(t *testing.T, id uuid.UUID) *ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	if _, err := d.tickets.Answer(ctx, agent, ticket.Ref{ID: id}, "told the resident"); err != nil {
		t.Fatal(err)
	}
	tk, err := d.tickets.Accept(ctx, agent, ticket.Ref{ID: id}, "resident accepts")
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func tasksOf(t *testing.T, q *followup.Queue, f followup.Filter) []*followup.Task {
	t.Helper()
	ts, err := q.List(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func onlyTask(t *testing.T, q *followup.Queue, rule string) *followup.Task {
	t.Helper()
	ts := tasksOf(t, q, followup.Filter{Rule: rule})
	if len(ts) != 1 {
		t.Fatalf("%d tasks of rule %s, want 1", len(ts), rule)
	}
	return ts[0]
}

// claimTask claims the due tasks of the task's role and returns the
// one with that ID.
func claimTask(t *testing.T, q *followup.Queue, worker string, id uuid.UUID) *followup.Task {
	t.Helper()
	want, err := q.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := q.Claim(context.Background(), worker, want.Role, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got *followup.Task
	for _, x := range ts {
		if x.ID == id {
			got = x
		}
	}
	if got == nil {
		t.Fatalf("task %s was not claimable by %s (claimed %d others)", id, worker, len(ts))
	}
	return got
}

func revisitDone(by ticket.Actor) followup.Outcome {
	return followup.Outcome{
		Result: followup.Reached, By: by, Channel: followup.OnSite,
		Checked: followup.RevisitChecklist(), SignedBy: "sig-0001", Satisfaction: 5,
	}
}
