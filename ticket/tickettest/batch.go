package tickettest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// batchOf returns n new tickets of desk (numbered from first in the
// NewTicket series) and their one-event histories.
func batchOf(desk string, first, n int) ([]*ticket.Ticket, [][]ticket.Event) {
	ts := make([]*ticket.Ticket, n)
	hs := make([][]ticket.Event, n)
	for i := range ts {
		tk, ev := NewTicket(desk, first+i)
		ts[i], hs[i] = tk, []ticket.Event{ev}
	}
	return ts, hs
}

// batchCreator is s as a BatchCreator; the case is skipped for a store
// that is not one.
func batchCreator(t *testing.T, s ticket.Store) ticket.BatchCreator {
	t.Helper()
	bc, ok := s.(ticket.BatchCreator)
	if !ok {
		t.Skip("the store is not a ticket.BatchCreator")
	}
	return bc
}

// testBatchNumbers: a batch takes the desk's next case numbers in the
// order given, between single creates, without gaps (T2); every ticket
// is stored with its history and its event is in the outbox, in case
// number order.
func testBatchNumbers(t *testing.T, s ticket.Store) {
	bc := batchCreator(t, s)
	ctx := context.Background()
	first, ev := NewTicket("north", 0)
	MustCreate(t, s, first, ev)
	ts, hs := batchOf("north", 1, 5)
	ts[1].Tags, ts[3].Tags = []string{"vip", "water"}, []string{"water"}
	if err := bc.CreateBatch(ctx, ts, hs); err != nil {
		t.Fatal(err)
	}
	for tag, want := range map[string][]int64{"water": {3, 5}, "vip": {3}} {
		got, err := s.List(ctx, "north", ticket.Filter{Tags: []string{tag}})
		if err != nil || len(got) != len(want) {
			t.Fatalf("tag %s: %d tickets, %v; want numbers %v", tag, len(got), err, want)
		}
		for i := range want {
			if got[i].Number != want[i] {
				t.Errorf("tag %s: ticket %d has number %d, want %d", tag, i, got[i].Number, want[i])
			}
		}
	}
	last, ev := NewTicket("north", 6)
	MustCreate(t, s, last, ev)
	if last.Number != 7 {
		t.Fatalf("the create after a batch of 5 got number %d, want 7", last.Number)
	}
	pending, err := s.Pending(ctx, "followup", "north", 100)
	if err != nil || len(pending) != 7 {
		t.Fatalf("outbox: %d events, %v; want 7", len(pending), err)
	}
	for i, tk := range ts {
		if tk.Number != int64(i+2) {
			t.Errorf("batch ticket %d got number %d, want %d", i, tk.Number, i+2)
		}
		got, err := s.ByNumber(ctx, "north", int64(i+2))
		if err != nil || got.ID != tk.ID || got.Version != 1 {
			t.Errorf("ByNumber(%d) = %+v, %v; want ticket %s", i+2, got, err, tk.ID)
		}
		hist, err := s.History(ctx, "north", tk.ID)
		if err != nil || len(hist) != 1 || hist[0].ID != hs[i][0].ID {
			t.Errorf("history of batch ticket %d: %+v, %v", i, hist, err)
		}
		if pending[i+1].ID != hs[i][0].ID {
			t.Errorf("outbox entry %d is %s, want batch ticket %d's event %s", i+1, pending[i+1].ID, i, hs[i][0].ID)
		}
	}
	if err := bc.CreateBatch(ctx, nil, nil); err != nil {
		t.Errorf("an empty batch: %v, want nil", err)
	}
	// Tickets and events are apart, as for Create: a ticket may carry
	// the ID of another ticket's event.
	more, mhs := batchOf("north", 7, 2)
	more[1].ID = mhs[0][0].ID
	mhs[1][0].Ticket = more[1].ID
	if err := bc.CreateBatch(ctx, more, mhs); err != nil {
		t.Errorf("a ticket with the ID of another's event: %v, want nil", err)
	}
}

