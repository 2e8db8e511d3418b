package sim

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

func runSim(t *testing.T, cfg Config) (*Sim, *Report) {
	t.Helper()
	ctx := context.Background()
	s, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(s.log.refused) != 0 {
		t.Fatalf("the service refused simulated actions: %v %v", s.log.refused, s.log.refusedWhy)
	}
	r, err := s.Report(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s, r
}

func sumCounts(cs []Count) (n int) {
	for _, c := range cs {
		n += c.Count
	}
	return n
}

func countOf(cs []Count, key string) int {
	for _, c := range cs {
		if c.Key == key {
			return c.Count
		}
	}
	return 0
}

// TestReport_figures_agree cross-checks every figure of the report
// against the stores, recomputed here from the records: each ticket and
// each follow-up is counted once, in exactly one row of each breakdown,
// and every rate's numerator and denominator come from one set.
func TestReport_figures_agree(t *testing.T) {
	for _, cfg := range []Config{
		{Seed: 3, Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Days: 7},
		{Seed: 4, Start: time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC), Days: 4, Kind: Dealer},
	} {
		t.Run(string(cmpKind(cfg.Kind)), func(t *testing.T) { crossCheck(t, cfg) })
	}
}

func cmpKind(k Kind) Kind {
	if k == "" {
		return Property
	}
	return k
}

