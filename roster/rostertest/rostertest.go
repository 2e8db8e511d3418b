// Package rostertest is the conformance suite for roster.Store
// implementations. An adapter's test calls RunStoreTests with a factory
// returning a fresh, empty store; the in-memory roster.MemStore passes it.
package rostertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
)

// RunStoreTests checks the contract documented on roster.Store: desk
// isolation, not-found mapping, validation, create/update conflicts with
// versions, concurrent writers and list ordering. newStore must return an
// empty store for each call.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) roster.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s roster.Store)
	}{
		{"assignments_roundtrip_and_order", testAssignmentsOrder},
		{"assignments_all_or_nothing", testAssignmentsAtomic},
		{"desk_isolation", testDeskIsolation},
		{"not_found", testNotFound},
		{"invalid_input", testInvalid},
		{"swap_versions", testSwapVersions},
		{"away_versions_and_open_periods", testAwayVersions},
		{"duties", testDuties},
		{"concurrent_writers", testConcurrentWriters},
		{"cancelled_context", testCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

var base = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func id(n int) uuid.UUID {
	var u uuid.UUID
	u[0] = 0x01
	u[14] = byte(n >> 8)
	u[15] = byte(n)
	u[6], u[8] = 0x40, 0x80
	return u
}

func assignment(desk string, n int, agent string, startHour, hours int) roster.Assignment {
	start := base.Add(time.Duration(startHour) * time.Hour)
	return roster.Assignment{ID: id(n), Desk: desk, Agent: agent, Shift: "a",
		Date: roster.DateOf(start, time.UTC), Start: start, End: start.Add(time.Duration(hours) * time.Hour),
		ReportEarly: 10 * time.Minute}
}

func sameTimes(a, b time.Time) bool { return a.Equal(b) }

func testAssignmentsOrder(t *testing.T, s roster.Store) {
	ctx := context.Background()
	in := []roster.Assignment{
		assignment("d1", 5, "zoe", 33, 8),
		assignment("d1", 4, "amy", 9, 8),
		assignment("d1", 3, "bob", 9, 8),
		assignment("d1", 2, "bob", 9, 2), // same start and agent: ID decides
		assignment("d1", 1, "amy", 100, 8),
	}
	in[3].Shift = "c"
	if err := s.AddAssignments(ctx, "d1", in); err != nil {
		t.Fatalf("AddAssignments: %v", err)
	}
	got, err := s.Assignments(ctx, "d1", base, base.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := []uuid.UUID{id(4), id(2), id(3), id(5)}
	if len(got) != len(want) {
		t.Fatalf("got %d assignments, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].ID != w {
			t.Fatalf("position %d: got %s, want %s (order is Start, Agent, ID)", i, got[i].ID, w)
		}
	}
	one, err := s.Assignment(ctx, "d1", id(2))
	if err != nil {
		t.Fatal(err)
	}
	if one.Agent != "bob" || one.Shift != "c" || !sameTimes(one.Start, in[3].Start) || !sameTimes(one.End, in[3].End) ||
		one.ReportEarly != 10*time.Minute || one.Date != in[3].Date {
		t.Fatalf("roundtrip changed the record: %+v", one)
	}
	// A later batch with earlier shifts still lists in order.
	early := assignment("d1", 6, "eve", 0, 10)
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{early}); err != nil {
		t.Fatal(err)
	}
	got, err = s.Assignments(ctx, "d1", base, base.Add(48*time.Hour))
	if err != nil || len(got) != 5 || got[0].ID != early.ID || got[1].ID != id(4) || got[4].ID != id(5) {
		t.Fatalf("after an earlier batch: %v %v", got, err)
	}
	// An assignment that started before the range but runs into it is
	// listed.
	got, err = s.Assignments(ctx, "d1", base.Add(9*time.Hour+30*time.Minute), base.Add(9*time.Hour+31*time.Minute))
	if err != nil || len(got) != 4 || got[0].ID != early.ID {
		t.Fatalf("range inside running shifts: %v %v", got, err)
	}
	// Overlap is half-open: a range ending at a start excludes it.
	got, err = s.Assignments(ctx, "d1", base.Add(10*time.Hour+time.Minute), base.Add(9*time.Hour+24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got {
		if a.ID == early.ID || a.ID == id(5) {
			t.Fatalf("half-open range listed %s (ends at/before from, or starts at to)", a.ID)
		}
	}
	// A returned record is a copy.
	got, _ = s.Assignments(ctx, "d1", base, base.Add(48*time.Hour))
	got[0].Agent = "mallory"
	again, _ := s.Assignment(ctx, "d1", got[0].ID)
	if again.Agent == "mallory" {
		t.Fatal("changing a returned assignment changed the store")
	}
}

func testAssignmentsAtomic(t *testing.T, s roster.Store) {
	ctx := context.Background()
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{assignment("d1", 1, "amy", 9, 8)}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAssignments(ctx, "d1", nil); err != nil {
		t.Fatalf("adding no assignments: %v, want no error", err)
	}
	err := s.AddAssignments(ctx, "d1", []roster.Assignment{assignment("d1", 2, "bob", 9, 8), assignment("d1", 1, "amy", 9, 8)})
	if !errors.Is(err, roster.ErrConflict) {
		t.Fatalf("re-adding an ID: err = %v, want ErrConflict", err)
	}
	if _, err := s.Assignment(ctx, "d1", id(2)); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("failed batch left assignment 2 behind: err = %v", err)
	}
}

func testDeskIsolation(t *testing.T, s roster.Store) {
	ctx := context.Background()
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{assignment("d1", 1, "amy", 9, 8)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Assignment(ctx, "d2", id(1)); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("other desk's assignment: err = %v, want ErrNotFound", err)
	}
	if list, _ := s.Assignments(ctx, "d2", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Fatalf("desk d2 lists %d assignments of d1", len(list))
	}
	sw, err := s.SaveSwap(ctx, swap("d1", 10))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Swap(ctx, "d2", sw.ID); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("other desk's swap: err = %v", err)
	}
	sw.Desk = "d2"
	if _, err := s.SaveSwap(ctx, sw); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("updating d1's swap through d2: err = %v, want ErrNotFound", err)
	}
	if list, _ := s.Swaps(ctx, "d2", base.Add(-time.Hour), base.Add(72*time.Hour)); len(list) != 0 {
		t.Fatalf("desk d2 lists %d swaps of d1", len(list))
	}
	aw, err := s.SaveAway(ctx, away("d1", 20, "amy", 0, 5))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Away(ctx, "d2", aw.ID); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("other desk's away: err = %v", err)
	}
	if list, _ := s.Aways(ctx, "d2", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Fatalf("desk d2 lists %d aways of d1", len(list))
	}
	if err := s.AddDuty(ctx, duty("d1", 30, "amy", 12, 2)); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Duties(ctx, "d2", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Fatalf("desk d2 lists %d duties of d1", len(list))
	}
	// An assignment claiming another desk is refused.
	if err := s.AddAssignments(ctx, "d2", []roster.Assignment{assignment("d1", 2, "amy", 9, 8)}); !errors.Is(err, roster.ErrInvalid) {
		t.Fatalf("assignment of d1 added through d2: err = %v, want ErrInvalid", err)
	}
}

