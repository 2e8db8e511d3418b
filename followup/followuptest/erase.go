package followuptest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// Dumper is implemented by a store, or a test's wrapper of a database,
// that can show everything it holds: every table, JSON body and outbox
// entry. The erasure cases search that dump for erased values; without
// it they dump the stores through their public methods.
type Dumper interface {
	Dump(ctx context.Context) (string, error)
}

// Database is a database holding both a desk's tickets and its
// follow-ups, with transactions over both (followup.Stores):
// postgres.Store and sqlite.Store are Databases.
type Database interface {
	followup.Stores
	Tickets() ticket.Store
	Followups() followup.Store
}

// RunDatabaseTests runs the cases that need a ticket store and a
// follow-up store in one database: erasing a customer everywhere (S1),
// all or nothing. newDB must return an empty, migrated database.
func RunDatabaseTests(t *testing.T, newDB func(t *testing.T) Database) {
	t.Run("S1_erase_customer_everywhere", func(t *testing.T) {
		db := newDB(t)
		eraseScenario(t, db, db.Tickets(), db.Followups(), db)
	})
	t.Run("S1_erase_all_or_nothing", func(t *testing.T) {
		db := newDB(t)
		eraseAllOrNothing(t, db)
	})
}

// eraseCase is the erasure case of RunStoreTests: the store under test
// keeps the follow-ups, an in-memory store the tickets.
func eraseCase(t *testing.T, s followup.Store) {
	tickets := ticket.NewMemStore()
	eraseScenario(t, followup.MemStores(tickets, s), tickets, s, s)
}

// secrets are the personal values the scenario stores: none may be left
// anywhere after the erasure.
var secrets = []string{
	"王建国", "13912345678", "Block 7 Room 1203", "110101199001011234",
	"s3://desk/sig/wang-1203.png", "signature-wang.png",
	"moved away; new number 13700001111", "13700001111", "spoke with his daughter Lily",
}

// scenario is a property desk over the stores, with a clock.
type scenario struct {
	t       *testing.T
	now     time.Time
	mu      sync.Mutex
	svc     *ticket.Service
	queue   *followup.Queue
	deriver *followup.Deriver
	sync    *followup.TicketSync
}

func (s *scenario) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

func (s *scenario) wait(d time.Duration) {
	s.mu.Lock()
	s.now = s.now.Add(d)
	s.mu.Unlock()
}

func newScenario(t *testing.T, tickets ticket.Store, tasks followup.Store, auth ticket.Authorizer) *scenario {
	t.Helper()
	sc := &scenario{t: t, now: T0}
	p := ticket.PropertyDesk()
	p.Attributes = map[string]ticket.AttrSpec{
		"remark":  {Type: ticket.AttrString},
		"id_card": {Type: ticket.AttrString, Personal: true},
	}
	svc, err := ticket.New(tickets, ticket.Config{Desk: "north", Policy: &p, Now: sc.clock, Authorizer: auth})
	if err != nil {
		t.Fatal(err)
	}
	d, err := followup.NewDeriver(tasks, followup.DeriverConfig{Desk: "north", Rules: followup.PropertyRules(1), Calendar: followup.AnyTime{}, Now: sc.clock})
	if err != nil {
		t.Fatal(err)
	}
	q, err := followup.NewQueue(tasks, followup.QueueConfig{Desk: "north", Tickets: svc, Calendar: followup.AnyTime{}, Now: sc.clock})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := followup.NewTicketSync(svc, d, q, svc)
	if err != nil {
		t.Fatal(err)
	}
	sc.svc, sc.queue, sc.deriver, sc.sync = svc, q, d, ts
	return sc
}

var (
	eraseAgent = ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	eraseDept  = ticket.Actor{ID: "zhao", Role: ticket.RoleDepartment}
	eraseLead  = ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}
)