func crossCheck(t *testing.T, cfg Config) {
	ctx := context.Background()
	s, r := runSim(t, cfg)
	now := s.clock.now
	all, err := s.tickets.List(ctx, ticket.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := s.follow.queue.List(ctx, followup.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 20*cfg.Days || len(tasks) == 0 {
		t.Fatalf("%d tickets, %d follow-ups: too quiet a run to check", len(all), len(tasks))
	}

	// Tickets: by state, by kind, by day, week and month, by first owner,
	// by age of the open ones.
	tk := r.Tickets
	if tk.Total != len(all) || sumCounts(tk.ByState) != len(all) {
		t.Fatalf("%d tickets stored, report %d, by state %d", len(all), tk.Total, sumCounts(tk.ByState))
	}
	state, kind, open, phone, phoneAnswered := map[string]int{}, map[string]int{}, 0, 0, 0
	monthsSeen := map[string]bool{}
	for _, x := range all {
		monthsSeen[x.ReceivedAt.In(cfg.Start.Location()).Format("2006-01")] = true
		state[string(x.State)]++
		kind[string(x.Kind)]++
		if !x.State.Terminal() {
			open++
		}
		if x.Channel == ticket.Phone {
			phone++
			if h, err := s.tickets.History(ctx, x.ID); err == nil && h[0].Data["owner"] != "" {
				phoneAnswered++
			}
		}
	}
	for st, n := range state {
		if countOf(tk.ByState, st) != n {
			t.Errorf("state %s: report %d, store %d", st, countOf(tk.ByState, st), n)
		}
	}
	kinds := 0
	for _, row := range tk.ByKind {
		if row.Open+row.Closed+row.Cancelled != row.Total || row.Total != kind[row.Kind] {
			t.Errorf("kind row %+v; store has %d", row, kind[row.Kind])
		}
		kinds += row.Total
	}
	if kinds != len(all) {
		t.Errorf("kind rows add up to %d of %d", kinds, len(all))
	}
	for name, rows := range map[string][]Period{"daily": r.Daily, "weekly": r.Weekly} {
		n := 0
		for _, p := range rows {
			if sumCounts(p.ByKind) != p.Total {
				t.Errorf("%s %s: kinds add up to %d of %d", name, p.Period, sumCounts(p.ByKind), p.Total)
			}
			n += p.Total
		}
		if n != len(all) {
			t.Errorf("%s rows add up to %d of %d tickets", name, n, len(all))
		}
	}
	months := 0
	for _, m := range r.Monthly {
		months += m.Tickets
	}
	if len(r.Monthly) != len(monthsSeen) {
		t.Errorf("%d monthly rows for tickets in %d months", len(r.Monthly), len(monthsSeen))
	}
	if months != len(all) || sumCounts(r.Backlog) != open {
		t.Errorf("months add up to %d, backlog by age to %d; %d tickets, %d open", months, sumCounts(r.Backlog), len(all), open)
	}
	received, openOwned := 0, 0
	for _, a := range r.Agents {
		received += a.Received
		openOwned += a.OpenAtEnd
		if a.FirstContact.Of != a.Received || a.FirstContact.Count > a.Received {
			t.Errorf("agent %s: first-contact resolution %v of %d received", a.Agent, a.FirstContact, a.Received)
		}
	}
	if received != len(all) || openOwned != open {
		t.Errorf("agents received %d of %d tickets, own %d of %d open", received, len(all), openOwned, open)
	}

	// Deadlines: each target's misses are its breach row; times and the
	// reopen rate recomputed from the histories.
	steps := map[string][]time.Duration{}
	var answered, reopened int
	judgedBy := map[ticket.DeadlineName][2]int{}
	for _, x := range all {
		h, err := s.tickets.History(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		wasAnswered, wasReopened, dispatched := false, false, false
		for _, e := range h {
			add := func(step string) {
				if !seen[step] {
					seen[step] = true
					steps[step] = append(steps[step], e.At.Sub(x.ReceivedAt))
				}
			}
			switch e.Action {
			case ticket.ActDispatch:
				add("dispatch")
				dispatched = true
			case ticket.ActResolve:
				add("resolve")
			case ticket.ActAnswer:
				add("answer")
				wasAnswered = true
			case ticket.ActResolveOnSpot:
				add("resolve")
				add("answer")
				wasAnswered = true
			}
			wasReopened = wasReopened || e.To == ticket.Reopened
		}
		if wasAnswered {
			answered++
			if wasReopened {
				reopened++
			}
		}
		for _, d := range x.Deadlines {
			if d.Name == ticket.DeadlineDispatch && !dispatched && !d.Open() || d.Open() && !now.After(d.Due) {
				continue
			}
			c := judgedBy[d.Name]
			c[1]++
			if d.Late(now) {
				c[0]++
			}
			judgedBy[d.Name] = c
		}
	}
	if r.Reopened.Of != answered || r.Reopened.Count != reopened {
		t.Errorf("reopened %v; recomputed %d of %d", r.Reopened, reopened, answered)
	}
	for _, tm := range r.Times {
		ds := steps[tm.Step]
		slices.Sort(ds)
		if tm.Tickets != len(ds) || len(ds) == 0 {
			t.Errorf("time to %s over %d tickets, recomputed %d", tm.Step, tm.Tickets, len(ds))
			continue
		}
		med, p90 := ds[(len(ds)+1)/2-1], ds[(9*len(ds)+9)/10-1]
		if tm.MedianMinutes != minutes(med) || tm.P90Minutes != minutes(p90) || tm.P90Minutes < tm.MedianMinutes {
			t.Errorf("time to %s: median %v p90 %v, recomputed %v %v", tm.Step, tm.MedianMinutes, tm.P90Minutes, med, p90)
		}
	}
	for _, b := range r.Breaches {
		want := judgedBy[ticket.DeadlineName(b.Deadline)]
		var tg *Target
		for i := range r.Targets {
			if r.Targets[i].Rule == b.Rule {
				tg = &r.Targets[i]
			}
		}
		if tg == nil || b.Late != want[0] || tg.Result.Of != want[1] || tg.Result.Of-tg.Result.Count != b.Late ||
			b.MetLate+b.StillOpen != b.Late || sumCounts(b.ByKind) != b.Late {
			t.Errorf("breach %+v, target %+v; recomputed %d late of %d", b, tg, want[0], want[1])
		}
	}

	// Overdue: one row per ticket, the same tickets the service lists.
	over, err := s.tickets.Overdue(ctx, ticket.OverdueQuery{})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[int64]int{}
	for _, o := range over {
		cases[o.Ticket.Number]++
	}
	seen := map[int64]bool{}
	for _, o := range r.Overdue {
		if seen[o.Case] || cases[o.Case] != len(o.Rules) || o.Owner == "" {
			t.Errorf("overdue row %+v: listed before %v, %d deadlines in the service", o, seen[o.Case], cases[o.Case])
		}
		seen[o.Case] = true
	}
	if len(seen) != len(cases) {
		t.Errorf("%d overdue rows, %d overdue tickets", len(seen), len(cases))
	}

	// Follow-ups: each task once by status, category and rule; the rates
	// from the status rows.
	f := r.Followups
	if f.Total != len(tasks) || sumCounts(f.ByStatus) != len(tasks) {
		t.Fatalf("%d follow-ups stored, report %d, by status %d", len(tasks), f.Total, sumCounts(f.ByStatus))
	}
	attempts := 0
	for _, x := range tasks {
		attempts += x.Attempts
	}
	if sumCounts(f.Attempts) != attempts {
		t.Errorf("attempts by result add up to %d, tasks record %d", sumCounts(f.Attempts), attempts)
	}
	for name, rows := range map[string][]FollowupRow{"category": f.ByCategory, "rule": f.ByRule} {
		n := 0
		for _, row := range rows {
			if row.Reached+row.Problems+row.Unreachable+row.Overdue+row.Waiting+row.Cancelled != row.Total {
				t.Errorf("%s row %+v does not add up", name, row)
			}
			n += row.Total
		}
		if n != len(tasks) {
			t.Errorf("%s rows add up to %d of %d", name, n, len(tasks))
		}
	}
	reached := countOf(f.ByStatus, "reached") + countOf(f.ByStatus, "problem_found")
	ended := reached + countOf(f.ByStatus, "unreachable")
	if f.Due != ended+countOf(f.ByStatus, "overdue") || f.Reached.Of != f.Due || f.Reached.Count != reached ||
		f.OnTime.Of != f.Due || f.Contact.Of != ended || f.Contact.Count != reached ||
		len(f.Unreachable) != countOf(f.ByStatus, "unreachable") {
		t.Errorf("follow-up rates %+v against status rows %v", f, f.ByStatus)
	}
	target := func(rule string) Target {
		for _, tg := range r.Targets {
			if tg.Rule == rule {
				return tg
			}
		}
		t.Fatalf("no target %s", rule)
		return Target{}
	}
	repairs, complaints := 0, 0
	for _, x := range tasks {
		if x.Cites == "F2" && taskStatus(x, now) != "waiting" && x.Status != followup.Cancelled {
			repairs++
		}
	}
	for _, x := range all {
		if x.Kind == ticket.Complaint && x.State == ticket.Closed {
			complaints++
		}
	}
	if f3 := target("F3"); (repairs == 0) != (f3.Status == NotApplicable) || f3.Result.Of != repairs ||
		f.F3 != nil && (f.F3.Repairs != repairs || f3.Status != status(f.F3.Met)) {
		t.Errorf("F3 target %+v, %d repair revisits due", f3, repairs)
	}
	if f5 := target("F5"); f5.Result.Of != complaints || f.F5.Complaints != complaints || f5.Status != status(f.F5.Met) {
		t.Errorf("F5 target %+v, %d closed complaints", f5, complaints)
	}
	if tg := target("F12"); tg.Result != f.Contact {
		t.Errorf("F12 target %+v, contact %v", tg, f.Contact)
	}
	if tg := target("K1"); tg.Result != f.OnTime {
		t.Errorf("K1 target %+v, on time %v", tg, f.OnTime)
	}
	rostered, short := 0, 0
	for _, a := range r.Speech.Agents {
		if a.Rostered {
			rostered++
			if a.Reviews < r.Speech.Minimum {
				short++
			}
		}
	}
	if tg := target("K2"); tg.Result.Of != rostered || tg.Result.Count != rostered-short || rostered != len(s.staff.Agents) {
		t.Errorf("K2 target %+v: %d rostered agents, %d reviewed too few times", tg, rostered, short)
	}
	gapDays := map[string]bool{}
	for _, g := range r.Coverage.Gaps {
		gapDays[g.Date] = true
	}
	if tg := target("R1"); tg.Result.Of != cfg.Days || tg.Result.Count != cfg.Days-len(gapDays) {
		t.Errorf("R1 target %+v: %d days, %d with gaps", tg, cfg.Days, len(gapDays))
	}
	busy, met := 0, 0
	for _, h := range r.Hours {
		if h.Calls > 0 && h.InService {
			busy++
			if h.InTarget*100 >= int(h.Target*100)*h.Calls {
				met++
			}
		}
	}
	if tg := target("R8"); tg.Result.Of != busy || tg.Result.Count != met {
		t.Errorf("R8 target %+v: %d service hours with calls, %d at target", tg, busy, met)
	}
	for _, tg := range r.Targets {
		want := Unmet
		switch {
		case tg.Status == NotApplicable:
			continue
		case tg.Result.Of == 0:
			want = NoData
		case tg.Result.Count*1_000_000 >= int(tg.Goal*1_000_000)*tg.Result.Of:
			want = Met
		}
		if tg.Rule != "F3" && tg.Rule != "F5" && tg.Status != want {
			t.Errorf("target %+v should be %s", tg, want)
		}
	}
	days := 0
	for _, d := range f.ByDay {
		days += d.Done
	}
	if days != ended {
		t.Errorf("follow-ups ended by day add up to %d, %d ended", days, ended)
	}

	// Calls: each once in its speaker's row; the phone calls offered are
	// the phone tickets; arrivals by hour are the tickets.
	calls, findings, reviews := 0, 0, 0
	for _, a := range r.Speech.Agents {
		calls += a.Calls
		findings += a.Findings
		reviews += a.Reviews
		if a.Reviews > 0 && (a.ReviewedFindings > 0 || a.LateSteps > 0) != (a.Score < 5) {
			t.Errorf("%s: %d findings and %d late steps in the reviewed calls, score %.2f", a.Agent, a.ReviewedFindings, a.LateSteps, a.Score)
		}
	}
	monthReviews, monthFindings := 0, 0
	for _, m := range r.Monthly {
		monthReviews += m.Reviews
		monthFindings += m.Findings
	}
	if calls != r.Speech.Calls || calls != len(s.talk.calls) || findings != sumCounts(r.Speech.Findings) ||
		monthFindings != findings || monthReviews != reviews || reviews == 0 {
		t.Errorf("calls %d/%d/%d, findings %d/%d/%d, reviews %d/%d", calls, r.Speech.Calls, len(s.talk.calls),
			findings, sumCounts(r.Speech.Findings), monthFindings, reviews, monthReviews)
	}
	offered, answeredCalls, arrivals := 0, 0, 0
	for _, h := range r.Hours {
		offered += h.Calls
		answeredCalls += h.Answered
		if h.InTarget > h.Answered || h.Answered > h.Calls {
			t.Errorf("hour %d: %d calls, %d answered, %d in target", h.Hour, h.Calls, h.Answered, h.InTarget)
		}
		arrivals += h.Arrivals
		load := roster.Load{Calls: float64(h.Calls) / float64(cfg.Days), Interval: time.Hour, AHT: s.cfg.Policies.HandleTime}
		if want, err := roster.Evaluate(load, h.Staffed, s.cfg.Policies.Service); err != nil || math.Abs(want.ServiceLevel-h.Predicted) > 0.0006 {
			t.Errorf("hour %d: Erlang C for %d agents %v, report %v (%v)", h.Hour, h.Staffed, want.ServiceLevel, h.Predicted, err)
		}
		if need, err := roster.AgentsFor(load, s.cfg.Policies.Service); err != nil || need.Agents != h.Need {
			t.Errorf("hour %d: Erlang C needs %d agents, report %d (%v)", h.Hour, need.Agents, h.Need, err)
		}
		if h.InTarget > h.Calls || (h.Calls > 0 && h.Achieved != float64(int(float64(h.InTarget)/float64(h.Calls)*1000+0.5))/1000) {
			t.Errorf("hour %d: %d of %d in target, level %v", h.Hour, h.InTarget, h.Calls, h.Achieved)
		}
	}
	if offered != phone || answeredCalls != phoneAnswered || arrivals != len(all) {
		t.Errorf("%d phone calls offered, %d phone tickets; %d answered, %d received by an agent; %d arrivals, %d tickets",
			offered, phone, answeredCalls, phoneAnswered, arrivals, len(all))
	}
}
