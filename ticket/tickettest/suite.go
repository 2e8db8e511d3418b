// Package tickettest is the conformance suite for ticket.Store. An
// adapter author calls RunStoreTests with a factory of empty stores and
// learns whether the adapter keeps the contracts the service relies on:
// desk isolation, not-found mapping, version conflicts, history order,
// atomic outbox delivery and concurrent writers.
package tickettest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// RunStoreTests runs the suite against stores made by newStore. Each
// subtest gets a fresh, empty store.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) ticket.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s ticket.Store)
	}{
		{"CreateGet", testCreateGet},
		{"NotFound", testNotFound},
		{"DeskIsolation", testDeskIsolation},
		{"CaseNumbersPerDesk", testCaseNumbers},
		{"VersionConflict", testVersionConflict},
		{"HistoryOrder", testHistoryOrder},
		{"StoredCopies", testStoredCopies},
		{"ListFilterAndPages", testList},
		{"OutboxDelivery", testOutboxDelivery},
		{"OutboxCrashBeforeAck", testOutboxCrash},
		{"OutboxScopes", testOutboxScopes},
		{"ConcurrentWriters", testConcurrentWriters},
		{"ConcurrentCreates", testConcurrentCreates},
		{"ServiceLifecycle", testServiceLifecycle},
		{"CreateWithHistory", testCreateWithHistory},
		{"Redact", testRedact},
		{"ListOrders", testListOrders},
		{"CustomerFields", testCustomerFields},
		{"ListMatchesFilterProperty", testListProperty},
		{"Inputs", testInputs},
		{"Erase", testErase},
		{"GeneralFields", testGeneralFields},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

var base = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newTicket(desk string, n int) (*ticket.Ticket, ticket.Event) {
	id := uuid.New()
	at := base.Add(time.Duration(n) * time.Minute)
	t := &ticket.Ticket{
		ID: id, Desk: desk, Version: 1, Kind: ticket.Repair, Category: "leak",
		Channel: ticket.Phone, State: ticket.Received, Owner: fmt.Sprintf("agent-%d", n%3),
		Fields:     map[string]string{"location": fmt.Sprintf("block %d", n)},
		ReceivedAt: at, UpdatedAt: at,
		Deadlines: []ticket.Deadline{{Name: ticket.DeadlineDispatch, Start: at, Due: at.Add(3 * time.Minute)}},
	}
	if n%2 == 1 {
		t.Missing = []string{"phone"}
	}
	ev := ticket.Event{ID: uuid.New(), Desk: desk, Ticket: id, Seq: 1, Action: ticket.ActReceive,
		Actor: t.Owner, Role: ticket.RoleAgent, At: at, To: ticket.Received, Kind: t.Kind, Category: t.Category,
		Data: map[string]string{"channel": "phone"}}
	return t, ev
}

// bump returns the next version of t with an event that moves it to state to.
func bump(t *ticket.Ticket, to ticket.State, note string) (*ticket.Ticket, ticket.Event) {
	n := t.Clone()
	n.Version++
	n.UpdatedAt = n.UpdatedAt.Add(time.Minute)
	ev := ticket.Event{ID: uuid.New(), Desk: n.Desk, Ticket: n.ID, Seq: n.Version, Action: ticket.ActNote,
		Actor: "agent-1", Role: ticket.RoleAgent, At: n.UpdatedAt, From: t.State, To: to, Note: note}
	n.State = to
	return n, ev
}

func mustCreate(t *testing.T, s ticket.Store, tk *ticket.Ticket, ev ticket.Event) {
	t.Helper()
	if err := s.Create(context.Background(), tk, []ticket.Event{ev}); err != nil {
		t.Fatalf("Create: %v", err)
	}
}

func testCreateGet(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	mustCreate(t, s, tk, ev)
	if tk.Number != 1 {
		t.Fatalf("first case number = %d, want 1", tk.Number)
	}
	got, err := s.Get(ctx, "north", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tk.ID || got.Version != 1 || got.Number != 1 || got.State != ticket.Received ||
		got.Owner != tk.Owner || got.Fields["location"] != "block 1" || len(got.Missing) != 1 ||
		len(got.Deadlines) != 1 || !got.Deadlines[0].Due.Equal(tk.Deadlines[0].Due) || !got.ReceivedAt.Equal(tk.ReceivedAt) {
		t.Fatalf("Get returned %+v, want what was created %+v", got, tk)
	}
	byNum, err := s.ByNumber(ctx, "north", 1)
	if err != nil || byNum.ID != tk.ID {
		t.Fatalf("ByNumber(1) = %v, %v; want ticket %s", byNum, err, tk.ID)
	}
	if err := s.Create(ctx, tk, []ticket.Event{{ID: uuid.New(), Desk: "north", Ticket: tk.ID, Seq: 1}}); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("creating the same ID twice: err = %v, want ErrConflict", err)
	}
}

func testNotFound(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	id := uuid.New()
	if _, err := s.Get(ctx, "north", id); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Get unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.ByNumber(ctx, "north", 7); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("ByNumber unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.History(ctx, "north", id); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("History unknown: %v, want ErrNotFound", err)
	}
	tk, _ := newTicket("north", 1)
	tk.Version = 2
	ev := ticket.Event{ID: uuid.New(), Desk: "north", Ticket: tk.ID, Seq: 2}
	if err := s.Update(ctx, tk, ev); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Update unknown: %v, want ErrNotFound", err)
	}
	if err := s.Ack(ctx, "c", "", uuid.New()); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Ack unknown event: %v, want ErrNotFound", err)
	}
}

