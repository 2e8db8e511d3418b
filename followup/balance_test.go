package followup_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// TestBalance: by default (balancing) a month's plan meets F3's role
// shares and F5's sampling shares at every point, and a replayed trigger
// changes nothing.
func TestBalance(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	newDeriver := func(balance bool) (*followup.Deriver, *followup.MemStore) {
		store := followup.NewMemStore()
		d, err := followup.NewDeriver(store, followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(7),
			Calendar: followup.AnyTime{}, Now: func() time.Time { return at }, OnAverage: !balance})
		if err != nil {
			t.Fatal(err)
		}
		return d, store
	}
	repair := func(i int) followup.Trigger {
		return followup.Trigger{Kind: followup.TicketResolved, Desk: "d1", Key: fmt.Sprintf("r%d", i), Ticket: uuid.New(),
			TicketKind: ticket.Repair, Category: followup.Leak, At: at.Add(time.Duration(i) * time.Minute), RevisitRequired: true}
	}
	complaint := func(i int) followup.Trigger {
		return followup.Trigger{Kind: followup.ComplaintClosed, Desk: "d1", Key: fmt.Sprintf("c%d", i), Ticket: uuid.New(),
			TicketKind: ticket.Complaint, Category: followup.SeverityMinor, At: at.Add(time.Duration(i) * time.Minute)}
	}

	t.Run("F3_shares_met_at_every_point", func(t *testing.T) {
		d, _ := newDeriver(true)
		q := followup.F3Quota(7)
		byRole := map[ticket.Role]int{}
		for i := 1; i <= 57; i++ {
			ts, err := d.Derive(ctx, repair(i))
			if err != nil {
				t.Fatal(err)
			}
			for _, task := range ts {
				if task.Rule == "F2.leak" {
					byRole[task.Role]++
				}
			}
			if c := q.Check(i, byRole); !c.Met {
				t.Fatalf("after %d repairs: %s", i, c)
			}
		}
		// A replay of an earlier trigger derives nothing new and counts nothing.
		ts, err := d.Derive(ctx, repair(3))
		if err != nil || len(ts) == 0 {
			t.Fatal(err)
		}
		next, _ := d.Derive(ctx, repair(58))
		byRole[next[0].Role]++
		if c := q.Check(58, byRole); !c.Met {
			t.Fatalf("after a replay: %s", c)
		}
	})
	t.Run("F5_sampling_met_at_every_point", func(t *testing.T) {
		d, store := newDeriver(true)
		s := followup.F5Sampling(7)
		for i := 1; i <= 83; i++ {
			if _, err := d.Derive(ctx, complaint(i)); err != nil {
				t.Fatal(err)
			}
			tasks, _ := store.List(ctx, "d1", followup.Filter{Rule: "F6.minor"})
			onSite := 0
			for _, task := range tasks {
				if task.Channel == followup.OnSite {
					onSite++
				}
			}
			if c := s.Check(i, len(tasks), onSite); !c.Met {
				t.Fatalf("after %d complaints: %s", i, c)
			}
		}
	})
	t.Run("stateless_on_average_and_in_Plan", func(t *testing.T) {
		a, _ := newDeriver(false)
		b, _ := newDeriver(false)
		for i := 1; i <= 20; i++ {
			x, _ := a.Plan(repair(i))
			y, _ := b.Plan(repair(i))
			if len(x) != len(y) || (len(x) > 0 && x[0].Role != y[0].Role) {
				t.Fatalf("the hash gives different roles for the same trigger")
			}
		}
	})
}

// TestQuotaCheckRounding: F3's shares add up to 100 %, so a month of 11
// repairs meets them with 1 + 3 + 7 (each share rounded down); rounding
// up would ask for 13 revisits of 11 repairs. Shares adding up to less
// are rounded up.
func TestQuotaCheckRounding(t *testing.T) {
	q := followup.F3Quota(1)
	cases := []struct {
		dir, adm, lead int
		met            bool
	}{
		{1, 3, 7, true},
		{0, 4, 7, false},
		{1, 2, 8, false},
		{2, 3, 6, true},
	}
	for _, c := range cases {
		got := q.Check(11, map[ticket.Role]int{ticket.RoleDirector: c.dir, ticket.RoleAdministrator: c.adm, ticket.RoleRepairLead: c.lead})
		if got.Met != c.met {
			t.Errorf("%d/%d/%d of 11: met %v, want %v (%s)", c.dir, c.adm, c.lead, got.Met, c.met, got)
		}
	}
	partial := followup.Quota{Shares: []followup.Share{{Role: ticket.RoleDirector, Min: 0.10}}}
	if partial.Check(11, map[ticket.Role]int{ticket.RoleDirector: 1, ticket.RoleRepairLead: 10}).Met {
		t.Error("a 10 % share of 11 met with 1: shares below 100 % are rounded up")
	}
}

