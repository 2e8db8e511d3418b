package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
	"github.com/servicedesk-go/desk/ticket/tickettest"
)

// TestOutboxLateCommitIsDelivered forces the case a sequence checkpoint
// gets wrong: a transaction holding a lower outbox number commits after
// a higher-numbered event was read and acknowledged. The late event is
// still delivered.
func TestOutboxLateCommitIsDelivered(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	a, aev := newTicket("north", 1)
	b, bev := newTicket("north", 2)
	for _, c := range []struct {
		t  *ticket.Ticket
		ev ticket.Event
	}{{a, aev}, {b, bev}} {
		if err := s.Tickets().Create(ctx, c.t, []ticket.Event{c.ev}); err != nil {
			t.Fatal(err)
		}
		if err := s.Tickets().Ack(ctx, "deriver", "north", c.ev.ID); err != nil {
			t.Fatal(err)
		}
	}
	txA, err := s.DB().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer txA.Rollback(ctx)
	a2, a2ev := next(a, ticket.Dispatched, "slow transaction")
	if err := s.WithTx(txA).Tickets().Update(ctx, a2, a2ev); err != nil {
		t.Fatal(err)
	}
	b2, b2ev := next(b, ticket.Dispatched, "fast transaction")
	if err := s.Tickets().Update(ctx, b2, b2ev); err != nil {
		t.Fatal(err)
	}
	var seqA, seqB int64
	if err := txA.QueryRow(ctx, `SELECT seq FROM desk_ticket_outbox WHERE event_id = $1`, a2ev.ID).Scan(&seqA); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow(ctx, `SELECT seq FROM desk_ticket_outbox WHERE event_id = $1`, b2ev.ID).Scan(&seqB); err != nil {
		t.Fatal(err)
	}
	if seqA >= seqB {
		t.Fatalf("setup: the open transaction's event has seq %d, the committed one %d; want the open one lower", seqA, seqB)
	}
	got, err := s.Tickets().Pending(ctx, "deriver", "north", 10)
	if err != nil || len(got) != 1 || got[0].ID != b2ev.ID {
		t.Fatalf("while the slow transaction is open, pending = %v, %v; want only the committed event", got, err)
	}
	if err := s.Tickets().Ack(ctx, "deriver", "north", b2ev.ID); err != nil {
		t.Fatal(err)
	}
	if err := txA.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got, err = s.Tickets().Pending(ctx, "deriver", "north", 10)
	if err != nil || len(got) != 1 || got[0].ID != a2ev.ID {
		t.Fatalf("after the late commit (seq %d < acknowledged seq %d), pending = %v, %v; want the late event", seqA, seqB, got, err)
	}
}

