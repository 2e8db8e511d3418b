package rostertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
)

func testSwapVersions(t *testing.T, s roster.Store) {
	ctx := context.Background()
	v1, err := s.SaveSwap(ctx, swap("d1", 1))
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 {
		t.Fatalf("created swap has version %d, want 1", v1.Version)
	}
	if _, err := s.SaveSwap(ctx, swap("d1", 1)); !errors.Is(err, roster.ErrConflict) {
		t.Fatalf("creating twice: %v, want ErrConflict", err)
	}
	upd := v1
	upd.Status, upd.ConsentAt, upd.Evidence = roster.SwapConsented, base.Add(time.Hour+123456*time.Microsecond), roster.Evidence{Kind: "chat", Ref: "msg-1"}
	v2, err := s.SaveSwap(ctx, upd)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 {
		t.Fatalf("updated swap has version %d, want 2", v2.Version)
	}
	stale := v1
	stale.Reason = "stale writer"
	_, err = s.SaveSwap(ctx, stale)
	var ce *roster.ConflictError
	if !errors.Is(err, roster.ErrConflict) || !errors.As(err, &ce) || ce.Have != 2 || ce.Want != 1 {
		t.Fatalf("stale update: %v, want *ConflictError have 2 want 1", err)
	}
	got, err := s.Swap(ctx, "d1", v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != roster.SwapConsented || got.Evidence.Ref != "msg-1" || got.Reason == "stale writer" ||
		!got.ConsentAt.Equal(upd.ConsentAt) || got.Version != 2 {
		t.Fatalf("stored swap = %+v", got)
	}
	// Ordering: SlotStart, RequestedAt, ID.
	a := swap("d1", 3)
	a.SlotStart = base.Add(2 * time.Hour)
	b := swap("d1", 2)
	b.SlotStart = base.Add(2 * time.Hour)
	c := swap("d1", 4)
	c.SlotStart = base.Add(2 * time.Hour)
	c.RequestedAt = base.Add(-time.Hour)
	for _, x := range []roster.Swap{a, b, c} {
		if _, err := s.SaveSwap(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Swaps(ctx, "d1", base, base.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []uuid.UUID{id(4), id(2), id(3), id(1)}
	if len(list) != len(want) {
		t.Fatalf("listed %d swaps, want %d", len(list), len(want))
	}
	for i := range want {
		if list[i].ID != want[i] {
			t.Fatalf("swap order position %d: %s, want %s", i, list[i].ID, want[i])
		}
	}
	if list, _ := s.Swaps(ctx, "d1", base.Add(3*time.Hour), base.Add(9*time.Hour)); len(list) != 0 {
		t.Fatalf("[3h,9h) lists %d swaps; SlotStart 9h is outside", len(list))
	}
}

func testAwayVersions(t *testing.T, s roster.Store) {
	ctx := context.Background()
	open, err := s.SaveAway(ctx, away("d1", 1, "amy", 10, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAway(ctx, away("d1", 2, "bob", 0, 3)); err != nil {
		t.Fatal(err)
	}
	// The open period extends forever.
	list, err := s.Aways(ctx, "d1", base.Add(1000*time.Hour), base.Add(1001*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != open.ID || !list[0].Open() {
		t.Fatalf("open period not listed far ahead: %+v", list)
	}
	closed := open
	closed.Until = open.From.Add(2 * time.Hour)
	if _, err := s.SaveAway(ctx, closed); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAway(ctx, closed); !errors.Is(err, roster.ErrConflict) {
		t.Fatalf("second save with the same version: %v, want ErrConflict", err)
	}
	if list, _ := s.Aways(ctx, "d1", base.Add(1000*time.Hour), base.Add(1001*time.Hour)); len(list) != 0 {
		t.Fatalf("closed period still listed far ahead: %+v", list)
	}
	list, _ = s.Aways(ctx, "d1", base, base.Add(24*time.Hour))
	if len(list) != 2 || list[0].Agent != "bob" || list[1].Agent != "amy" {
		t.Fatalf("aways not ordered by From: %+v", list)
	}
}