// TestF5CountsComplaintRevisitsOnly: calls to complainants that are not
// revisits (an F7 call after the answer, an F1 follow-up) are not part
// of F5's sample.
func TestF5CountsComplaintRevisitsOnly(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	mk := func(n int, revisit, onSite bool) *followup.Task {
		task := &followup.Task{ID: uuid.New(), Desk: "d1", Rule: fmt.Sprint("r", n), TicketKind: ticket.Complaint,
			Status: followup.Done, Due: from.AddDate(0, 0, n), ClosedAt: from.AddDate(0, 0, n), Revisit: revisit, Channel: followup.Phone,
			Outcome: &followup.Outcome{By: ticket.Actor{ID: "x", Role: ticket.RoleAgent}, Channel: followup.Phone}}
		if onSite {
			task.Channel, task.Outcome.Channel, task.Outcome.SignedBy = followup.OnSite, followup.OnSite, "sig"
		}
		return task
	}
	due := []*followup.Task{mk(1, true, true), mk(2, false, false), mk(3, false, false), mk(4, false, false)}
	r := followup.BuildReport("d1", from, to, due, due, followup.ReportOptions{Complaints: 10})
	if r.F5 == nil || r.F5.Revisits != 1 || r.F5.OnSiteSigned != 1 || !r.F5.Met {
		t.Fatalf("F5 %+v, want 1 revisit of 10 complaints, on site and signed, met", r.F5)
	}
}

// TestF5DefaultEveryMonth: with the default deriver configuration every
// month meets F5 (at least 10 % of the complaints revisited, at least
// 30 % of those on site), whatever the seed and however the month's
// complaints fall; OnAverage, the stateless hash, is the named
// alternative that may fall short (it does for some of these seeds).
func TestF5DefaultEveryMonth(t *testing.T) {
	ctx := context.Background()
	months := 0
	shortOnAverage := 0
	for seed := uint64(1); seed <= 40; seed++ {
		for _, onAverage := range []bool{false, true} {
			store := followup.NewMemStore()
			at := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
			d, err := followup.NewDeriver(store, followup.DeriverConfig{Desk: "d1", Rules: followup.PropertyRules(seed),
				Calendar: followup.AnyTime{}, Now: func() time.Time { return at }, OnAverage: onAverage})
			if err != nil {
				t.Fatal(err)
			}
			// Three months of 95, 7 and 31 minor complaints.
			perMonth := map[int]int{1: 95, 2: 7, 3: 31}
			for m, n := range perMonth {
				for i := range n {
					tr := followup.Trigger{Kind: followup.ComplaintClosed, Desk: "d1", Key: fmt.Sprintf("s%d-m%d-c%d", seed, m, i),
						Ticket: uuid.New(), TicketKind: ticket.Complaint, Category: followup.SeverityMinor,
						At: time.Date(2026, time.Month(m), 1+i%28, 10, i%60, 0, 0, time.UTC)}
					if _, err := d.Derive(ctx, tr); err != nil {
						t.Fatal(err)
					}
				}
			}
			tasks, err := store.List(ctx, "d1", followup.Filter{Rule: "F6.minor"})
			if err != nil {
				t.Fatal(err)
			}
			chosen, onSite := map[int]int{}, map[int]int{}
			for _, task := range tasks {
				m := int(task.TriggeredAt.Month())
				chosen[m]++
				if task.Channel == followup.OnSite {
					onSite[m]++
				}
			}
			s := followup.F5Sampling(seed)
			for m, n := range perMonth {
				c := s.Check(n, chosen[m], onSite[m])
				if onAverage {
					if !c.Met {
						shortOnAverage++
					}
					continue
				}
				months++
				if !c.Met {
					t.Errorf("seed %d, month %d, default deriver: %s", seed, m, c)
				}
			}
		}
	}
	if months != 120 {
		t.Fatalf("checked %d months, want 120", months)
	}
	t.Logf("OnAverage fell short in %d of 120 months", shortOnAverage)
	if shortOnAverage == 0 {
		t.Error("the stateless hash met F5 in every month of 40 seeds: the test no longer shows the difference it exists for")
	}
}
