package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

func runReport(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(args, &out, &errb); err != nil {
		t.Fatalf("run %v: %v (%s)", args, err, errb.String())
	}
	return out.String()
}

func TestDeterministic(t *testing.T) {
	a := runReport(t, "-days", "2", "-seed", "7")
	b := runReport(t, "-days", "2", "-seed", "7")
	if a != b {
		t.Fatal("the same seed printed two different reports")
	}
	if c := runReport(t, "-days", "2", "-seed", "8"); c == a {
		t.Fatal("another seed printed the same report")
	}
	for _, want := range []string{"T5  dispatched within 3 min", "T7a answered within 48 h", "Overdue and stagnating at the end (T10)"} {
		if !strings.Contains(a, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-days", "0"}, {"-start", "yesterday"}, {"-nope"}} {
		var out, errb bytes.Buffer
		if err := run(args, &out, &errb); err == nil {
			t.Errorf("run %v succeeded", args)
		}
	}
}

// TestSimulationInvariants checks the week against the service's own
// records: no action the simulation took was refused, every ticket's
// history is complete, owners moved only by a recorded take, referral or
// handover, and the report's counts add up.
func TestSimulationInvariants(t *testing.T) {
	ctx := context.Background()
	sim, err := newSim(ctx, Config{Seed: 3, Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(sim.refused) != 0 {
		t.Fatalf("the service refused simulated actions: %v", sim.refused)
	}
	rep, err := sim.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := sim.tickets.List(ctx, ticket.Filter{})
	if rep.Total != len(all) || rep.Total < 150 {
		t.Fatalf("report counts %d tickets, store has %d", rep.Total, len(all))
	}
	sum := 0
	for _, row := range rep.ByKind {
		for _, n := range row.States {
			sum += n
		}
	}
	if sum != rep.Total {
		t.Fatalf("kind × state table adds up to %d, total %d", sum, rep.Total)
	}
	if rep.Dispatch.Of == 0 || rep.Dispatch.OK == rep.Dispatch.Of || rep.Unowned == 0 || rep.Incomplete == 0 || rep.Rejected == 0 {
		t.Fatalf("the week did not exercise late dispatch, unowned arrivals, incomplete intakes and rejections: %+v", rep)
	}
	for _, tk := range all {
		h, err := sim.tickets.History(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		owner := h[0].Data["owner"]
		for i, e := range h {
			if e.Seq != int64(i+1) {
				t.Fatalf("case %d: history gap at %d", tk.Number, i)
			}
			switch e.Action {
			case ticket.ActTake:
				if owner != "" {
					t.Fatalf("case %d: taken while owned", tk.Number)
				}
				owner = e.Data["owner"]
			case ticket.ActRefer, ticket.ActHandover:
				owner = e.Data["to"]
			}
		}
		if owner != tk.Owner {
			t.Fatalf("case %d: owner %q, history says %q", tk.Number, tk.Owner, owner)
		}
		if tk.State != ticket.Received && tk.Owner == "" {
			t.Fatalf("case %d worked on without an owner", tk.Number)
		}
	}
}
