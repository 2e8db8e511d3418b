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

// BenchmarkLifecycle drives an inquiry through the public service API on
// the in-memory store: every transition is checked by a pooled fsm.FSM,
// authorised, and written with its history event and outbox entry.
func BenchmarkLifecycle(b *testing.B) {
	store := ticket.NewMemStore()
	now := t0
	svc, _ := ticket.New(store, ticket.Config{Desk: "bench", Now: func() time.Time { return now }})
	in := inquiryIntake()
	dispatch := ticket.Assignment{Department: "finance"}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n++; n%benchBatch == 0 { // keep the store's size steady
			store = ticket.NewMemStore()
			svc, _ = ticket.New(store, ticket.Config{Desk: "bench", Now: func() time.Time { return now }})
		}
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
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchSteps)+b.N), "ns/write")
}

// BenchmarkLifecycleBaseline is the fastest straightforward hand-written
// equivalent: a switch for legality, the same store reads, writes and
// history appends, no authorisation, no policy, no state machine.
func BenchmarkLifecycleBaseline(b *testing.B) {
	store := ticket.NewMemStore()
	now := t0
	in := inquiryIntake()
	legal := func(from ticket.State, a ticket.Action) (ticket.State, bool) {
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
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n++; n%benchBatch == 0 {
			store = ticket.NewMemStore()
		}
		id := ticket.NewV7()
		tk := &ticket.Ticket{ID: id, Desk: "bench", Version: 1, Kind: in.Kind, Channel: in.Channel,
			State: ticket.Received, Owner: agent.ID, Fields: in.Fields, ReceivedAt: now, UpdatedAt: now}
		ev := ticket.Event{ID: ticket.NewV7(), Desk: "bench", Ticket: id, Seq: 1, Action: ticket.ActReceive,
			Actor: agent.ID, Role: agent.Role, At: now, To: ticket.Received}
		if err := store.Create(ctx, tk, []ticket.Event{ev}); err != nil {
			b.Fatal(err)
		}
		for _, s := range benchSteps {
			cur, err := store.Get(ctx, "bench", id)
			if err != nil {
				b.Fatal(err)
			}
			to, ok := legal(cur.State, s.action)
			if !ok {
				b.Fatal("illegal")
			}
			n := cur.Clone()
			n.State, n.Version, n.UpdatedAt = to, n.Version+1, now
			e := ticket.Event{ID: ticket.NewV7(), Desk: "bench", Ticket: id, Seq: n.Version, Action: s.action,
				Actor: agent.ID, Role: agent.Role, At: now, From: cur.State, To: to}
			if err := store.Update(ctx, n, e); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchSteps)+b.N), "ns/write")
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