func testNotFound(t *testing.T, s roster.Store) {
	ctx := context.Background()
	if _, err := s.Assignment(ctx, "d1", id(99)); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("Assignment: %v", err)
	}
	if _, err := s.Swap(ctx, "d1", id(99)); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("Swap: %v", err)
	}
	if _, err := s.Away(ctx, "d1", id(99)); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("Away: %v", err)
	}
	sw := swap("d1", 99)
	sw.Version = 3
	if _, err := s.SaveSwap(ctx, sw); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("updating a missing swap: %v", err)
	}
	aw := away("d1", 98, "amy", 0, 1)
	aw.Version = 1
	if _, err := s.SaveAway(ctx, aw); !errors.Is(err, roster.ErrNotFound) {
		t.Errorf("updating a missing away: %v", err)
	}
	if list, err := s.Swaps(ctx, "nobody", base, base.Add(time.Hour)); err != nil || len(list) != 0 {
		t.Errorf("unknown desk lists: %v, %v (want empty, no error)", list, err)
	}
}

func testInvalid(t *testing.T, s roster.Store) {
	ctx := context.Background()
	bad := assignment("d1", 1, "", 9, 8)
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{bad}); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("assignment without agent: %v", err)
	}
	if err := s.AddAssignments(ctx, "", []roster.Assignment{assignment("", 1, "amy", 9, 8)}); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("empty desk: %v", err)
	}
	sw := swap("d1", 2)
	sw.To = sw.From
	if _, err := s.SaveSwap(ctx, sw); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("swap to self: %v", err)
	}
	d := duty("d1", 3, "amy", 12, 2)
	d.ForwardTo = ""
	if err := s.AddDuty(ctx, d); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("duty without forwarding target: %v", err)
	}
	if _, err := s.Assignments(ctx, "", base, base.Add(time.Hour)); !errors.Is(err, roster.ErrInvalid) {
		t.Errorf("listing an empty desk: %v", err)
	}
	if list, _ := s.Assignments(ctx, "d1", base, base.Add(72*time.Hour)); len(list) != 0 {
		t.Errorf("invalid input stored %d assignments", len(list))
	}
}

