package roster

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// wantInput fails unless err is an *InputError for field wrapping
// ErrInvalid.
func wantInput(t *testing.T, err error, field string) {
	t.Helper()
	var ie *InputError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &ie) || ie.Field != field {
		t.Fatalf("got %v, want an *InputError for %s", err, field)
	}
}

func TestInputs(t *testing.T) {
	ctx := context.Background()
	day := D(2026, 3, 2)
	at := hm(day, 12, 0)

	t.Run("Issue12_text_no_store_can_hold_is_refused_at_the_service", func(t *testing.T) {
		svc, _, as := seedDesk(t, Policy{})
		for _, bad := range []string{"a\x00b", "a\xffb"} {
			_, err := svc.GrantLeave(ctx, "amy", at, at.Add(time.Hour), bad)
			wantInput(t, err, "away.note")
			_, err = svc.MarkOffline(ctx, bad, "")
			wantInput(t, err, "away.agent")
			_, err = svc.RequestSwap(ctx, SwapRequest{Assignment: as[0].ID, From: as[0].Agent, To: "zed", Reason: bad})
			wantInput(t, err, "swap.reason")
			_, err = svc.AddDuty(ctx, Duty{Desk: "d", Agent: "amy", Kind: NoonDuty, Start: at, End: at.Add(time.Hour), ForwardTo: bad})
			wantInput(t, err, "duty.forward_to")
			a := as[0]
			a.ID, a.Agent = uuid.Nil, bad
			wantInput(t, svc.Publish(ctx, []Assignment{a}), "assignment.agent")
			_, err = New(NewMemStore(), Config{Desk: bad})
			wantInput(t, err, "desk")
			wantInput(t, Shift{Name: bad, Start: At(9, 0), End: At(17, 0)}.Validate(), "shift.name")
		}
		v, err := svc.View(ctx, hm(day, 0, 0), hm(day.AddDays(2), 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Assignments) != len(as) || len(v.Swaps)+len(v.Away)+len(v.Duties) != 0 {
			t.Fatalf("refused input was stored: %d assignments (want %d), %d swaps, %d away, %d duties",
				len(v.Assignments), len(as), len(v.Swaps), len(v.Away), len(v.Duties))
		}
	})

	t.Run("Issue12_lengths_are_bounded_by_configurable_defaults", func(t *testing.T) {
		d := DefaultBounds()
		if d.Name != 200 || d.Text != 4000 {
			t.Fatalf("DefaultBounds() = %+v", d)
		}
		svc := mustNew(t, NewMemStore(), Config{Desk: "d"}) // zero Bounds: the defaults
		name := strings.Repeat("é", d.Name)
		if _, err := svc.GrantLeave(ctx, name, at, at.Add(time.Hour), strings.Repeat("x", d.Text)); err != nil {
			t.Fatalf("texts at the bounds: %v", err)
		}
		_, err := svc.GrantLeave(ctx, name+"é", at, at.Add(time.Hour), "")
		wantInput(t, err, "away.agent")
		_, err = svc.GrantLeave(ctx, "amy", at, at.Add(time.Hour), strings.Repeat("x", d.Text+1))
		wantInput(t, err, "away.note")

		small := mustNew(t, NewMemStore(), Config{Desk: "d", Bounds: Bounds{Name: 3}})
		if _, err := small.GrantLeave(ctx, "amy", at, at.Add(time.Hour), strings.Repeat("x", d.Text)); err != nil {
			t.Fatalf("Text left zero takes the default: %v", err)
		}
		_, err = small.GrantLeave(ctx, "anna", at, at.Add(time.Hour), "")
		wantInput(t, err, "away.agent")
		_, err = New(NewMemStore(), Config{Desk: "desk", Bounds: Bounds{Name: 3}})
		wantInput(t, err, "desk")
		v, err := small.View(ctx, at.Add(-time.Hour), at.Add(2*time.Hour))
		if err != nil || len(v.Away) != 1 {
			t.Fatalf("want only the leave within bounds stored, got %v, %v", v, err)
		}

		neg, err := New(NewMemStore(), Config{Desk: "d", Bounds: Bounds{Text: -1}})
		if neg != nil {
			t.Fatal("New returned a service with a negative bound")
		}
		wantInput(t, err, "config.bounds")
	})
}

// The service is bound to one desk in its Config, as ticket.Service and
// followup.Queue are: records name it or leave it empty, another desk is
// refused before anything is written.
func TestServiceDesk(t *testing.T) {
	ctx := context.Background()
	day := D(2026, 3, 2)
	at := hm(day, 12, 0)

	t.Run("desk_is_required", func(t *testing.T) {
		_, err := New(NewMemStore(), Config{})
		wantInput(t, err, "desk")
	})
	t.Run("records_of_another_desk_are_refused", func(t *testing.T) {
		store := NewMemStore()
		svc := mustNew(t, store, Config{Desk: "north"})
		if svc.Desk() != "north" {
			t.Fatalf("Desk() = %q", svc.Desk())
		}
		mine := NewAssignment(uuid.Nil, "", "li", SeedShifts()[0], day, time.UTC)
		theirs := NewAssignment(uuid.Nil, "south", "bo", SeedShifts()[1], day, time.UTC)
		wantInput(t, svc.Publish(ctx, []Assignment{mine, theirs}), "assignment.desk")
		_, err := svc.AddDuty(ctx, Duty{Desk: "south", Agent: "bo", Kind: NoonDuty, Start: at, End: at.Add(time.Hour)})
		wantInput(t, err, "duty.desk")
		for _, desk := range []string{"north", "south"} {
			as, err := store.Assignments(ctx, desk, hm(day, 0, 0), hm(day.AddDays(2), 0, 0))
			if err != nil || len(as) != 0 {
				t.Fatalf("desk %s: a refused batch stored %d assignments (%v)", desk, len(as), err)
			}
		}
		if err := svc.Publish(ctx, []Assignment{mine}); err != nil {
			t.Fatal(err)
		}
		as, err := store.Assignments(ctx, "north", hm(day, 0, 0), hm(day.AddDays(2), 0, 0))
		if err != nil || len(as) != 1 || as[0].Desk != "north" {
			t.Fatalf("an empty desk is the service's: %v, %v", as, err)
		}
	})
}