func testDeskIsolation(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	mustCreate(t, s, tk, ev)
	if _, err := s.Get(ctx, "south", tk.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("another desk's Get: %v, want ErrNotFound", err)
	}
	if _, err := s.History(ctx, "south", tk.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("another desk's History: %v, want ErrNotFound", err)
	}
	if _, err := s.ByNumber(ctx, "south", tk.Number); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("another desk's ByNumber: %v, want ErrNotFound", err)
	}
	list, err := s.List(ctx, "south", ticket.Filter{})
	if err != nil || len(list) != 0 {
		t.Errorf("another desk's List = %d tickets, %v; want none", len(list), err)
	}
	moved, mev := bump(tk, ticket.Dispatched, "x")
	moved.Desk, mev.Desk = "south", "south"
	if err := s.Update(ctx, moved, mev); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Update through another desk: %v, want ErrNotFound", err)
	}
	if err := s.Ack(ctx, "c", "south", ev.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Errorf("Ack of another desk's event: %v, want ErrNotFound", err)
	}
	pend, err := s.Pending(ctx, "c", "south", 10)
	if err != nil || len(pend) != 0 {
		t.Errorf("another desk's Pending = %d events, %v; want none", len(pend), err)
	}
}

func testCaseNumbers(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		for _, desk := range []string{"north", "south"} {
			tk, ev := newTicket(desk, i)
			mustCreate(t, s, tk, ev)
			if tk.Number != int64(i) {
				t.Fatalf("desk %s ticket %d got case number %d", desk, i, tk.Number)
			}
		}
	}
	got, err := s.ByNumber(ctx, "south", 3)
	if err != nil || got.Desk != "south" || got.Number != 3 {
		t.Fatalf("ByNumber(south, 3) = %+v, %v", got, err)
	}
}

func testVersionConflict(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	mustCreate(t, s, tk, ev)
	v2, ev2 := bump(tk, ticket.Dispatched, "first")
	if err := s.Update(ctx, v2, ev2); err != nil {
		t.Fatal(err)
	}
	stale, sev := bump(tk, ticket.Cancelled, "stale")
	if err := s.Update(ctx, stale, sev); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("stale write: %v, want ErrConflict", err)
	}
	skip, kev := bump(v2, ticket.Resolved, "skip")
	skip.Version++
	kev.Seq++
	if err := s.Update(ctx, skip, kev); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("write skipping a version: %v, want ErrConflict", err)
	}
	got, _ := s.Get(ctx, "north", tk.ID)
	if got.Version != 2 || got.State != ticket.Dispatched {
		t.Fatalf("after refused writes ticket is v%d %s, want v2 dispatched", got.Version, got.State)
	}
	h, _ := s.History(ctx, "north", tk.ID)
	if len(h) != 2 {
		t.Fatalf("history has %d events after refused writes, want 2", len(h))
	}
	pend, _ := s.Pending(ctx, "c", "north", 100)
	if len(pend) != 2 {
		t.Fatalf("outbox has %d events after refused writes, want 2", len(pend))
	}
}

