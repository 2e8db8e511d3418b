package ticket_test

import (
	"encoding/json"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// The lifecycle both benchmarks run: receive, then four transitions.
var benchSteps = []struct {
	action ticket.Action
	to     ticket.State
}{
	{ticket.ActDispatch, ticket.Dispatched},
	{ticket.ActResolve, ticket.Resolved},
	{ticket.ActAnswer, ticket.Answered},
	{ticket.ActAccept, ticket.Closed},
}

// benchBatch is how many lifecycles share a store before it is replaced,
// so that both benchmarks measure the same store size.
const benchBatch = 1000

// serviceLifecycle drives an inquiry through the public service API on
// the in-memory store: every transition is checked by a pooled fsm.FSM,
// authorised, and written with its history event and outbox entry.
type serviceLifecycle struct {
	store *ticket.MemStore
	svc   *ticket.Service
	n     int
}

func (l *serviceLifecycle) run(tb testing.TB) {
	if l.n%benchBatch == 0 { // keep the store's size steady
		l.store = ticket.NewMemStore()
		l.svc, _ = ticket.New(l.store, ticket.Config{Desk: "bench", Now: func() time.Time { return t0 }})
	}
	l.n++
	tk, err := l.svc.Receive(ctx, agent, benchIntake)
	if err != nil {
		tb.Fatal(err)
	}
	r := ticket.Ref{ID: tk.ID}
	_, err1 := l.svc.Dispatch(ctx, agent, r, benchDispatch)
	_, err2 := l.svc.Resolve(ctx, plumber, r, "refund")
	_, err3 := l.svc.Answer(ctx, agent, r, "")
	_, err4 := l.svc.Accept(ctx, agent, r, "")
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		tb.Fatal(err)
	}
}

var (
	benchIntake   = inquiryIntake()
	benchDispatch = ticket.Assignment{Department: "finance"}
)

// baselineLifecycle is the fastest straightforward hand-written
// equivalent: a switch for legality and the same store reads and writes
// with the same effect (the same ticket, deadlines and events, checked by
// TestLifecycleBaselineSameEffect), but no authorisation, no policy
// lookup, no state machine. The ticket Get returns is already a private
// copy, so it is changed in place.
type baselineLifecycle struct {
	store *ticket.MemStore
	n     int
}

// The default policy's T5 dispatch and T7a answer windows, written out.
const (
	baselineDispatchWithin = 3 * time.Minute
	baselineAnswerWithin   = 48 * time.Hour
)