// testBatchAllOrNothing: a batch with one ticket or event that is
// already stored, given twice, invalid or of another desk writes
// nothing and takes no case number.
func testBatchAllOrNothing(t *testing.T, s ticket.Store) {
	bc := batchCreator(t, s)
	ctx := context.Background()
	stored, sev := NewTicket("north", 0)
	MustCreate(t, s, stored, sev)
	before := dumpAll(t, s, "north", "south")
	cases := []struct {
		name  string
		spoil func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event)
		want  error
	}{
		{"a ticket ID already stored", func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event) {
			ts[2].ID = stored.ID
			hs[2][0].Ticket = stored.ID
			return ts, hs
		}, ticket.ErrConflict},
		{"an event ID already stored", func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event) {
			hs[3][0].ID = sev.ID
			return ts, hs
		}, ticket.ErrConflict},
		{"a ticket twice", func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event) {
			return append(ts, ts[1]), append(hs, hs[1])
		}, ticket.ErrConflict},
		{"an event ID twice", func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event) {
			hs[2][0].ID = hs[0][0].ID
			return ts, hs
		}, ticket.ErrConflict},
		{"a history of another ticket", func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event) {
			hs[1][0].Ticket = uuid.New()
			return ts, hs
		}, ticket.ErrInvalid},
		{"text no store can hold", func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event) {
			ts[3].Subject = "nul\x00"
			return ts, hs
		}, ticket.ErrInvalid},
		{"a ticket of another desk", func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event) {
			o, oev := NewTicket("south", 9)
			ts[2], hs[2] = o, []ticket.Event{oev}
			return ts, hs
		}, ticket.ErrInvalid},
		{"fewer histories than tickets", func(ts []*ticket.Ticket, hs [][]ticket.Event) ([]*ticket.Ticket, [][]ticket.Event) {
			return ts, hs[:3]
		}, ticket.ErrInvalid},
	}
	for _, c := range cases {
		ts, hs := c.spoil(batchOf("north", 1, 4))
		if err := bc.CreateBatch(ctx, ts, hs); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if after := dumpAll(t, s, "north", "south"); after != before {
			t.Fatalf("%s: a refused batch changed the store:\nbefore %s\nafter  %s", c.name, before, after)
		}
	}
	next, ev := NewTicket("north", 5)
	MustCreate(t, s, next, ev)
	if next.Number != 2 {
		t.Fatalf("after refused batches the next create got number %d, want 2 (no number taken)", next.Number)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	ts, hs := batchOf("north", 6, 3)
	if err := bc.CreateBatch(cctx, ts, hs); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled CreateBatch: %v, want context.Canceled", err)
	}
	if _, err := s.Get(ctx, "north", ts[0].ID); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("a cancelled batch stored a ticket: Get = %v", err)
	}
}

// testBatchConcurrent: batches and single creates of one desk at once
// leave case numbers 1..n without gaps, each ticket stored once (T2).
func testBatchConcurrent(t *testing.T, s ticket.Store) {
	bc := batchCreator(t, s)
	ctx := context.Background()
	const batches, size, singles = 8, 5, 10
	var wg sync.WaitGroup
	for b := range batches {
		wg.Go(func() {
			ts, hs := batchOf("north", b*size, size)
			if err := bc.CreateBatch(ctx, ts, hs); err != nil {
				t.Errorf("batch %d: %v", b, err)
				return
			}
			for i := 1; i < size; i++ {
				if ts[i].Number != ts[0].Number+int64(i) {
					t.Errorf("batch %d: numbers %d, %d not consecutive", b, ts[0].Number, ts[i].Number)
				}
			}
		})
	}
	for i := range singles {
		wg.Go(func() {
			tk, ev := NewTicket("north", 1000+i)
			if err := s.Create(ctx, tk, []ticket.Event{ev}); err != nil {
				t.Errorf("single %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	list, err := s.List(ctx, "north", ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := batches*size + singles; len(list) != n {
		t.Fatalf("%d tickets, want %d", len(list), n)
	}
	for i, tk := range list {
		if tk.Number != int64(i+1) {
			t.Fatalf("case numbers not 1..%d without gaps: position %d has %d", len(list), i, tk.Number)
		}
	}
}
