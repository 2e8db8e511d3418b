package followup_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// plumberWorker is staff of a department: it resolves repairs but may
// not record revisits (ticket.DefaultRoles).
var plumberWorker = ticket.Actor{ID: "wu", Role: ticket.RoleDepartment}

func TestRevisitRole(t *testing.T) {
	ctx := context.Background()
	// waiting returns a desk whose repair waits in revisit, and its
	// revisit task.
	waiting := func(t *testing.T) (*desk, *ticket.Ticket, *followup.Task) {
		d := newDesk(t, "d1", followup.PropertyRules(1))
		tk := d.repair(t, followup.Leak)
		d.drain(t)
		tk = d.answerAndAccept(t, tk.ID)
		if tk.State != ticket.Revisit {
			t.Fatalf("ticket %s, want revisit", tk.State)
		}
		d.drain(t)
		task := onlyTask(t, d.queue, "F2.leak")
		d.clock.Advance(24 * time.Hour)
		return d, tk, task
	}
	t.Run("T13_a_role_that_may_not_record_revisits_cannot_complete_one", func(t *testing.T) {
		d, tk, task := waiting(t)
		claimed := claimTask(t, d.queue, plumberWorker.ID, task.ID)
		_, err := d.queue.Complete(ctx, claimed, followup.Outcome{Result: followup.ProblemFound, By: plumberWorker,
			Channel: followup.OnSite, Note: "tap still drips"})
		if !errors.Is(err, followup.ErrForbidden) || !errors.Is(err, ticket.ErrForbidden) {
			t.Fatalf("completion by %s: %v, want ErrForbidden", plumberWorker, err)
		}
		if got, _ := d.queue.Get(ctx, task.ID); got.Status != followup.Claimed || got.Outcome != nil {
			t.Fatalf("a refused completion changed the task: %s %+v", got.Status, got.Outcome)
		}
		// The worker's lead completes it; the ticket takes the outcome.
		by := ticket.Actor{ID: "chen", Role: task.Role}
		if _, err := d.queue.Complete(ctx, claimed, followup.Outcome{Result: followup.ProblemFound, By: by,
			Channel: followup.OnSite, Note: "tap still drips"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := d.tickets.Get(ctx, tk.ID); got.State != ticket.Reopened {
			t.Fatalf("ticket %s after the revisit found a problem, want reopened", got.State)
		}
	})
	t.Run("T13_a_lead_releases_a_ticket_whose_revisit_outcome_was_refused", func(t *testing.T) {
		d, tk, task := waiting(t)
		// A queue without Tickets cannot check the role: the outcome is
		// stored, and the ticket refuses it when it is synced.
		blind, err := followup.NewQueue(d.store, followup.QueueConfig{Desk: "d1", Calendar: hours, Now: d.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		claimed := claimTask(t, blind, plumberWorker.ID, task.ID)
		if _, err := blind.Complete(ctx, claimed, followup.Outcome{Result: followup.ProblemFound, By: plumberWorker,
			Channel: followup.OnSite, Note: "tap still drips"}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.queue.SyncTicket(ctx, tk.ID); !errors.Is(err, ticket.ErrForbidden) {
			t.Fatalf("sync of the refused outcome: %v, want ticket.ErrForbidden", err)
		}
		if got, _ := d.tickets.Get(ctx, tk.ID); got.State != ticket.Revisit {
			t.Fatalf("ticket %s, want still waiting in revisit", got.State)
		}
		if _, err := d.queue.Release(ctx, plumberWorker, task.ID, "wrong role"); !errors.Is(err, ticket.ErrForbidden) {
			t.Fatalf("release by a role that may not record revisits: %v, want ErrForbidden", err)
		}
		lead := ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}
		if _, err := d.queue.Release(ctx, lead, task.ID, ""); !errors.Is(err, followup.ErrInvalid) {
			t.Fatalf("release without a reason: %v, want ErrInvalid", err)
		}
		got, err := d.queue.Release(ctx, lead, task.ID, "recorded by a plumber; confirmed by phone")
		if err != nil {
			t.Fatal(err)
		}
		if !got.Synced {
			t.Error("the released task is not marked synced")
		}
		after, _ := d.tickets.Get(ctx, tk.ID)
		if after.State != ticket.Reopened {
			t.Fatalf("ticket %s after the release, want reopened (the revisit found a problem)", after.State)
		}
		h, _ := d.tickets.History(ctx, tk.ID)
		last := h[len(h)-1]
		if last.Action != ticket.ActRevisitFail || last.Actor != lead.ID || !strings.Contains(last.Note, plumberWorker.ID) {
			t.Fatalf("the release is not on the record as the lead's, naming the worker: %+v", last)
		}
		if _, err := d.queue.Release(ctx, lead, task.ID, "again"); !errors.Is(err, followup.ErrConflict) {
			t.Fatalf("releasing twice: %v, want ErrConflict", err)
		}
		if n, err := d.queue.SyncAll(ctx); err != nil || n != 0 {
			t.Fatalf("SyncAll after the release: %d, %v", n, err)
		}
	})
}