func testHistoryOrder(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	mustCreate(t, s, tk, ev)
	cur := tk
	states := []ticket.State{ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Closed}
	for i, st := range states {
		n, e := bump(cur, st, fmt.Sprintf("step %d", i))
		if err := s.Update(ctx, n, e); err != nil {
			t.Fatal(err)
		}
		cur = n
	}
	h, err := s.History(ctx, "north", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 5 {
		t.Fatalf("history length %d, want 5", len(h))
	}
	for i, e := range h {
		if e.Seq != int64(i+1) {
			t.Errorf("event %d has Seq %d", i, e.Seq)
		}
		if i > 0 && (e.From != h[i-1].To || e.To != states[i-1]) {
			t.Errorf("event %d goes %s→%s, want %s→%s", i, e.From, e.To, h[i-1].To, states[i-1])
		}
		if i > 0 && e.Note != fmt.Sprintf("step %d", i-1) {
			t.Errorf("event %d note %q", i, e.Note)
		}
	}
	if h[0].Data["channel"] != "phone" || h[0].Action != ticket.ActReceive || !h[0].At.Equal(tk.ReceivedAt) {
		t.Errorf("first event not stored faithfully: %+v", h[0])
	}
}

func testStoredCopies(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	mustCreate(t, s, tk, ev)
	tk.Fields["location"] = "changed by caller"
	ev.Data["channel"] = "changed by caller"
	got, _ := s.Get(ctx, "north", tk.ID)
	got.Fields["location"] = "changed by reader"
	again, _ := s.Get(ctx, "north", tk.ID)
	if again.Fields["location"] != "block 1" {
		t.Fatalf("stored ticket changed through a caller's map: %q", again.Fields["location"])
	}
	h, _ := s.History(ctx, "north", tk.ID)
	if h[0].Data["channel"] != "phone" {
		t.Fatalf("stored event changed through a caller's map: %q", h[0].Data["channel"])
	}
}

func testList(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	var all []*ticket.Ticket
	for i := 1; i <= 9; i++ {
		tk, ev := newTicket("north", i)
		if i%3 == 0 {
			tk.Kind = ticket.Inquiry
			tk.Owner = ""
		}
		mustCreate(t, s, tk, ev)
		if i%4 == 0 {
			n, e := bump(tk, ticket.Dispatched, "go")
			n.Assignee = "plumber"
			n.Deadlines[0].Done = n.UpdatedAt
			if err := s.Update(ctx, n, e); err != nil {
				t.Fatal(err)
			}
			tk = n
		}
		all = append(all, tk)
	}
	other, oev := newTicket("south", 1)
	mustCreate(t, s, other, oev)

	filters := map[string]ticket.Filter{
		"all":        {},
		"states":     {States: []ticket.State{ticket.Dispatched}},
		"kinds":      {Kinds: []ticket.Kind{ticket.Inquiry}},
		"owner":      {Owner: "agent-1"},
		"assignee":   {Assignee: "plumber"},
		"unowned":    {Unowned: true},
		"incomplete": {Incomplete: true},
		"due":        {DueBefore: base.Add(6 * time.Minute)},
		"updated":    {UpdatedBefore: base.Add(5 * time.Minute)},
		"combined":   {States: []ticket.State{ticket.Received}, Incomplete: true, Kinds: []ticket.Kind{ticket.Repair}},
	}
	for name, f := range filters {
		got, err := s.List(ctx, "north", f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var want []int64
		for _, tk := range all {
			if f.Match(tk) {
				want = append(want, tk.Number)
			}
		}
		if len(got) != len(want) {
			t.Errorf("List %s: %d tickets, want %d", name, len(got), len(want))
			continue
		}
		for i := range got {
			if got[i].Number != want[i] {
				t.Errorf("List %s: item %d is case %d, want %d", name, i, got[i].Number, want[i])
			}
		}
	}
	// Pages of two, while a new ticket arrives between pages.
	var seen []int64
	f := ticket.Filter{Limit: 2}
	for page := 0; page < 10; page++ {
		got, err := s.List(ctx, "north", f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		for _, tk := range got {
			seen = append(seen, tk.Number)
		}
		f.After = got[len(got)-1].Cursor(f.Order)
		if page == 1 {
			tk, ev := newTicket("north", 10)
			mustCreate(t, s, tk, ev)
		}
	}
	if len(seen) != 10 {
		t.Fatalf("paging saw %v, want cases 1..10 once each", seen)
	}
	for i, n := range seen {
		if n != int64(i+1) {
			t.Fatalf("paging saw %v, want cases 1..10 in order", seen)
		}
	}
}

func testOutboxDelivery(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	var ids []uuid.UUID
	for i := 1; i <= 3; i++ {
		tk, ev := newTicket("north", i)
		mustCreate(t, s, tk, ev)
		ids = append(ids, ev.ID)
		n, e := bump(tk, ticket.Dispatched, "x")
		if err := s.Update(ctx, n, e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	got, err := s.Pending(ctx, "followup", "north", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("pending %d events, want %d", len(got), len(ids))
	}
	for i := range got {
		if got[i].ID != ids[i] {
			t.Fatalf("pending event %d is %s, want %s (commit order)", i, got[i].ID, ids[i])
		}
	}
	first, _ := s.Pending(ctx, "followup", "north", 2)
	if len(first) != 2 {
		t.Fatalf("limit 2 gave %d events", len(first))
	}
	// Acknowledge out of order: the second and the fifth.
	if err := s.Ack(ctx, "followup", "north", ids[1], ids[4]); err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, "followup", "north", ids[1]); err != nil {
		t.Fatalf("acknowledging twice: %v, want no-op", err)
	}
	rest, _ := s.Pending(ctx, "followup", "north", 100)
	want := []uuid.UUID{ids[0], ids[2], ids[3], ids[5]}
	if len(rest) != len(want) {
		t.Fatalf("after ack pending %d, want %d", len(rest), len(want))
	}
	for i := range want {
		if rest[i].ID != want[i] {
			t.Fatalf("after ack pending[%d] = %s, want %s", i, rest[i].ID, want[i])
		}
	}
	// Another consumer is independent.
	other, _ := s.Pending(ctx, "webhook", "north", 100)
	if len(other) != len(ids) {
		t.Fatalf("second consumer sees %d events, want %d", len(other), len(ids))
	}
	// An Ack naming an unknown event acknowledges nothing.
	if err := s.Ack(ctx, "followup", "north", ids[0], uuid.New()); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("Ack with an unknown ID: %v, want ErrNotFound", err)
	}
	again, _ := s.Pending(ctx, "followup", "north", 100)
	if len(again) != 4 || again[0].ID != ids[0] {
		t.Fatalf("a refused Ack changed the outbox: %d pending", len(again))
	}
}

// testOutboxCrash: a consumer that processes events and dies before
// acknowledging them sees them again; after acknowledging it never does.
func testOutboxCrash(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		tk, ev := newTicket("north", i)
		mustCreate(t, s, tk, ev)
	}
	batch, _ := s.Pending(ctx, "deriver", "north", 3)
	if len(batch) != 3 {
		t.Fatalf("batch of %d", len(batch))
	}
	// Crash: no Ack. The restarted consumer gets the same events.
	again, _ := s.Pending(ctx, "deriver", "north", 3)
	for i := range batch {
		if again[i].ID != batch[i].ID {
			t.Fatalf("after a crash event %d is %s, want %s again", i, again[i].ID, batch[i].ID)
		}
	}
	for _, e := range again {
		if err := s.Ack(ctx, "deriver", "north", e.ID); err != nil {
			t.Fatal(err)
		}
	}
	last, _ := s.Pending(ctx, "deriver", "north", 10)
	if len(last) != 1 || last[0].ID == batch[0].ID {
		t.Fatalf("after ack %d pending, want only the fourth event", len(last))
	}
}

func testOutboxScopes(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	n1, e1 := newTicket("north", 1)
	s1, f1 := newTicket("south", 1)
	mustCreate(t, s, n1, e1)
	mustCreate(t, s, s1, f1)
	sys, _ := s.Pending(ctx, "sys", "", 10)
	if len(sys) != 2 {
		t.Fatalf("system consumer sees %d events, want both desks' 2", len(sys))
	}
	north, _ := s.Pending(ctx, "sys", "north", 10)
	if len(north) != 1 || north[0].Desk != "north" {
		t.Fatalf("desk consumer sees %v, want north's only", north)
	}
	if err := s.Ack(ctx, "sys", "", e1.ID, f1.ID); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.Pending(ctx, "sys", "", 10); len(left) != 0 {
		t.Fatalf("system consumer still has %d after ack", len(left))
	}
	if left, _ := s.Pending(ctx, "sys", "north", 10); len(left) != 1 {
		t.Fatalf("the desk-scoped consumer of the same name is separate: %d pending, want 1", len(left))
	}
}

// testConcurrentWriters: many writers race on one ticket from the same
// version; exactly one wins per version, the rest get ErrConflict, and
// the history has no gap and no duplicate.
func testConcurrentWriters(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	mustCreate(t, s, tk, ev)
	const writers, rounds = 20, 5
	var mu sync.Mutex
	wins := map[int64]int{}
	for range rounds {
		cur, err := s.Get(ctx, "north", tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, e := bump(cur, ticket.Received, fmt.Sprint(w))
				err := s.Update(ctx, n, e)
				switch {
				case err == nil:
					mu.Lock()
					wins[n.Version]++
					mu.Unlock()
				case errors.Is(err, ticket.ErrConflict):
				default:
					t.Errorf("writer %d: %v", w, err)
				}
			}()
		}
		wg.Wait()
	}
	for v := int64(2); v <= rounds+1; v++ {
		if wins[v] != 1 {
			t.Errorf("version %d won %d times, want exactly once", v, wins[v])
		}
	}
	h, _ := s.History(ctx, "north", tk.ID)
	if len(h) != rounds+1 {
		t.Fatalf("history length %d, want %d", len(h), rounds+1)
	}
	for i, e := range h {
		if e.Seq != int64(i+1) {
			t.Fatalf("history Seq %d at %d", e.Seq, i)
		}
	}
}

func testConcurrentCreates(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, ev := newTicket("north", i)
			if err := s.Create(ctx, tk, []ticket.Event{ev}); err != nil {
				t.Errorf("create %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	list, err := s.List(ctx, "north", ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n {
		t.Fatalf("%d tickets after %d concurrent creates", len(list), n)
	}
	for i, tk := range list {
		if tk.Number != int64(i+1) {
			t.Fatalf("case numbers not 1..%d without gaps: position %d has %d", n, i, tk.Number)
		}
	}
}

// testServiceLifecycle drives a whole lifecycle through the service on
// the store, so adapters are checked with the values the service writes.
func testServiceLifecycle(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	now := base
	svc, err := ticket.New(s, ticket.Config{Desk: "north", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	tk, err := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
		Fields: map[string]string{"person": "Wang", "phone": "138", "location": "3-201", "item": "pipe"}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() (*ticket.Ticket, error){
		func() (*ticket.Ticket, error) {
			return svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: "zhao", Due: now.Add(time.Hour)})
		},
		func() (*ticket.Ticket, error) {
			return svc.Resolve(ctx, ticket.Actor{ID: "zhao", Role: ticket.RoleDepartment}, tk.Ref(), "pipe replaced")
		},
		func() (*ticket.Ticket, error) { return svc.Answer(ctx, agent, tk.Ref(), "told") },
		func() (*ticket.Ticket, error) { return svc.Accept(ctx, agent, tk.Ref(), "") },
		func() (*ticket.Ticket, error) {
			return svc.RecordRevisit(ctx, ticket.Actor{ID: "chen", Role: ticket.RoleRepairLead}, tk.Ref(), ticket.RevisitOutcome{Passed: true})
		},
	}
	want := []ticket.State{ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Closed}
	for i, step := range steps {
		now = now.Add(time.Minute)
		if tk, err = step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if tk.State != want[i] {
			t.Fatalf("step %d: state %s, want %s", i, tk.State, want[i])
		}
	}
	got, err := svc.Get(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 6 || got.State != ticket.Closed || got.Owner != "li" || got.Assignee != "zhao" ||
		got.Resolution == nil || got.Resolution.Resolver != "zhao" || !got.Revisit.Passed {
		t.Fatalf("stored ticket %+v", got)
	}
	for _, d := range got.Deadlines {
		if d.Open() {
			t.Errorf("deadline %s still open on a closed ticket", d.Name)
		}
	}
	h, _ := svc.History(ctx, tk.ID)
	if len(h) != 6 || h[5].To != ticket.Closed || h[2].Data["resolver"] != "zhao" {
		t.Fatalf("history %+v", h)
	}
}

// testCreateWithHistory: an imported ticket arrives with its past; all
// of it is history, only the last event reaches the outbox.
func testCreateWithHistory(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	v2, e2 := bump(tk, ticket.Dispatched, "past")
	v3, e3 := bump(v2, ticket.Dispatched, "import")
	if err := s.Create(ctx, v3, []ticket.Event{ev, e2, e3}); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, "north", tk.ID)
	if err != nil || len(h) != 3 || h[1].Note != "past" {
		t.Fatalf("history %v, %v", h, err)
	}
	pend, _ := s.Pending(ctx, "c", "north", 10)
	if len(pend) != 1 || pend[0].ID != e3.ID {
		t.Fatalf("outbox has %d events, want only the last", len(pend))
	}
	bad, bev := newTicket("north", 2)
	bad.Version = 2
	if err := s.Create(ctx, bad, []ticket.Event{bev}); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("history shorter than the version: %v, want ErrInvalid", err)
	}
	dup, dev := newTicket("north", 3)
	dev.ID = ev.ID
	if err := s.Create(ctx, dup, []ticket.Event{dev}); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("reused event ID: %v, want ErrConflict", err)
	}
	if _, err := s.Get(ctx, "north", dup.ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("a refused create left a ticket: %v", err)
	}
}

