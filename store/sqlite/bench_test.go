package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/store/sqlstore/sqlstoretest"
	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// BenchmarkTransition: one ticket transition (ticket row, history event,
// outbox entry, one durable commit) per op.
func BenchmarkTransition(b *testing.B) {
	s, _ := openStore(b)
	ctx := context.Background()
	cur, ev := newTicket("north", 1)
	tickettest.MustCreate(b, s.Tickets(), cur, ev)
	for b.Loop() {
		n, nev := next(cur, ticket.Received, "step")
		if err := s.Tickets().Update(ctx, n, nev); err != nil {
			b.Fatal(err)
		}
		cur = n
	}
}

// BenchmarkFollowupThroughput: 8 goroutines claim and complete due
// tasks (sqlstoretest.Drain); one op is one task claimed and completed.
// "single" claims one and completes it with Complete (a commit per
// completion); "batch" claims 128 and completes them with CompleteBatch
// (one commit per batch).
func BenchmarkFollowupThroughput(b *testing.B) {
	sqlstoretest.Throughput(b, func(b *testing.B, limit int) func() error {
		s, _ := openStore(b)
		ctx := context.Background()
		err := s.atomic(ctx, func(db DB) error {
			in := &Store{db: db, tx: nil}
			in.bind()
			for i := range b.N {
				t := followuptest.NewTask("north", i, followuptest.T0.Add(time.Duration(i)))
				if err := in.Followups().Create(ctx, t); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		now := func() time.Time { return followuptest.T0.Add(time.Hour) }
		return func() error {
			_, err := sqlstoretest.Drain(ctx, s, "north", 8, limit, b.N, now)
			return err
		}
	})
}
