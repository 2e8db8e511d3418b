package ticket_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// TestT14_concurrent_actors_leave_a_gapless_history: 100 goroutines act on one ticket at once, each
// from the version it read. Exactly one write per version wins, the
// others get ErrConflict, and the history has no gaps or duplicates
// (T14).
func TestT14_concurrent_actors_leave_a_gapless_history(t *testing.T) {
	d := newDesk(t, nil)
	tk := d.receive(agent, inquiryIntake())
	const goroutines = 100
	var wins, conflicts atomic.Int64
	var wg, ready sync.WaitGroup
	start := make(chan struct{})
	for range goroutines {
		wg.Add(1)
		ready.Add(1)
		go func() {
			defer wg.Done()
			cur, err := d.svc.Get(ctx, tk.ID)
			ready.Done()
			if err != nil {
				t.Error(err)
				return
			}
			<-start
			_, err = d.svc.Note(ctx, agent, cur.Ref(), "ping")
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, ticket.ErrConflict):
				conflicts.Add(1)
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	ready.Wait()
	close(start)
	wg.Wait()
	if wins.Load() != 1 || wins.Load()+conflicts.Load() != goroutines {
		t.Fatalf("%d wins and %d conflicts from one version, want 1 and %d", wins.Load(), conflicts.Load(), goroutines-1)
	}
	// Unversioned refs retry until they land: every one of them lands,
	// however the goroutines are scheduled (they start together to
	// collide as much as they can).
	var landed atomic.Int64
	start = make(chan struct{})
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := d.svc.Note(ctx, agent, ticket.Ref{ID: tk.ID}, "pong"); err == nil {
				landed.Add(1)
			} else {
				t.Errorf("a write without a version was refused: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	h, err := d.svc.History(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := 2 + landed.Load()
	if int64(len(h)) != want {
		t.Fatalf("history has %d events, want %d", len(h), want)
	}
	seen := map[string]bool{}
	for i, e := range h {
		if e.Seq != int64(i+1) {
			t.Fatalf("history gap or duplicate at %d: Seq %d", i, e.Seq)
		}
		if seen[e.ID.String()] {
			t.Fatalf("event %s twice", e.ID)
		}
		seen[e.ID.String()] = true
	}
	got, _ := d.svc.Get(ctx, tk.ID)
	if got.Version != int64(len(h)) {
		t.Fatalf("version %d, history %d", got.Version, len(h))
	}
	if landed.Load() != goroutines {
		t.Fatalf("only %d of %d writes without a version landed", landed.Load(), goroutines)
	}
}