// testRedact: erasure rewrites notes and data of past events in the
// history and the outbox, nothing else, and appends its own event.
func testRedact(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	ev.Note = "secret 555-0100"
	ev.Data["phone"] = "555-0100"
	mustCreate(t, s, tk, ev)
	v2, e2 := bump(tk, ticket.Dispatched, "call 555-0100")
	if err := s.Update(ctx, v2, e2); err != nil {
		t.Fatal(err)
	}
	v3, e3 := bump(v2, ticket.Dispatched, "erased")
	v3.Fields = map[string]string{}
	r1 := ev.Clone()
	r1.Note, r1.Data = "secret [erased]", map[string]string{"channel": "phone", "phone": "[erased]"}
	r2 := e2.Clone()
	r2.Note = "call [erased]"
	stale := v3.Clone()
	stale.Version = 2
	staleEv := e3
	staleEv.Seq = 2
	if err := s.Redact(ctx, stale, []ticket.Event{r1}, staleEv); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("stale redact: %v, want ErrConflict", err)
	}
	ghost := r1
	ghost.ID = uuid.New()
	if err := s.Redact(ctx, v3, []ticket.Event{r2, ghost}, e3); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("redacting an event the ticket lacks: %v, want ErrNotFound", err)
	}
	if h, _ := s.History(ctx, "north", tk.ID); len(h) != 2 || h[1].Note != "call 555-0100" {
		t.Fatalf("a refused redact changed the history: %+v", h)
	}
	if err := s.Redact(ctx, v3, []ticket.Event{r1, r2}, e3); err != nil {
		t.Fatal(err)
	}
	h, _ := s.History(ctx, "north", tk.ID)
	if len(h) != 3 || h[0].Note != "secret [erased]" || h[0].Data["phone"] != "[erased]" || h[1].Note != "call [erased]" || h[2].ID != e3.ID {
		t.Fatalf("history after redact %+v", h)
	}
	if h[0].Action != ev.Action || !h[0].At.Equal(ev.At) || h[0].Actor != ev.Actor || h[1].From != e2.From || h[1].To != e2.To {
		t.Fatal("redact changed the trail")
	}
	pend, _ := s.Pending(ctx, "c", "north", 10)
	if len(pend) != 3 {
		t.Fatalf("outbox has %d events", len(pend))
	}
	for _, p := range pend {
		if p.Note == "secret 555-0100" || p.Note == "call 555-0100" || p.Data["phone"] == "555-0100" {
			t.Fatalf("outbox still holds the erased value: %+v", p)
		}
	}
	got, _ := s.Get(ctx, "north", tk.ID)
	if got.Version != 3 || len(got.Fields) != 0 {
		t.Fatalf("ticket after redact: v%d fields %v", got.Version, got.Fields)
	}
}

