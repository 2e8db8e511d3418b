package followup_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

func TestErrors(t *testing.T) {
	id := uuid.NewSHA1(uuid.NameSpaceOID, []byte("e"))
	cases := []struct {
		err  error
		is   []error
		says string
	}{
		{&followup.LeaseError{Task: id, Owner: "a", Status: followup.Done}, []error{followup.ErrLeaseLost, followup.ErrConflict}, "completed once"},
		{&followup.LeaseError{Task: id, Owner: "a", Status: followup.Claimed, Holder: "a", Expired: time.Unix(0, 0)}, []error{followup.ErrLeaseLost}, "expired"},
		{&followup.LeaseError{Task: id, Owner: "a", Status: followup.Claimed, Holder: "b"}, []error{followup.ErrLeaseLost}, "leased to b"},
		{&followup.LeaseError{Task: id, Owner: "a", Status: followup.Claimed, Holder: "a"}, []error{followup.ErrLeaseLost}, "lease token does not match"},
		{&followup.LeaseError{Task: id, Owner: "a", Status: followup.Pending}, []error{followup.ErrLeaseLost}, "claim it first"},
		{&followup.DuplicateError{Task: id}, []error{followup.ErrDuplicate, followup.ErrConflict}, "already exists"},
		{&followup.InputError{Field: "x", Reason: "y"}, []error{followup.ErrInvalid}, "invalid x"},
	}
	for _, c := range cases {
		msg := c.err.Error()
		for _, target := range c.is {
			if !errors.Is(c.err, target) {
				t.Errorf("%q does not match %v", msg, target)
			}
		}
		if errors.Is(c.err, followup.ErrNotFound) {
			t.Errorf("%q matches ErrNotFound", msg)
		}
		if !strings.Contains(msg, c.says) || !strings.Contains(msg, id.String()) && c.says != "invalid x" {
			t.Errorf("message %q does not say %q and the task", msg, c.says)
		}
		if strings.HasSuffix(msg, ".") || msg != strings.ToLower(msg[:1])+msg[1:] {
			t.Errorf("message %q: lower case, no trailing period", msg)
		}
	}
}

// TestDeskOutbox: a deriver reads a ticket.Outbox (here the ticket
// store itself) for one desk, and acknowledges what it handled.
func TestDeskOutbox(t *testing.T) {
	ctx := context.Background()
	c := newClock(monday)
	tstore := ticket.NewMemStore()
	pol := ticket.PropertyDesk()
	d1, _ := ticket.New(tstore, ticket.Config{Desk: "d1", Policy: &pol, Now: c.Now})
	d2, _ := ticket.New(tstore, ticket.Config{Desk: "d2", Policy: &pol, Now: c.Now})
	for _, s := range []*ticket.Service{d1, d2} {
		tk, err := s.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone,
			Fields: map[string]string{ticket.FieldPerson: "p", ticket.FieldPhone: "ref", ticket.FieldEvent: "fees"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResolveOnSpot(ctx, agent, ticket.Ref{ID: tk.ID}, "explained the fees"); err != nil {
			t.Fatal(err)
		}
	}
	store := followup.NewMemStore()
	der, _ := followup.NewDeriver(store, followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(1), Calendar: hours, Now: c.Now})
	q, _ := followup.NewQueue(store, followup.QueueConfig{Desk: "d1", Calendar: hours, Now: c.Now})
	sync, err := followup.NewTicketSync(followup.DeskOutbox(tstore, "d1"), der, q, d1)
	if err != nil {
		t.Fatal(err)
	}
	n, err := sync.Drain(ctx)
	if err != nil || n != 2 {
		t.Fatalf("drained %d events of d1: %v, want 2 (receive, resolve on the spot)", n, err)
	}
	ts := tasksOf(t, q, followup.Filter{})
	if len(ts) != 1 || ts[0].Rule != "F7.answered" || !ts[0].Due.Equal(monday) {
		t.Errorf("tasks of d1: %d, want one F7 call at once", len(ts))
	}
	if left, _ := tstore.Pending(ctx, followup.Consumer, "d1", 10); len(left) != 0 {
		t.Errorf("%d d1 events still pending", len(left))
	}
	if left, _ := tstore.Pending(ctx, followup.Consumer, "d2", 10); len(left) != 2 {
		t.Errorf("d2's events were touched: %d pending, want 2", len(left))
	}
	if _, err := followup.NewTicketSync(followup.DeskOutbox(tstore, "d1"), der, mustQueue(t, store, "d2"), d1); !errors.Is(err, followup.ErrInvalid) {
		t.Errorf("deriver and queue of different desks: %v, want ErrInvalid", err)
	}
}

func mustQueue(t *testing.T, s followup.Store, desk string) *followup.Queue {
	t.Helper()
	q, err := followup.NewQueue(s, followup.QueueConfig{Desk: desk, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return q
}
