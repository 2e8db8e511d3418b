package sim

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

var soakDays = flag.Int("soak-days", 30, "days of simulated traffic in the soak test")

// TestSoak runs a month of traffic and accounts for everything: every
// ticket is closed, or open with no deadline passed, or listed overdue;
// every follow-up is done, due later, unreachable, or overdue; the
// counts add up to what was created; owners moved only by a recorded
// take, referral or handover; histories are complete; no attempt at a
// follow-up was worked twice.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test skipped in -short mode")
	}
	for _, kind := range []Kind{Property, Dealer} {
		t.Run(string(kind), func(t *testing.T) {
			soak(t, Config{Seed: 11, Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Days: *soakDays, Kind: kind})
		})
	}
}

func soak(t *testing.T, cfg Config) {
	ctx := context.Background()
	sim, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(sim.log.refused) != 0 {
		t.Fatalf("refused actions: %v %v", sim.log.refused, sim.log.refusedWhy)
	}
	now := sim.clock.now

	// Tickets.
	all, err := sim.tickets.List(ctx, ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	over, err := sim.tickets.Overdue(ctx, ticket.OverdueQuery{})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[int64]bool{}
	for _, o := range over {
		listed[o.Ticket.Number] = true
	}
	var done, waiting, overdue int
	for _, tk := range all {
		switch {
		case tk.State.Terminal():
			done++
		case listed[tk.Number]:
			overdue++
		case tk.NextDue().IsZero() || tk.NextDue().After(now):
			waiting++
		default:
			t.Errorf("case %d (%s) is past a deadline but not listed overdue", tk.Number, tk.State)
		}
		h, err := sim.tickets.History(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(h)) != tk.Version {
			t.Fatalf("case %d: version %d, %d events", tk.Number, tk.Version, len(h))
		}
		owner := h[0].Data["owner"]
		for i, e := range h {
			if e.Seq != int64(i+1) || (i > 0 && e.From != h[i-1].To) {
				t.Fatalf("case %d: history broken at %d", tk.Number, i+1)
			}
			switch e.Action {
			case ticket.ActTake:
				owner = e.Data["owner"]
			case ticket.ActRefer, ticket.ActHandover:
				owner = e.Data["to"]
			}
		}
		if owner != tk.Owner {
			t.Fatalf("case %d: owner %q without a recorded move (history says %q)", tk.Number, tk.Owner, owner)
		}
	}
	if done+waiting+overdue != len(all) || len(all) < 20*cfg.Days {
		t.Fatalf("tickets: %d closed + %d waiting + %d overdue of %d", done, waiting, overdue, len(all))
	}

	// Follow-ups.
	tasks, err := sim.follow.queue.List(ctx, followup.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var final, later, late, unreachable int
	for _, ft := range tasks {
		switch {
		case ft.Status == followup.Unreachable:
			unreachable++
		case ft.Status.Final():
			final++
		case ft.Due.After(now):
			later++
		default:
			late++ // overdue: due, not done
		}
	}
	if final+later+late+unreachable != len(tasks) || len(tasks) == 0 {
		t.Fatalf("follow-ups: %d final + %d later + %d overdue + %d unreachable of %d", final, later, late, unreachable, len(tasks))
	}
	rep, err := sim.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Followups.Unreachable) != unreachable {
		t.Fatalf("report lists %d unreachable, the store has %d", len(rep.Followups.Unreachable), unreachable)
	}
	for k, n := range sim.follow.claims {
		if n != 1 {
			t.Fatalf("attempt %d of follow-up %s was worked %d times", k.attempt, k.task, n)
		}
	}
	t.Logf("%d days: %d tickets (%d closed, %d waiting, %d overdue), %d follow-ups (%d final, %d due later, %d overdue, %d unreachable)",
		cfg.Days, len(all), done, waiting, overdue, len(tasks), final, later, late, unreachable)
}