// testListOrders: the three orders with keyset cursors.
func testListOrders(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	var all []*ticket.Ticket
	for i := 1; i <= 7; i++ {
		tk, ev := newTicket("north", i)
		mustCreate(t, s, tk, ev)
		all = append(all, tk)
	}
	// Change 2 and 5: they move to the end of update order, 5 last.
	for _, i := range []int{1, 4} {
		n, e := bump(all[i], ticket.Received, "touch")
		n.UpdatedAt = base.Add(time.Hour + time.Duration(i)*time.Minute)
		if err := s.Update(ctx, n, e); err != nil {
			t.Fatal(err)
		}
		all[i] = n
	}
	// Same update time for 6 and 7 (tie broken by number).
	want := map[ticket.Order][]int64{
		ticket.ByNumber:     {1, 2, 3, 4, 5, 6, 7},
		ticket.ByNumberDesc: {7, 6, 5, 4, 3, 2, 1},
		ticket.ByUpdated:    {1, 3, 4, 6, 7, 2, 5},
	}
	for o, w := range want {
		var got []int64
		f := ticket.Filter{Order: o, Limit: 3}
		for range 10 {
			page, err := s.List(ctx, "north", f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, tk := range page {
				got = append(got, tk.Number)
			}
			f.After = page[len(page)-1].Cursor(o)
		}
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("order %d pages: %v, want %v", o, got, w)
		}
	}
}