func (l *baselineLifecycle) run(tb testing.TB) {
	if l.n%benchBatch == 0 {
		l.store = ticket.NewMemStore()
	}
	l.n++
	in := benchIntake
	now := t0
	id := ticket.NewV7()
	tk := &ticket.Ticket{ID: id, Desk: "bench", Version: 1, Kind: in.Kind, Channel: in.Channel,
		State: ticket.Received, Owner: agent.ID, Fields: in.Fields, ReceivedAt: now, UpdatedAt: now,
		Deadlines: []ticket.Deadline{
			{Name: ticket.DeadlineDispatch, Start: now, Due: now.Add(baselineDispatchWithin)},
			{Name: ticket.DeadlineAnswer, Start: now, Due: now.Add(baselineAnswerWithin)},
		}}
	ev := ticket.Event{ID: ticket.NewV7(), Desk: "bench", Ticket: id, Seq: 1, Action: ticket.ActReceive,
		Actor: agent.ID, Role: agent.Role, At: now, To: ticket.Received, Kind: in.Kind,
		Data: map[string]string{"channel": string(in.Channel), "owner": agent.ID}}
	if err := l.store.Create(ctx, tk, []ticket.Event{ev}); err != nil {
		tb.Fatal(err)
	}
	for _, s := range benchSteps {
		cur, err := l.store.Get(ctx, "bench", id)
		if err != nil {
			tb.Fatal(err)
		}
		from := cur.State
		by := agent
		e := ticket.Event{ID: ticket.NewV7(), Desk: "bench", Ticket: id, Action: s.action,
			At: now, From: from, Kind: cur.Kind, Category: cur.Category}
		switch {
		case s.action == ticket.ActDispatch && (from == ticket.Received || from == ticket.Reopened):
			cur.State, cur.Department = ticket.Dispatched, benchDispatch.Department
			cur.Deadlines[0].Done = now
			e.Data = map[string]string{"assignee": "", "department": benchDispatch.Department}
		case s.action == ticket.ActResolve && from == ticket.Dispatched:
			by = plumber
			cur.State = ticket.Resolved
			cur.Resolution = &ticket.Resolution{Summary: "refund", Resolver: plumber.ID, At: now}
			e.Note, e.Data = "refund", map[string]string{"resolver": plumber.ID}
		case s.action == ticket.ActAnswer && from == ticket.Resolved:
			cur.State, cur.AnsweredAt = ticket.Answered, now
			cur.Deadlines[1].Done = now
		case s.action == ticket.ActAccept && from == ticket.Answered:
			cur.State, cur.ClosedAt = ticket.Closed, now
		default:
			tb.Fatalf("%s is not legal in %s", s.action, from)
		}
		cur.Version, cur.UpdatedAt = cur.Version+1, now
		e.Seq, e.To, e.Actor, e.Role = cur.Version, cur.State, by.ID, by.Role
		if err := l.store.Update(ctx, cur, e); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestLifecycleBaselineSameEffect shows that the baseline of the
// lifecycle benchmarks stores what the service stores: the same ticket
// and the same history, but for the IDs.
func TestLifecycleBaselineSameEffect(t *testing.T) {
	var svc serviceLifecycle
	var base baselineLifecycle
	svc.run(t)
	base.run(t)
	dump := func(s *ticket.MemStore) string {
		ts, err := s.List(ctx, "bench", ticket.Filter{})
		if err != nil || len(ts) != 1 {
			t.Fatalf("%d tickets, %v", len(ts), err)
		}
		h, err := s.History(ctx, "bench", ts[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		ts[0].ID = uuid.Nil
		for i := range h {
			h[i].ID, h[i].Ticket = uuid.Nil, uuid.Nil
		}
		out, err := json.MarshalIndent(struct {
			T *ticket.Ticket
			H []ticket.Event
		}{ts[0], h}, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	if got, want := dump(base.store), dump(svc.store); got != want {
		t.Errorf("the baseline stores\n%s\nthe service stores\n%s", got, want)
	}
}

// BenchmarkLifecycle is the service path alone (allocations per
// lifecycle; the ratio comes from BenchmarkLifecycleRatio).
func BenchmarkLifecycle(b *testing.B) {
	var l serviceLifecycle
	b.ReportAllocs()
	for b.Loop() {
		l.run(b)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(len(benchSteps)+1)), "ns/write")
}

// BenchmarkLifecycleBaseline is the hand-written baseline alone.
func BenchmarkLifecycleBaseline(b *testing.B) {
	var l baselineLifecycle
	b.ReportAllocs()
	for b.Loop() {
		l.run(b)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(len(benchSteps)+1)), "ns/write")
}

// BenchmarkLifecycleRatio runs the service path and the baseline in
// alternating batches of 100 lifecycles, so both see the same machine
// load, and reports each one's time per lifecycle and their ratio
// (target: at most 1.5).
func BenchmarkLifecycleRatio(b *testing.B) {
	var svc serviceLifecycle
	var base baselineLifecycle
	const batch = 100
	var ts, tb time.Duration
	for b.Loop() {
		start := time.Now()
		for range batch {
			base.run(b)
		}
		mid := time.Now()
		for range batch {
			svc.run(b)
		}
		tb += mid.Sub(start)
		ts += time.Since(mid)
	}
	per := float64(b.N * batch)
	b.ReportMetric(float64(ts.Nanoseconds())/per, "ns/lifecycle")
	b.ReportMetric(float64(tb.Nanoseconds())/per, "ns/baseline")
	b.ReportMetric(float64(ts)/float64(tb), "ratio")
}

// BenchmarkTransitionCheck is the cost of one legality check through a
// pooled state machine (SetState + Event).
func BenchmarkTransitionCheck(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if !ticket.Can(ticket.Received, ticket.ActDispatch) {
			b.Fatal("cannot dispatch")
		}
	}
}

// BenchmarkMemoryPerTicket runs 20,000 inquiries through the five-event
// lifecycle of BenchmarkLifecycle on one MemStore, with the events still
// in the outbox, and reports the live heap per ticket after a garbage
// collection (target: at most 3 KB).
func BenchmarkMemoryPerTicket(b *testing.B) {
	const n = 20_000
	in := inquiryIntake()
	dispatch := ticket.Assignment{Department: "finance"}
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		now := t0
		store := ticket.NewMemStore()
		svc, err := ticket.New(store, ticket.Config{Desk: "bench", Now: func() time.Time { return now }})
		if err != nil {
			b.Fatal(err)
		}
		for range n {
			now = now.Add(time.Second)
			tk, err := svc.Receive(ctx, agent, in)
			if err != nil {
				b.Fatal(err)
			}
			r := ticket.Ref{ID: tk.ID}
			_, err1 := svc.Dispatch(ctx, agent, r, dispatch)
			_, err2 := svc.Resolve(ctx, plumber, r, "refund")
			_, err3 := svc.Answer(ctx, agent, r, "")
			_, err4 := svc.Accept(ctx, agent, r, "")
			if err := errors.Join(err1, err2, err3, err4); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/ticket")
		runtime.KeepAlive(svc)
		b.StartTimer()
	}
}

// listFixture is a desk of n closed tickets and 50 open ones (reopened,
// owned by "li", with a deadline passed), the shape of a desk after
// years of work.
func listFixture(tb testing.TB, n int) *ticket.MemStore {
	s := ticket.NewMemStore()
	for i := range n + 50 {
		id := ticket.NewV7()
		tk := &ticket.Ticket{ID: id, Desk: "bench", Version: 1, Kind: ticket.Repair, Channel: ticket.Phone,
			State: ticket.Closed, Owner: "zhou", ReceivedAt: t0, UpdatedAt: t0}
		if i >= n {
			tk.State, tk.Owner = ticket.Reopened, "li"
			tk.Deadlines = []ticket.Deadline{{Name: ticket.DeadlineReworkNotice, Start: t0, Due: t0.Add(time.Hour)}}
		}
		ev := ticket.Event{ID: ticket.NewV7(), Desk: "bench", Ticket: id, Seq: 1, Action: ticket.ActImport, At: t0, To: tk.State}
		if err := s.Create(ctx, tk, []ticket.Event{ev}); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// BenchmarkListGrowth asks a desk of 10k and one of 100k closed tickets
// for its 50 open ones (by state, by owner, and overdue) in alternating
// batches and reports the ratio of their times: with the indexes a
// query costs in proportion to its answer, so the ratio stays near 1
// where a scan would make it 10.
func BenchmarkListGrowth(b *testing.B) {
	small, large := listFixture(b, 10_000), listFixture(b, 100_000)
	filters := []ticket.Filter{
		{States: []ticket.State{ticket.Reopened}},
		{Owner: "li"},
		{States: []ticket.State{ticket.Received, ticket.Dispatched, ticket.Reopened}, DueBefore: t0.Add(2 * time.Hour)},
	}
	query := func(s *ticket.MemStore) {
		for _, f := range filters {
			ts, err := s.List(ctx, "bench", f)
			if err != nil || len(ts) != 50 {
				b.Fatalf("%d tickets, %v", len(ts), err)
			}
		}
	}
	growth(b, "query", len(filters), func() { query(small) }, func() { query(large) })
}

// BenchmarkOverdueGrowth: one page of 50 overdue entries through
// Service.Overdue on MemStore, from the start and from the middle, with
// 10k and with 100k open tickets all past their dispatch deadline (T5)
// and stagnating (T10), alternating in batches. A page reads from its
// cursor (the due and open indexes), so the ratio stays near 1 as the
// backlog grows tenfold.
func BenchmarkOverdueGrowth(b *testing.B) {
	fixture := func(n int) (*ticket.Service, *ticket.OverdueCursor) {
		now := t0
		svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "bench", Now: func() time.Time { return now }})
		if err != nil {
			b.Fatal(err)
		}
		li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
		for range n {
			now = now.Add(time.Second)
			if _, err := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}); err != nil {
				b.Fatal(err)
			}
		}
		now = now.Add(48 * time.Hour)
		// The cursor of the entry halfway down the list.
		q := ticket.OverdueQuery{Limit: n}
		all, err := svc.Overdue(ctx, q)
		if err != nil || len(all) < n {
			b.Fatalf("%d overdue entries, %v", len(all), err)
		}
		return svc, all[len(all)/2].Cursor()
	}
	small, smallMid := fixture(10_000)
	large, largeMid := fixture(100_000)
	page := func(svc *ticket.Service, mid *ticket.OverdueCursor) {
		for _, after := range []*ticket.OverdueCursor{nil, mid} {
			got, err := svc.Overdue(ctx, ticket.OverdueQuery{After: after, Limit: 50})
			if err != nil || len(got) != 50 {
				b.Fatalf("%d entries, %v", len(got), err)
			}
		}
	}
	growth(b, "page", 2, func() { page(small, smallMid) }, func() { page(large, largeMid) })
}

// growth runs small and large (each doing ops operations, on a desk of
// 10k and one of 100k tickets) in alternating batches of 20 and reports
// the time per operation of each as ns/<unit>-10k and ns/<unit>-100k,
// and their ratio as ratio-100k/10k.
func growth(b *testing.B, unit string, ops int, small, large func()) {
	const batch = 20
	var ts, tl time.Duration
	for b.Loop() {
		start := time.Now()
		for range batch {
			small()
		}
		mid := time.Now()
		for range batch {
			large()
		}
		ts += mid.Sub(start)
		tl += time.Since(mid)
	}
	per := float64(b.N * batch * ops)
	b.ReportMetric(float64(ts.Nanoseconds())/per, "ns/"+unit+"-10k")
	b.ReportMetric(float64(tl.Nanoseconds())/per, "ns/"+unit+"-100k")
	b.ReportMetric(float64(tl)/float64(ts), "ratio-100k/10k")
}