// TestOutboxConcurrentWritersAndConsumers: writers commit ticket changes
// in random order (some hold their transaction open a while) while
// consumers of both scopes read and acknowledge. Every committed event
// reaches every consumer of its scope; none is skipped.
func TestOutboxConcurrentWritersAndConsumers(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	writers, steps := 8, 40
	if *long {
		writers, steps = 16, 400
	}
	var writing atomic.Int32
	writing.Store(int32(writers))
	var wg sync.WaitGroup
	errs := make(chan error, writers+8)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer writing.Add(-1)
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			desk := []string{"north", "south"}[w%2]
			cur, ev := newTicket(desk, w)
			if err := s.Tickets().Create(ctx, cur, []ticket.Event{ev}); err != nil {
				errs <- err
				return
			}
			for i := range steps {
				n, nev := next(cur, ticket.Received, fmt.Sprintf("w%d step %d", w, i))
				if rng.IntN(3) == 0 {
					tx, err := s.DB().Begin(ctx)
					if err != nil {
						errs <- err
						return
					}
					if err := s.WithTx(tx).Tickets().Update(ctx, n, nev); err != nil {
						tx.Rollback(ctx)
						errs <- err
						return
					}
					time.Sleep(time.Duration(rng.IntN(4000)) * time.Microsecond) // commit late
					if err := tx.Commit(ctx); err != nil {
						errs <- err
						return
					}
				} else if err := s.Tickets().Update(ctx, n, nev); err != nil {
					errs <- err
					return
				}
				cur = n
			}
		}()
	}
	type consumer struct {
		name, scope string
		seen        map[uuid.UUID]int
	}
	consumers := []*consumer{{"sys", "", nil}, {"north-deriver", "north", nil}, {"south-webhook", "south", nil}}
	var cw sync.WaitGroup
	for _, c := range consumers {
		c.seen = map[uuid.UUID]int{}
		cw.Add(1)
		go func() {
			defer cw.Done()
			for {
				done := writing.Load() == 0 // read before Pending: an empty answer after it means drained
				batch, err := s.Tickets().Pending(ctx, c.name, c.scope, 25)
				if err != nil {
					errs <- err
					return
				}
				if len(batch) == 0 {
					if done {
						return
					}
					time.Sleep(time.Millisecond)
					continue
				}
				ids := make([]uuid.UUID, len(batch))
				for i, e := range batch {
					c.seen[e.ID]++
					ids[i] = e.ID
				}
				if err := s.Tickets().Ack(ctx, c.name, c.scope, ids...); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	cw.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Every committed event, from the histories.
	all := map[string][]uuid.UUID{}
	for _, desk := range []string{"north", "south"} {
		list, err := s.Tickets().List(ctx, desk, ticket.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range list {
			h, err := s.Tickets().History(ctx, desk, tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range h {
				all[desk] = append(all[desk], e.ID)
			}
		}
	}
	if n := len(all["north"]) + len(all["south"]); n != writers*(steps+1) {
		t.Fatalf("%d events committed, want %d", n, writers*(steps+1))
	}
	for _, c := range consumers {
		var want []uuid.UUID
		for desk, ids := range all {
			if c.scope == "" || c.scope == desk {
				want = append(want, ids...)
			}
		}
		missing, dup := 0, 0
		for _, id := range want {
			switch c.seen[id] {
			case 0:
				missing++
			case 1:
			default:
				dup++
			}
		}
		if missing > 0 || len(c.seen) != len(want) {
			t.Errorf("consumer %s (scope %q) saw %d distinct events, missed %d of %d", c.name, c.scope, len(c.seen), missing, len(want))
		}
		if dup > 0 {
			t.Errorf("consumer %s got %d events twice although it acknowledged each before reading again", c.name, dup)
		}
	}
}

// TestOutboxLowWaterMark: acknowledgements fold into the consumer's
// low-water mark and their rows are pruned, so Pending does not rescan
// the acknowledged past; a transaction still open keeps the mark below
// its own events, which are then delivered when it commits.
func TestOutboxLowWaterMark(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	var ids []uuid.UUID
	var tickets []*ticket.Ticket
	for i := range 20 {
		tk, ev := newTicket("north", i)
		tickettest.MustCreate(t, s.Tickets(), tk, ev)
		ids = append(ids, ev.ID)
		tickets = append(tickets, tk)
	}
	var acks int
	var low, maxXid string
	// The mark never passes a transaction still open anywhere on the
	// server (pg_snapshot_xmin): on a server shared with other tests one
	// may be. Acknowledging again is a no-op that advances the mark
	// again, so retry until no older transaction is open, for a while.
	for deadline := time.Now().Add(30 * time.Second); ; {
		if err := s.Tickets().Ack(ctx, "deriver", "north", ids...); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRow(ctx, `SELECT count(*) FROM desk_ticket_acks WHERE consumer = 'deriver'`).Scan(&acks); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRow(ctx, `SELECT c.low::text, (SELECT max(xid)::text FROM desk_ticket_outbox)
		FROM desk_ticket_consumers c WHERE consumer = 'deriver' AND scope = 'north'`).Scan(&low, &maxXid); err != nil {
			t.Fatal(err)
		}
		if acks == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if acks != 0 {
		t.Errorf("%d ack rows left after the mark passed them, want 0 (pruned)", acks)
	}
	var passed bool
	if err := s.DB().QueryRow(ctx, `SELECT $1::xid8 > $2::xid8`, low, maxXid).Scan(&passed); err != nil || !passed {
		t.Errorf("low-water mark %s is not past the acknowledged events (max xid %s): %v", low, maxXid, err)
	}

	// An open transaction writes an event; others commit and are
	// acknowledged meanwhile. The mark must stay at or below the open
	// transaction's xid, or its event would be lost.
	open, err := s.DB().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Rollback(ctx)
	late, lev := next(tickets[0], ticket.Dispatched, "late")
	if err := s.WithTx(open).Tickets().Update(ctx, late, lev); err != nil {
		t.Fatal(err)
	}
	for _, tk := range tickets[1:5] {
		n, nev := next(tk, ticket.Dispatched, "quick")
		if err := s.Tickets().Update(ctx, n, nev); err != nil {
			t.Fatal(err)
		}
		if err := s.Tickets().Ack(ctx, "deriver", "north", nev.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := open.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.Tickets().Pending(ctx, "deriver", "north", 10)
	if err != nil || len(got) != 1 || got[0].ID != lev.ID {
		t.Fatalf("after the late commit pending = %v, %v; want the late event", got, err)
	}
	if err := s.Tickets().Ack(ctx, "deriver", "north", lev.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Tickets().Pending(ctx, "deriver", "north", 10); len(got) != 0 {
		t.Fatalf("%d pending after acknowledging everything", len(got))
	}
	// Acknowledging an event below the mark again is still a no-op.
	if err := s.Tickets().Ack(ctx, "deriver", "north", ids[0]); err != nil {
		t.Fatalf("acknowledging an old event twice: %v", err)
	}
}

// TestOutboxAdvanceReadsThePassedRows: Ack's advance of the low-water
// mark reads the outbox only up to the first unacknowledged row, not the
// whole unacknowledged tail behind it, so a consumer that lags (a long
// tail) does not pay for the tail on every Ack. The statement is run
// under EXPLAIN ANALYZE (in a transaction rolled back) after the first
// 10 of 600 events were acknowledged: no scan of the outbox may return
// more than the acknowledged rows and the one that stops it.
func TestOutboxAdvanceReadsThePassedRows(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	var ids []uuid.UUID
	for i := range 600 {
		tk, ev := newTicket("north", i)
		tickettest.MustCreate(t, s.Tickets(), tk, ev)
		ids = append(ids, ev.ID)
	}
	if err := s.Tickets().Ack(ctx, "deriver", "north", ids[:10]...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ desk, sql string }{{"north", advanceDeskSQL}, {"", advanceAllSQL}} {
		if c.desk == "" {
			if err := s.Tickets().Ack(ctx, "deriver", "", ids[:10]...); err != nil {
				t.Fatal(err)
			}
		}
		tx, err := s.DB().Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := explain(ctx, tx, "EXPLAIN (ANALYZE, COSTS OFF) "+c.sql, "deriver", c.desk)
		_ = tx.Rollback(ctx)
		if err != nil {
			t.Fatal(err)
		}
		scans := 0
		for _, line := range plan {
			m := regexp.MustCompile(`on desk_ticket_outbox\w* \w+ \(actual time=[0-9.]+\.\.[0-9.]+ rows=(\d+)`).FindStringSubmatch(line)
			if m == nil {
				continue
			}
			scans++
			if n, _ := strconv.Atoi(m[1]); n > 20 {
				t.Errorf("scope %q: an outbox scan returned %d rows (the tail), want at most 20:\n%s", c.desk, n, strings.Join(plan, "\n"))
			}
		}
		if scans == 0 {
			t.Fatalf("scope %q: no outbox scan in the plan:\n%s", c.desk, strings.Join(plan, "\n"))
		}
	}
}