func swap(desk string, n int) roster.Swap {
	return roster.Swap{ID: id(n), Desk: desk, Assignment: id(1), SlotStart: base.Add(9 * time.Hour),
		From: "amy", To: "bob", RequestedAt: base, Status: roster.SwapRequested}
}

func away(desk string, n int, agent string, fromHour, hours int) roster.Away {
	a := roster.Away{ID: id(n), Desk: desk, Agent: agent, Kind: roster.OnLeave,
		From: base.Add(time.Duration(fromHour) * time.Hour)}
	if hours > 0 {
		a.Until = a.From.Add(time.Duration(hours) * time.Hour)
	} else {
		a.Kind = roster.Offline
	}
	return a
}

func duty(desk string, n int, agent string, startHour, hours int) roster.Duty {
	start := base.Add(time.Duration(startHour) * time.Hour)
	return roster.Duty{ID: id(n), Desk: desk, Agent: agent, Kind: roster.NoonDuty, Start: start,
		End: start.Add(time.Duration(hours) * time.Hour), ForwardTo: "+86 755 0000 0000"}
}

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

func testDuties(t *testing.T, s roster.Store) {
	ctx := context.Background()
	if err := s.AddDuty(ctx, duty("d1", 2, "bob", 12, 2)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDuty(ctx, duty("d1", 1, "amy", 12, 2)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDuty(ctx, duty("d1", 1, "amy", 12, 2)); !errors.Is(err, roster.ErrConflict) {
		t.Fatalf("duty twice: %v", err)
	}
	list, err := s.Duties(ctx, "d1", base.Add(13*time.Hour), base.Add(13*time.Hour+time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Agent != "amy" || list[1].ForwardTo == "" {
		t.Fatalf("duties = %+v", list)
	}
}

func testConcurrentWriters(t *testing.T, s roster.Store) {
	ctx := context.Background()
	first, err := s.SaveAway(ctx, away("d1", 1, "amy", 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	const writers = 16
	var wg sync.WaitGroup
	errs := make(chan error, writers*2)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			// Read-modify-write with retry: each writer extends the period
			// by one hour exactly once.
			for {
				cur, err := s.Away(ctx, "d1", first.ID)
				if err != nil {
					errs <- err
					return
				}
				cur.Until = cur.Until.Add(time.Hour)
				cur.Note += fmt.Sprintf("w%d;", w)
				_, err = s.SaveAway(ctx, cur)
				if err == nil {
					return
				}
				if !errors.Is(err, roster.ErrConflict) {
					errs <- err
					return
				}
			}
		}(w)
		// Concurrent creators of distinct records in another desk.
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			if err := s.AddAssignments(ctx, "d2", []roster.Assignment{assignment("d2", 100+w, "amy", 9+w, 1)}); err != nil {
				errs <- err
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.Away(ctx, "d1", first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != writers+1 || got.Until.Sub(got.From) != (writers+1)*time.Hour {
		t.Fatalf("after %d writers: version %d, length %v: an update was lost", writers, got.Version, got.Until.Sub(got.From))
	}
	list, _ := s.Assignments(ctx, "d2", base, base.Add(100*time.Hour))
	if len(list) != writers {
		t.Fatalf("concurrent inserts: %d stored, want %d", len(list), writers)
	}
}

func testCancelled(t *testing.T, s roster.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.AddAssignments(ctx, "d1", []roster.Assignment{assignment("d1", 1, "amy", 9, 8)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled AddAssignments: %v", err)
	}
	if _, err := s.Assignment(context.Background(), "d1", id(1)); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("cancelled call stored the assignment: %v", err)
	}
	if _, err := s.SaveSwap(ctx, swap("d1", 2)); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled SaveSwap: %v", err)
	}
}
