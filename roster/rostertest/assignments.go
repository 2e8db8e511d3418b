package rostertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
)

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
