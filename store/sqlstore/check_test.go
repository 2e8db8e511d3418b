package sqlstore

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// The checks the adapters call are the in-memory stores' own: the same
// input is refused here and by MemStore, with the same sentinel.
func TestChecks(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tk := &ticket.Ticket{ID: uuid.New(), Desk: "north", Version: 1, Kind: ticket.Repair, State: ticket.Received,
		ReceivedAt: at, UpdatedAt: at}
	ev := ticket.Event{ID: uuid.New(), Desk: "north", Ticket: tk.ID, Seq: 1, Action: ticket.ActReceive, At: at}
	t.Run("ticket_history", func(t *testing.T) {
		if err := CheckHistory(tk, []ticket.Event{ev}); err != nil {
			t.Fatalf("a well-formed history: %v", err)
		}
		bad := ev
		bad.Seq = 2
		err := CheckHistory(tk, []ticket.Event{bad})
		memErr := ticket.NewMemStore().Create(t.Context(), tk.Clone(), []ticket.Event{bad})
		if !errors.Is(err, ticket.ErrInvalid) || !errors.Is(memErr, ticket.ErrInvalid) || err.Error() != memErr.Error() {
			t.Fatalf("check %v, MemStore %v: want the same ErrInvalid", err, memErr)
		}
	})
	t.Run("ticket_event", func(t *testing.T) {
		next := tk.Clone()
		next.Version = 2
		nev := ev
		nev.ID, nev.Seq, nev.Note = uuid.New(), 2, "a\x00b"
		if err := CheckEvent(next, nev); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("an event with a NUL note: %v, want ErrInvalid", err)
		}
		nev.Note = "fine"
		if err := CheckEvent(next, nev); err != nil {
			t.Fatalf("a well-formed event: %v", err)
		}
	})
	t.Run("task_new_and_write", func(t *testing.T) {
		task := &followup.Task{ID: uuid.New(), Desk: "north", Status: followup.Claimed}
		err := CheckNew(task)
		memErr := followup.NewMemStore().Create(t.Context(), task.Clone())
		if !errors.Is(err, followup.ErrInvalid) || !errors.Is(memErr, followup.ErrInvalid) {
			t.Fatalf("check %v, MemStore %v: a task created claimed is ErrInvalid", err, memErr)
		}
		task.Subject = "a\xffb"
		if err := CheckTask(task); !errors.Is(err, followup.ErrInvalid) {
			t.Fatalf("invalid UTF-8: %v, want ErrInvalid", err)
		}
	})
	t.Run("task_lease", func(t *testing.T) {
		held := followup.Lease{Owner: "w", Token: uuid.New(), Expires: at.Add(time.Minute)}
		cur := &followup.Task{ID: uuid.New(), Status: followup.Claimed, Lease: held}
		if err := CheckLease(cur, held, at); err != nil {
			t.Fatalf("the live lease: %v", err)
		}
		var le *followup.LeaseError
		if err := CheckLease(cur, held, at.Add(time.Minute)); !errors.As(err, &le) || le.Expired != held.Expires {
			t.Fatalf("an expired lease: %v, want a *LeaseError naming its expiry", err)
		}
	})
}