// populate stores the customer's repair with every kind of text, its
// revisit that found a problem (the outcome note names a new number and
// is copied into the ticket), a linked case opened from that callback
// (T17), and a follow-up a CRM triggered for the customer. It returns the
// repair.
func (sc *scenario) populate() *ticket.Ticket {
	t := sc.t
	t.Helper()
	ctx := context.Background()
	must := func(tk *ticket.Ticket, err error) *ticket.Ticket {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	tk := must(sc.svc.Receive(ctx, eraseAgent, ticket.Intake{
		Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
		Fields:   map[string]string{"person": "王建国", "phone": "13912345678", "location": "Block 7 Room 1203", "item": "pipe at Block 7 Room 1203"},
		Customer: &ticket.Customer{ID: "crm-42", Name: "王建国", Phone: "13912345678", Address: "Block 7 Room 1203", Grade: "A"},
		Attrs:    map[string]string{"remark": "王建国 prefers mornings", "id_card": "110101199001011234"},
		Note:     "王建国 called from 13912345678",
		Attachments: []ticket.Attachment{
			{Name: "signature-wang.png", URI: "s3://desk/sig/wang-1203.png", ContentType: "image/png", Size: 2048,
				SHA256: strings.Repeat("ab", 32), Kind: "signature", Personal: true},
			{Name: "photo of 王建国's sink.jpg", URI: "https://files.example/13912345678/sink.jpg", ContentType: "image/jpeg", Size: 4096,
				SHA256: strings.Repeat("cd", 32), Kind: "photo"},
		},
	}))
	sc.wait(time.Minute)
	tk = must(sc.svc.Dispatch(ctx, eraseAgent, tk.Ref(), ticket.Assignment{Assignee: eraseDept.ID, Note: "call 王建国 first"}))
	sc.wait(time.Hour)
	tk = must(sc.svc.Resolve(ctx, eraseDept, tk.Ref(), "fixed the pipe at Block 7 Room 1203"))
	tk = must(sc.svc.Answer(ctx, eraseAgent, tk.Ref(), "told 王建国"))
	tk = must(sc.svc.Accept(ctx, eraseAgent, tk.Ref(), ""))
	if _, err := sc.sync.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	revisits, err := sc.queue.List(ctx, followup.Filter{Ticket: tk.ID, Rule: "F2.leak"})
	if err != nil || len(revisits) != 1 {
		t.Fatalf("revisit tasks %d, %v; want 1", len(revisits), err)
	}
	rv := revisits[0]
	sc.wait(24 * time.Hour)
	claimed, err := sc.queue.Claim(ctx, "worker", rv.Role, 100)
	if err != nil {
		t.Fatal(err)
	}
	var mine *followup.Task
	for _, c := range claimed {
		if c.ID == rv.ID {
			mine = c
		}
	}
	if mine == nil {
		t.Fatalf("revisit task %s not claimable", rv.ID)
	}
	by := ticket.Actor{ID: "chen", Role: rv.Role}
	if _, err := sc.queue.Complete(ctx, mine, followup.Outcome{Result: followup.ProblemFound, By: by,
		Channel: followup.OnSite, SignedBy: "signature-wang.png", Note: "moved away; new number 13700001111"}); err != nil {
		t.Fatal(err)
	}
	if h, _ := sc.svc.History(ctx, tk.ID); !strings.Contains(dumpValue(t, h), "13700001111") {
		t.Fatal("test setup: the outcome note did not reach the ticket's history")
	}
	// A new need raised in the callback becomes a linked case (T17).
	if _, err := sc.svc.Link(ctx, eraseAgent, tk.Ref(), ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone,
		Fields: map[string]string{"person": "王建国", "phone": "13700001111", "event": "new key for Block 7 Room 1203"},
		Note:   "raised in the revisit call"}); err != nil {
		t.Fatal(err)
	}
	// A CRM trigger about the customer, answered with a note.
	bday, err := sc.deriver.Derive(ctx, followup.Trigger{Kind: followup.Birthday, Key: "birthday:crm-42:2026", Subject: "crm-42", At: sc.clock()})
	if err != nil || len(bday) != 1 {
		t.Fatalf("birthday tasks %d, %v", len(bday), err)
	}
	got, err := sc.queue.Claim(ctx, "caller", bday[0].Role, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		if c.ID == bday[0].ID {
			if _, err := sc.queue.Complete(ctx, c, followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "li", Role: c.Role},
				Note: "spoke with his daughter Lily"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := sc.sync.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	return tk
}

func dumpValue(t *testing.T, vs ...any) string {
	t.Helper()
	b, err := json.Marshal(vs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dump returns everything the stores hold: the database's own dump when
// it has one, else every ticket, history, outbox entry and task.
func dump(t *testing.T, tickets ticket.Store, tasks followup.Store, d any) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	if dd, ok := d.(Dumper); ok {
		out, err := dd.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(out)
	} else {
		list, err := tasks.List(ctx, "north", followup.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(dumpValue(t, list))
	}
	all, err := tickets.List(ctx, "north", ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range all {
		h, err := tickets.History(ctx, "north", tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(dumpValue(t, tk, h))
	}
	out, err := tickets.Pending(ctx, "dump-"+uuid.NewString(), "", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(dumpValue(t, out))
	return b.String()
}

// trail is what erasure must keep: who did what, when, from and to; and
// for tasks who followed up, when, how and with which result.
func trail(t *testing.T, tickets ticket.Store, tasks followup.Store) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	all, err := tickets.List(ctx, "north", ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range all {
		h, err := tickets.History(ctx, "north", tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h {
			if e.Action == ticket.ActErase {
				continue
			}
			fmt.Fprintf(&b, "%d %s %d %s %s %s %s %s %s\n", tk.Number, e.ID, e.Seq, e.Action, e.Actor, e.Role, e.At.UTC().Format(time.RFC3339Nano), e.From, e.To)
		}
	}
	list, err := tasks.List(ctx, "north", followup.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range list {
		fmt.Fprintf(&b, "%s %s %s %s %d", x.ID, x.Rule, x.Status, x.Ticket, x.Attempts)
		if o := x.Outcome; o != nil {
			fmt.Fprintf(&b, " %s %s %s %s %s", o.Result, o.By.ID, o.By.Role, o.Channel, o.At.UTC().Format(time.RFC3339Nano))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func eraseScenario(t *testing.T, db followup.Stores, tickets ticket.Store, tasks followup.Store, d any) {
	ctx := context.Background()
	sc := newScenario(t, tickets, tasks, nil)
	sc.populate()
	before := dump(t, tickets, tasks, d)
	for _, s := range secrets {
		if !strings.Contains(before, s) {
			t.Fatalf("test setup: %q is not stored before the erasure", s)
		}
	}
	trailBefore := trail(t, tickets, tasks)

	if _, err := followup.Erase(ctx, db, sc.svc, eraseAgent, "crm-42"); !errors.Is(err, ticket.ErrForbidden) {
		t.Fatalf("an agent erasing: %v, want ticket.ErrForbidden", err)
	}
	if after := dump(t, tickets, tasks, d); after != before {
		t.Fatal("a refused erasure changed the stores")
	}
	n, err := followup.Erase(ctx, db, sc.svc, eraseLead, "crm-42")
	if err != nil {
		t.Fatal(err)
	}
	if n.Tickets != 2 || n.Tasks < 2 {
		t.Errorf("erased %d tickets and %d tasks, want the repair and its linked case, and at least the two answered tasks", n.Tickets, n.Tasks)
	}
	after := dump(t, tickets, tasks, d)
	for _, s := range secrets {
		if strings.Contains(after, s) {
			i := strings.Index(after, s)
			t.Errorf("%q is still stored after the erasure: …%s…", s, after[max(0, i-200):min(len(after), i+len(s)+100)])
		}
	}
	if got := trail(t, tickets, tasks); got != trailBefore {
		t.Errorf("the erasure changed the trail:\nbefore:\n%s\nafter:\n%s", trailBefore, got)
	}
	again, err := followup.Erase(ctx, db, sc.svc, eraseLead, "crm-42")
	if err != nil || again != (followup.Erased{}) {
		t.Errorf("erasing again: %+v, %v; want nothing left to erase", again, err)
	}
	if final := dump(t, tickets, tasks, d); final != after {
		t.Error("erasing again changed the stores")
	}
}

// failingAuth refuses the nth erase authorisation: an erasure that fails
// part way through.
type failingAuth struct {
	mu   sync.Mutex
	n    int
	fail int // 0: never
	base ticket.Authorizer
}

func (a *failingAuth) Authorize(by ticket.Actor, action ticket.Action, t *ticket.Ticket) error {
	if action == ticket.ActErase {
		a.mu.Lock()
		a.n++
		n := a.n
		a.mu.Unlock()
		if a.fail > 0 && n == a.fail {
			return fmt.Errorf("refused on purpose at check %d", n)
		}
	}
	return a.base.Authorize(by, action, t)
}

// eraseAllOrNothing: an erasure that fails after it has scrubbed the
// follow-ups and the first ticket leaves nothing changed.
func eraseAllOrNothing(t *testing.T, db Database) {
	ctx := context.Background()
	auth := &failingAuth{base: ticket.DefaultRoles()}
	sc := newScenario(t, db.Tickets(), db.Followups(), auth)
	sc.populate()
	before := dump(t, db.Tickets(), db.Followups(), db)
	// The plan checks the probe and both tickets (3); the second
	// ticket's write checks again at 5, after the first was redacted.
	auth.mu.Lock()
	auth.n, auth.fail = 0, 5
	auth.mu.Unlock()
	if _, err := followup.Erase(ctx, db, sc.svc, eraseLead, "crm-42"); !errors.Is(err, ticket.ErrForbidden) {
		t.Fatalf("erasure failing part way: %v, want the refusal", err)
	}
	if auth.n < 5 {
		t.Fatalf("the erasure stopped after %d checks, before writing anything; the case proves nothing", auth.n)
	}
	if after := dump(t, db.Tickets(), db.Followups(), db); after != before {
		t.Error("an erasure that failed part way left some of its writes")
	}
	auth.mu.Lock()
	auth.fail = 0
	auth.mu.Unlock()
	if n, err := followup.Erase(ctx, db, sc.svc, eraseLead, "crm-42"); err != nil || n.Tickets != 2 {
		t.Fatalf("erasing after the failure: %+v, %v", n, err)
	}
}
