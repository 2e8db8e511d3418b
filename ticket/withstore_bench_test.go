package ticket_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// withStoreLifecycle runs a ticket's lifecycle (receive and four
// transitions), asking bind for the service before every action.
func withStoreLifecycle(bind func() *ticket.Service) error {
	tk, err := bind().Receive(ctx, agent, inquiryIntake())
	if err != nil {
		return err
	}
	r := ticket.Ref{ID: tk.ID}
	_, err1 := bind().Dispatch(ctx, agent, r, ticket.Assignment{Department: "finance"})
	_, err2 := bind().Resolve(ctx, plumber, r, "refund")
	_, err3 := bind().Answer(ctx, agent, r, "")
	_, err4 := bind().Accept(ctx, agent, r, "")
	return errors.Join(err1, err2, err3, err4)
}

// BenchmarkWithStore compares a ticket's lifecycle through the plain
// service with the same lifecycle through a service bound to the store
// anew for every action, as a CRM binds it to each of its transactions
// (svc.WithStore(txStore).Dispatch(...)). The two alternate, lifecycle
// by lifecycle and in alternating order, on the same store. "ratio" is
// the bound mean over the plain mean (target <= 1.1); "median-ratio" is
// the median of the pairs' ratios, which a busy machine's stalls move
// less.
func BenchmarkWithStore(b *testing.B) {
	now := t0
	cfg := ticket.Config{Desk: "bench", Now: func() time.Time { return now }}
	var store *ticket.MemStore
	var svc *ticket.Service
	plain := func() *ticket.Service { return svc }
	bound := func() *ticket.Service { return svc.WithStore(store) }
	var plainT, boundT time.Duration
	var ratios []float64
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%benchBatch == 0 { // keep the store's size steady
			store = ticket.NewMemStore()
			svc, _ = ticket.New(store, cfg)
		}
		first, second := plain, bound
		if i%2 == 1 {
			first, second = bound, plain
		}
		t1 := time.Now()
		err1 := withStoreLifecycle(first)
		t2 := time.Now()
		err2 := withStoreLifecycle(second)
		t3 := time.Now()
		if err := errors.Join(err1, err2); err != nil {
			b.Fatal(err)
		}
		p, w := t2.Sub(t1), t3.Sub(t2)
		if i%2 == 1 {
			p, w = w, p
		}
		plainT += p
		boundT += w
		ratios = append(ratios, float64(w)/float64(p))
	}
	actions := float64(b.N * (len(benchSteps) + 1))
	slices.Sort(ratios)
	b.ReportMetric(float64(plainT)/actions, "plain-ns/action")
	b.ReportMetric(float64(boundT)/actions, "bound-ns/action")
	b.ReportMetric(float64(boundT)/float64(plainT), "ratio")
	b.ReportMetric(ratios[len(ratios)/2], "median-ratio")
}

// BenchmarkNewPerAction is what a CRM did before WithStore: a
// ticket.New for every action (for reference; no target).
func BenchmarkNewPerAction(b *testing.B) {
	now := t0
	cfg := ticket.Config{Desk: "bench", Now: func() time.Time { return now }}
	var store *ticket.MemStore
	fresh := func() *ticket.Service {
		s, err := ticket.New(store, cfg)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%benchBatch == 0 {
			store = ticket.NewMemStore()
		}
		if err := withStoreLifecycle(fresh); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N*(len(benchSteps)+1)), "ns/action")
}