// testCustomerFields: customer, attributes, attachments and complaint
// data survive the store and can be filtered on.
func testCustomerFields(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := newTicket("north", 1)
	tk.Customer = &ticket.Customer{ID: "crm-1", Name: "Wang", Phone: "138", Address: "3-201", Grade: "A"}
	tk.Attrs = map[string]string{"floor": "3"}
	tk.Attachments = []ticket.Attachment{{Name: "p.jpg", URI: "https://x/p.jpg", ContentType: "image/jpeg", Size: 5, SHA256: "ab", AddedBy: "li", AddedAt: base}}
	tk.Complaint = &ticket.ComplaintInfo{Class: "noise", Severity: ticket.Major}
	tk.Escalation = ticket.Escalation{Level: 2, Reason: "major"}
	tk.Parent = uuid.New()
	tk.Links = []uuid.UUID{uuid.New()}
	tk.Resolution = &ticket.Resolution{Summary: "s", Resolver: "zhao", At: base}
	tk.Revisit = ticket.RevisitStatus{Required: true, Reason: "policy"}
	mustCreate(t, s, tk, ev)
	other, oev := newTicket("north", 2)
	mustCreate(t, s, other, oev)
	got, err := s.Get(ctx, "north", tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameAttachment := func(a, b ticket.Attachment) bool {
		a.AddedAt, b.AddedAt = a.AddedAt.UTC(), b.AddedAt.UTC()
		return a == b
	}
	if *got.Customer != *tk.Customer || got.Attrs["floor"] != "3" || len(got.Attachments) != 1 || !sameAttachment(got.Attachments[0], tk.Attachments[0]) ||
		*got.Complaint != *tk.Complaint || got.Escalation != tk.Escalation || got.Parent != tk.Parent || len(got.Links) != 1 ||
		got.Resolution == nil || got.Resolution.Summary != "s" || got.Resolution.Resolver != "zhao" || !got.Resolution.At.Equal(base) || got.Revisit != tk.Revisit {
		t.Fatalf("stored %+v, want %+v", got, tk)
	}
	for name, f := range map[string]ticket.Filter{
		"customer": {Customer: "crm-1"},
		"class":    {Classes: []string{"noise"}},
		"severity": {Severities: []ticket.Severity{ticket.Major}},
	} {
		l, err := s.List(ctx, "north", f)
		if err != nil || len(l) != 1 || l[0].ID != tk.ID {
			t.Errorf("filter %s: %d tickets, %v", name, len(l), err)
		}
	}
}

// testListProperty compares List with the reference semantics
// (Filter.Match, Order, Cursor.Beyond, Limit) on random tickets and
// random filters, fixed seed: an adapter's translation of every filter
// field, order and cursor must agree with the Go definition, including
// ties in update time and nanosecond times.
func testListProperty(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20260302, 8))
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	states := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Closed}
	kinds := []ticket.Kind{ticket.Repair, ticket.Complaint, ticket.Inquiry}
	people := []string{"", "li", "zhao", "chen"}
	classes := []string{"noise", "fees", "service"}
	sevs := []ticket.Severity{ticket.Minor, ticket.Normal, ticket.Major}
	prios := []ticket.Priority{"", ticket.PriorityLow, ticket.PriorityNormal, ticket.PriorityUrgent}
	// Tags with LIKE's special characters and a tag that begins another:
	// an adapter must match whole tags exactly.
	tagSet := []string{"bill", "billing", "v_p", "vip", "50%", "a\\b"}
	pick := func(n int) int { return rng.IntN(n) }
	at := func() time.Time { // few distinct values, so ties happen; some with nanoseconds
		return base.Add(time.Duration(pick(12))*time.Minute + time.Duration(pick(3))*time.Nanosecond)
	}
	var all []*ticket.Ticket
	for i := range 60 {
		desk := "north"
		if i%7 == 6 {
			desk = "south"
		}
		id := uuid.New()
		tk := &ticket.Ticket{ID: id, Desk: desk, Version: 1, Kind: kinds[pick(3)], Channel: ticket.Phone,
			State: states[pick(4)], Owner: people[pick(4)], Assignee: people[pick(4)], ReceivedAt: at(), UpdatedAt: at()}
		if pick(2) == 0 {
			tk.Customer = &ticket.Customer{ID: fmt.Sprint("c", pick(3))}
		}
		if tk.Kind == ticket.Complaint {
			tk.Complaint = &ticket.ComplaintInfo{Class: classes[pick(3)], Severity: sevs[pick(3)]}
		}
		if pick(2) == 0 {
			tk.Missing = []string{"phone"}
		}
		tk.Priority = prios[pick(len(prios))]
		for i := range tagSet {
			if pick(3) == 0 {
				tk.Tags = append(tk.Tags, tagSet[i])
			}
		}
		slices.Sort(tk.Tags)
		for range pick(3) {
			d := ticket.Deadline{Name: ticket.DeadlineDispatch, Start: tk.ReceivedAt, Due: at()}
			if pick(3) == 0 {
				d.Done = at()
			}
			tk.Deadlines = append(tk.Deadlines, d)
		}
		ev := ticket.Event{ID: uuid.New(), Desk: desk, Ticket: id, Seq: 1, Action: ticket.ActReceive, At: tk.ReceivedAt, To: tk.State}
		if err := s.Create(ctx, tk, []ticket.Event{ev}); err != nil {
			t.Fatal(err)
		}
		if desk == "north" {
			all = append(all, tk)
		}
	}
	some := func(n int) []int {
		var out []int
		for i := range n {
			if pick(2) == 0 {
				out = append(out, i)
			}
		}
		return out
	}
	for round := range 400 {
		var f ticket.Filter
		if pick(3) == 0 {
			for _, i := range some(4) {
				f.States = append(f.States, states[i])
			}
		}
		if pick(3) == 0 {
			for _, i := range some(3) {
				f.Kinds = append(f.Kinds, kinds[i])
			}
		}
		if pick(4) == 0 {
			f.Owner = people[1+pick(3)]
		}
		if pick(4) == 0 {
			f.Assignee = people[1+pick(3)]
		}
		if pick(5) == 0 {
			f.Customer = fmt.Sprint("c", pick(3))
		}
		if pick(5) == 0 {
			for _, i := range some(3) {
				f.Classes = append(f.Classes, classes[i])
			}
		}
		if pick(5) == 0 {
			for _, i := range some(3) {
				f.Severities = append(f.Severities, sevs[i])
			}
		}
		if pick(4) == 0 {
			for _, i := range some(len(prios)) {
				f.Priorities = append(f.Priorities, prios[i])
			}
		}
		if pick(3) == 0 {
			f.Tags = []string{tagSet[pick(len(tagSet))]}
			if pick(3) == 0 {
				f.Tags = append(f.Tags, tagSet[pick(len(tagSet))])
			}
		}
		f.Unowned = pick(6) == 0
		f.Incomplete = pick(4) == 0
		if pick(3) == 0 {
			f.DueBefore = at()
		}
		if pick(4) == 0 {
			f.ReceivedFrom = at()
		}
		if pick(4) == 0 {
			f.ReceivedBefore = at()
		}
		if pick(4) == 0 {
			f.UpdatedFrom = at()
		}
		if pick(4) == 0 {
			f.UpdatedBefore = at()
		}
		f.Order = ticket.Order(pick(3))
		if pick(3) == 0 {
			f.Limit = 1 + pick(5)
		}
		if pick(2) == 0 {
			ref := all[pick(len(all))]
			f.After = ref.Cursor(f.Order)
		}
		var want []*ticket.Ticket
		for _, tk := range all {
			if f.Match(tk) && f.After.Beyond(f.Order, tk) {
				want = append(want, tk)
			}
		}
		slices.SortStableFunc(want, func(a, b *ticket.Ticket) int {
			switch {
			case f.Order.Less(a, b):
				return -1
			case f.Order.Less(b, a):
				return 1
			}
			return 0
		})
		if f.Limit > 0 && len(want) > f.Limit {
			want = want[:f.Limit]
		}
		got, err := s.List(ctx, "north", f)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: filter %+v: %d tickets, want %d", round, f, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("round %d: filter %+v: item %d is case %d, want case %d", round, f, i, got[i].Number, want[i].Number)
			}
		}
	}
}
