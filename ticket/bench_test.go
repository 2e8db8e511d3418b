package ticket_test

import (
	"errors"
	"runtime"
	"testing"
	"time"

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
// equivalent: a switch for legality, the same store reads, writes and
// history events, no authorisation, no policy, no state machine. The
// ticket Get returns is already a private copy, so it is changed in
// place.
type baselineLifecycle struct {
	store *ticket.MemStore
	n     int
}

func baselineLegal(from ticket.State, a ticket.Action) (ticket.State, bool) {
	switch {
	case a == ticket.ActDispatch && (from == ticket.Received || from == ticket.Reopened):
		return ticket.Dispatched, true
	case a == ticket.ActResolve && from == ticket.Dispatched:
		return ticket.Resolved, true
	case a == ticket.ActAnswer && from == ticket.Resolved:
		return ticket.Answered, true
	case a == ticket.ActAccept && from == ticket.Answered:
		return ticket.Closed, true
	}
	return from, false
}

func (l *baselineLifecycle) run(tb testing.TB) {
	if l.n%benchBatch == 0 {
		l.store = ticket.NewMemStore()
	}
	l.n++
	in := benchIntake
	id := ticket.NewV7()
	tk := &ticket.Ticket{ID: id, Desk: "bench", Version: 1, Kind: in.Kind, Channel: in.Channel,
		State: ticket.Received, Owner: agent.ID, Fields: in.Fields, ReceivedAt: t0, UpdatedAt: t0}
	ev := ticket.Event{ID: ticket.NewV7(), Desk: "bench", Ticket: id, Seq: 1, Action: ticket.ActReceive,
		Actor: agent.ID, Role: agent.Role, At: t0, To: ticket.Received}
	if err := l.store.Create(ctx, tk, []ticket.Event{ev}); err != nil {
		tb.Fatal(err)
	}
	for _, s := range benchSteps {
		cur, err := l.store.Get(ctx, "bench", id)
		if err != nil {
			tb.Fatal(err)
		}
		to, ok := baselineLegal(cur.State, s.action)
		if !ok {
			tb.Fatal("illegal")
		}
		from := cur.State
		cur.State, cur.Version, cur.UpdatedAt = to, cur.Version+1, t0
		e := ticket.Event{ID: ticket.NewV7(), Desk: "bench", Ticket: id, Seq: cur.Version, Action: s.action,
			Actor: agent.ID, Role: agent.Role, At: t0, From: from, To: to}
		if err := l.store.Update(ctx, cur, e); err != nil {
			tb.Fatal(err)
		}
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
