package postgres

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/servicedesk-go/desk/ticket"
)

// txSlot is a DB that forwards to whichever transaction is current: the
// straightforward way to run one service, built once, inside each of
// the caller's transactions without binding anything per transaction
// (safe only for one transaction at a time, which is why WithTx and
// WithStore exist).
type txSlot struct{ tx pgx.Tx }

func (s *txSlot) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return s.tx.Exec(ctx, sql, args...)
}

func (s *txSlot) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return s.tx.Query(ctx, sql, args...)
}

func (s *txSlot) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return s.tx.QueryRow(ctx, sql, args...)
}

func (s *txSlot) Begin(ctx context.Context) (pgx.Tx, error) { return s.tx.Begin(ctx) }

// BenchmarkWithStore runs one ticket action (a receive) inside a
// transaction of the caller's, two ways that alternate, pair by pair and
// in alternating order, on the same tables:
//
//   - plain: the service built once over a store on a forwarding handle
//     that is pointed at the caller's transaction (txSlot);
//   - bound: svc.WithStore(store.WithTx(tx).Tickets()), bound anew for
//     every transaction, as the README shows.
//
// Both begin, act and commit. "ratio" is bound over plain mean time per
// transaction (target <= 1.1), "median-ratio" the median of the pairs'
// ratios; "autocommit-ns/op" is the same receive through the plain
// service on the pool outside any transaction, for reference.
func BenchmarkWithStore(b *testing.B) {
	s, _ := openStore(b)
	ctx := context.Background()
	pool := s.DB()
	cfg := ticket.Config{Desk: "north"}
	slot := &txSlot{}
	plainSvc, err := ticket.New(New(slot).Tickets(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := ticket.New(s.Tickets(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	in := ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone}
	inTx := func(act func(tx pgx.Tx) error) error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		if err := act(tx); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		return tx.Commit(ctx)
	}
	plain := func() error {
		return inTx(func(tx pgx.Tx) error {
			slot.tx = tx
			_, err := plainSvc.Receive(ctx, agent, in)
			return err
		})
	}
	bound := func() error {
		return inTx(func(tx pgx.Tx) error {
			_, err := svc.WithStore(s.WithTx(tx).Tickets()).Receive(ctx, agent, in)
			return err
		})
	}
	auto := func() error {
		_, err := svc.Receive(ctx, agent, in)
		return err
	}
	var plainT, boundT, autoT time.Duration
	var ratios []float64
	for i := 0; b.Loop(); i++ {
		first, second := plain, bound
		if i%2 == 1 {
			first, second = bound, plain
		}
		t1 := time.Now()
		err1 := first()
		t2 := time.Now()
		err2 := second()
		t3 := time.Now()
		err3 := auto()
		t4 := time.Now()
		if err := errors.Join(err1, err2, err3); err != nil {
			b.Fatal(err)
		}
		p, w := t2.Sub(t1), t3.Sub(t2)
		if i%2 == 1 {
			p, w = w, p
		}
		plainT += p
		boundT += w
		autoT += t4.Sub(t3)
		ratios = append(ratios, float64(w)/float64(p))
	}
	n := float64(b.N)
	slices.Sort(ratios)
	b.ReportMetric(float64(plainT)/n, "plain-ns/op")
	b.ReportMetric(float64(boundT)/n, "bound-ns/op")
	b.ReportMetric(float64(autoT)/n, "autocommit-ns/op")
	b.ReportMetric(float64(boundT)/float64(plainT), "ratio")
	b.ReportMetric(ratios[len(ratios)/2], "median-ratio")
}
