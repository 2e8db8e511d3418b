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
			_, err := svc.GrantLeave(ctx, "d", "amy", at, at.Add(time.Hour), bad)
			wantInput(t, err, "away.note")
			_, err = svc.MarkOffline(ctx, "d", bad, "")
			wantInput(t, err, "away.agent")
			_, err = svc.RequestSwap(ctx, "d", SwapRequest{Assignment: as[0].ID, From: as[0].Agent, To: "zed", Reason: bad})
			wantInput(t, err, "swap.reason")
			_, err = svc.AddDuty(ctx, Duty{Desk: "d", Agent: "amy", Kind: NoonDuty, Start: at, End: at.Add(time.Hour), ForwardTo: bad})
			wantInput(t, err, "duty.forward_to")
			a := as[0]
			a.ID, a.Agent = uuid.Nil, bad
			wantInput(t, svc.Publish(ctx, "d", []Assignment{a}), "assignment.agent")
			wantInput(t, svc.Publish(ctx, bad, []Assignment{a}), "desk")
			_, err = svc.View(ctx, bad, at, at.Add(time.Hour))
			wantInput(t, err, "desk")
			_, err = svc.OnDuty(ctx, bad, at)
			wantInput(t, err, "desk")
			_, err = svc.Liable(ctx, bad, as[0].ID, at)
			wantInput(t, err, "desk")
			wantInput(t, Shift{Name: bad, Start: At(9, 0), End: At(17, 0)}.Validate(), "shift.name")
		}
		v, err := svc.View(ctx, "d", hm(day, 0, 0), hm(day.AddDays(2), 0, 0))
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
		svc := mustNew(t, NewMemStore(), Config{}) // zero Bounds: the defaults
		name := strings.Repeat("é", d.Name)
		if _, err := svc.GrantLeave(ctx, "d", name, at, at.Add(time.Hour), strings.Repeat("x", d.Text)); err != nil {
			t.Fatalf("texts at the bounds: %v", err)
		}
		_, err := svc.GrantLeave(ctx, "d", name+"é", at, at.Add(time.Hour), "")
		wantInput(t, err, "away.agent")
		_, err = svc.GrantLeave(ctx, "d", "amy", at, at.Add(time.Hour), strings.Repeat("x", d.Text+1))
		wantInput(t, err, "away.note")

		small := mustNew(t, NewMemStore(), Config{Bounds: Bounds{Name: 3}})
		if _, err := small.GrantLeave(ctx, "d", "amy", at, at.Add(time.Hour), strings.Repeat("x", d.Text)); err != nil {
			t.Fatalf("Text left zero takes the default: %v", err)
		}
		_, err = small.GrantLeave(ctx, "d", "anna", at, at.Add(time.Hour), "")
		wantInput(t, err, "away.agent")
		_, err = small.View(ctx, "desk", at, at.Add(time.Hour))
		wantInput(t, err, "desk")
		v, err := small.View(ctx, "d", at.Add(-time.Hour), at.Add(2*time.Hour))
		if err != nil || len(v.Away) != 1 {
			t.Fatalf("want only the leave within bounds stored, got %v, %v", v, err)
		}

		neg, err := New(NewMemStore(), Config{Bounds: Bounds{Text: -1}})
		if neg != nil {
			t.Fatal("New returned a service with a negative bound")
		}
		wantInput(t, err, "config.bounds")
	})
}
