package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store"
	"github.com/servicedesk-go/desk/ticket"
)

// A database file locked by another writer past the busy timeout, and
// a closed store, answer store.ErrUnavailable; a refused write of the
// request's own (a duplicate) does not.
func TestUnavailable(t *testing.T) {
	s, path := openStore(t)
	ctx := context.Background()
	svc, err := ticket.New(s.Tickets(), ticket.Config{Desk: "north"})
	if err != nil {
		t.Fatal(err)
	}
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	tk, err := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	if err != nil {
		t.Fatal(err)
	}
	// A second process's connection, with a short busy timeout, while
	// this one holds the write lock.
	dsn := strings.Replace(DSN(path), "busy_timeout(10000)", "busy_timeout(50)", 1)
	other, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := s.DB().BeginTx(ctx, nil) // _txlock=immediate: takes the write lock
	if err != nil {
		t.Fatal(err)
	}
	svc2, err := ticket.New(New(other).Tickets(), ticket.Config{Desk: "north"})
	if err != nil {
		t.Fatal(err)
	}
	_, werr := svc2.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	_ = lock.Rollback()
	if !errors.Is(werr, store.ErrUnavailable) {
		t.Errorf("a write while another holds the lock: %v, want store.ErrUnavailable", werr)
	}
	if err := s.Tickets().Create(ctx, tk, []ticket.Event{}); errors.Is(err, store.ErrUnavailable) {
		t.Errorf("a refused write of the request's own: %v is store.ErrUnavailable", err)
	}
	s.Close()
	_, terr := s.Tickets().Get(ctx, "north", uuid.New())
	_, ferr := s.Followups().List(ctx, "north", followup.Filter{})
	for _, err := range []error{terr, ferr} {
		if !errors.Is(err, store.ErrUnavailable) {
			t.Errorf("closed store: %v, want store.ErrUnavailable", err)
		}
	}
}
