package sqlstore

import (
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

func TestNanos(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 123, time.UTC)
	if got := FromNanos(Nanos(now)); !got.Equal(now) {
		t.Fatalf("round trip %v → %v", now, got)
	}
	if !FromNanos(Nanos(time.Time{})).IsZero() || Nanos(time.Time{}) >= Nanos(now) {
		t.Fatal("the zero time must stay zero and sort first")
	}
	if Nanos(time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)) != OpenNanos-1 {
		t.Fatal("a far time is not clamped below the open end")
	}
}

func TestTicketFilter(t *testing.T) {
	w := TicketFilter("north", ticket.Filter{States: []ticket.State{ticket.Received, ticket.Closed}, Owner: "li",
		Order: ticket.ByUpdated, After: &ticket.Cursor{Number: 7, Updated: time.Unix(0, 5)}})
	want := "desk = ? AND state IN (?, ?) AND owner = ? AND (updated_at, number) > (?, ?)"
	if w.SQL() != want || len(w.Args()) != 6 || w.Args()[5] != int64(7) {
		t.Fatalf("SQL %q args %v", w.SQL(), w.Args())
	}
	if got := Numbered("a = ? AND b IN (?, ?) LIMIT ?"); got != "a = $1 AND b IN ($2, $3) LIMIT $4" {
		t.Fatalf("Numbered: %q", got)
	}
	if TicketOrder(ticket.ByNumberDesc) != "number DESC" || TicketOrder(ticket.ByNumber) != "number" {
		t.Fatal("orders")
	}
}
