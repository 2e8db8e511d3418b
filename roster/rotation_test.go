package roster

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
)

// seqIDs returns a deterministic ID generator.
func seqIDs() func() uuid.UUID {
	var n uint64
	return func() uuid.UUID {
		n++
		var id uuid.UUID
		for i := 0; i < 8; i++ {
			id[15-i] = byte(n >> (8 * i))
		}
		id[6] = 0x40
		id[8] = 0x80
		return id
	}
}

func TestGenerate(t *testing.T) {
	t.Run("R3_three_weeks_four_agents_abc", func(t *testing.T) {
		spec := SeedSpec("desk-1", D(2026, 3, 2), time.UTC)
		spec.NewID = seqIDs()
		plan, err := Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		if !plan.Complete() {
			t.Fatalf("unfilled: %v", plan.Err())
		}
		if got := len(plan.Assignments); got != 21*3 {
			t.Fatalf("assignments = %d, want 63", got)
		}
		if v := Audit(plan.Assignments, SeedRules(), spec.Start, nil); len(v) != 0 {
			t.Fatalf("hard constraints broken: %v", v)
		}
		f := plan.Fairness
		for _, l := range f.Agents {
			t.Logf("%s: %v, %d days, shifts %v, weekends %d", l.Agent, l.Hours, l.Days, l.Shifts, l.Weekends)
		}
		t.Logf("spread: hours %v, shifts %v, weekends %d", f.HoursSpread, f.ShiftSpread, f.WeekendSpread)
		// 21 of each shift over 4 agents: the best spread is 1 per type.
		for name, sp := range f.ShiftSpread {
			if sp > 1 {
				t.Errorf("shift %s spread %d, want <= 1", name, sp)
			}
		}
		if f.HoursSpread > 8*time.Hour {
			t.Errorf("hours spread %v, want <= one long shift", f.HoursSpread)
		}
		if f.WeekendSpread > 1 {
			t.Errorf("weekend spread %d, want <= 1", f.WeekendSpread)
		}
	})
	t.Run("R3_year_500_agents_fair", func(t *testing.T) {
		if testing.Short() {
			t.Skip("year plan in -short mode")
		}
		spec := yearSpec(t)
		plan, err := Generate(spec)
		if err != nil || !plan.Complete() {
			t.Fatalf("%v %v", err, plan.Err())
		}
		if v := Audit(plan.Assignments, SeedRules(), spec.Start, nil); len(v) != 0 {
			t.Fatalf("%d violations, first %v", len(v), v[0])
		}
		f := plan.Fairness
		t.Logf("hours spread %v, shift spread %v, weekend spread %d", f.HoursSpread, f.ShiftSpread, f.WeekendSpread)
		// About 1835 h each over the year: the spread stays within two
		// long shifts, each type and the weekends within two.
		if f.HoursSpread > 16*time.Hour || f.WeekendSpread > 2 {
			t.Errorf("hours spread %v, weekend spread %d", f.HoursSpread, f.WeekendSpread)
		}
		for name, sp := range f.ShiftSpread {
			if sp > 2 {
				t.Errorf("shift %s spread %d", name, sp)
			}
		}
	})
	t.Run("R3_unfilled_slots_say_why", func(t *testing.T) {
		spec := SeedSpec("desk-1", D(2026, 3, 2), time.UTC, "ann", "bo")
		rules := SeedRules()
		rules.MinDaysOff = 2
		spec.Rules = &rules
		plan, err := Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Complete() {
			t.Fatal("two agents cannot staff three shifts a day, yet the plan is complete")
		}
		if !errors.Is(plan.Err(), ErrUnfilled) {
			t.Fatalf("Err() = %v, want ErrUnfilled", plan.Err())
		}
		var ue *UnfilledError
		if !errors.As(plan.Err(), &ue) || len(ue.Slots) != len(plan.Unfilled) {
			t.Fatalf("want *UnfilledError with every slot, got %v", plan.Err())
		}
		for _, u := range plan.Unfilled {
			named := 0
			for _, ex := range u.Excluded {
				named += len(ex.Agents)
			}
			if named != 2 {
				t.Fatalf("slot %s %s: %d agents explained, want both: %+v", u.Date, u.Shift, named, u)
			}
		}
		if v := Audit(plan.Assignments, rules, spec.Start, nil); len(v) != 0 {
			t.Fatalf("hard constraints broken to fill slots: %v", v)
		}
	})
	t.Run("R3_leave_is_respected", func(t *testing.T) {
		spec := SeedSpec("desk-1", D(2026, 3, 2), time.UTC)
		leave := Away{ID: uuid.New(), Desk: "desk-1", Agent: "agent-2", Kind: OnLeave,
			From: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)}
		spec.Leave = []Away{leave}
		plan, err := Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range plan.Assignments {
			if a.Agent == "agent-2" && leave.Overlaps(a.ReportAt(), a.End) {
				t.Fatalf("agent-2 rostered during leave: %+v", a)
			}
		}
		if v := Audit(plan.Assignments, SeedRules(), spec.Start, spec.Leave); len(v) != 0 {
			t.Fatalf("violations: %v", v)
		}
	})
	t.Run("R3_make_up_workday_is_not_a_weekend", func(t *testing.T) {
		cal := &Holidays{}
		cal.AddWorkday(D(2026, 3, 8), "调休上班") // a Sunday worked
		spec := SeedSpec("desk-1", D(2026, 3, 2), time.UTC)
		spec.Calendar = cal
		plan, err := Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		weekends := 0
		for _, l := range plan.Fairness.Agents {
			weekends += l.Weekends
		}
		// 6 weekend days in three weeks, one of them worked: 5 * 3 shifts.
		if weekends != 15 {
			t.Fatalf("weekend shifts = %d, want 15", weekends)
		}
	})
	t.Run("R3_next_cycle_continues_from_previous", func(t *testing.T) {
		spec := SeedSpec("desk-1", D(2026, 3, 2), time.UTC)
		first, err := Generate(spec)
		if err != nil || !first.Complete() {
			t.Fatalf("%v %v", err, first.Err())
		}
		next := spec
		next.Start = spec.Start.AddDays(21)
		next.Previous = first.Assignments
		second, err := Generate(next)
		if err != nil || !second.Complete() {
			t.Fatalf("%v %v", err, second.Err())
		}
		both := append(append([]Assignment(nil), first.Assignments...), second.Assignments...)
		if v := Audit(both, SeedRules(), spec.Start, nil); len(v) != 0 {
			t.Fatalf("violations across the cycle boundary: %v", v)
		}
		// A single agent who worked c the night before cannot open with
		// a (08:50 report, 10h50 of rest): the slot is reported, with the
		// reason, instead of breaking the rest rule.
		solo := Spec{Desk: "d", Agents: []string{"p"}, Shifts: SeedShifts()[:1], Start: D(2026, 3, 2), Weeks: 1,
			Previous: []Assignment{NewAssignment(uuid.New(), "d", "p", SeedShifts()[2], D(2026, 3, 1), time.UTC)}}
		plan, err := Generate(solo)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Unfilled) < 1 || plan.Unfilled[0].Date != solo.Start ||
			plan.Unfilled[0].Excluded[0].Reason != ReasonRest {
			t.Fatalf("first day after a c shift: unfilled %+v", plan.Unfilled)
		}
	})
	t.Run("R3_fixed_days_off", func(t *testing.T) {
		spec := SeedSpec("desk-1", D(2026, 3, 2), time.UTC)
		spec.DaysOff = map[string][]time.Weekday{"agent-1": {time.Sunday, time.Saturday}}
		plan, err := Generate(spec)
		if err != nil || !plan.Complete() {
			t.Fatalf("%v %v", err, plan.Err())
		}
		n := 0
		for _, a := range plan.Assignments {
			if a.Agent == "agent-1" {
				n++
				if wd := a.Date.Weekday(); wd == time.Sunday || wd == time.Saturday {
					t.Fatalf("agent-1 works on %s", wd)
				}
			}
		}
		if n == 0 {
			t.Fatal("agent-1 has no shifts at all")
		}
	})
	t.Run("invalid_spec", func(t *testing.T) {
		for name, spec := range map[string]Spec{
			"no agents":    {Desk: "d", Shifts: SeedShifts(), Start: D(2026, 1, 1), Weeks: 1},
			"zero weeks":   {Desk: "d", Agents: []string{"a"}, Shifts: SeedShifts(), Start: D(2026, 1, 1)},
			"bad date":     {Desk: "d", Agents: []string{"a"}, Shifts: SeedShifts(), Start: D(2026, 2, 30), Weeks: 1},
			"dup agent":    {Desk: "d", Agents: []string{"a", "a"}, Shifts: SeedShifts(), Start: D(2026, 1, 1), Weeks: 1},
			"bad demand":   {Desk: "d", Agents: []string{"a"}, Shifts: SeedShifts(), Start: D(2026, 1, 1), Weeks: 1, Demand: map[string]int{"x": 1}},
			"equal bounds": {Desk: "d", Agents: []string{"a"}, Shifts: []Shift{{Name: "x", Start: At(9, 0), End: At(9, 0)}}, Start: D(2026, 1, 1), Weeks: 1},
		} {
			if _, err := Generate(spec); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: err = %v, want ErrInvalid", name, err)
			}
		}
	})
}

// TestGenerateProperties checks random specs (fixed seeds): hard
// constraints hold, demand is met or the shortfall is reported, and the
// coverage report agrees with the assignments.
func TestGenerateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	zones := []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Shanghai"}
	for iter := 0; iter < 150; iter++ {
		loc, err := time.LoadLocation(zones[rng.IntN(len(zones))])
		if err != nil {
			t.Fatal(err)
		}
		nShifts := 1 + rng.IntN(4)
		var shifts []Shift
		demand := map[string]int{}
		for i := 0; i < nShifts; i++ {
			start := TimeOfDay(rng.IntN(24*4) * 15)
			length := TimeOfDay(60 * (2 + rng.IntN(10)))
			end := (start + length) % EndOfDay
			name := fmt.Sprintf("s%d", i)
			shifts = append(shifts, Shift{Name: name, Start: start, End: end,
				Where: Place(rng.IntN(2)), ReportEarly: time.Duration(rng.IntN(3)*5) * time.Minute})
			demand[name] = rng.IntN(3)
		}
		var agents []string
		for i := 0; i < 1+rng.IntN(9); i++ {
			agents = append(agents, fmt.Sprintf("p%02d", i))
		}
		rules := Rules{MinRest: time.Duration(rng.IntN(13)) * time.Hour, MinDaysOff: rng.IntN(3),
			HoursWeight: 1, ShiftWeight: rng.Float64(), WeekendWeight: rng.Float64()}
		start := D(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		var leave []Away
		for i := 0; i < rng.IntN(4); i++ {
			from := Instant(start.AddDays(rng.IntN(14)), TimeOfDay(rng.IntN(24)*60), loc)
			leave = append(leave, Away{ID: uuid.New(), Desk: "d", Agent: agents[rng.IntN(len(agents))],
				Kind: OnLeave, From: from, Until: from.Add(time.Duration(1+rng.IntN(72)) * time.Hour)})
		}
		spec := Spec{Desk: "d", Agents: agents, Shifts: shifts, Demand: demand, Start: start,
			Weeks: 1 + rng.IntN(3), Location: loc, Rules: &rules, Leave: leave, NewID: seqIDs()}
		plan, err := Generate(spec)
		if err != nil {
			t.Fatalf("iter %d: %v", iter, err)
		}
		if v := Audit(plan.Assignments, rules, start, leave); len(v) != 0 {
			t.Fatalf("iter %d: violations %v", iter, v)
		}
		// Placed + missing = demand, slot by slot.
		type slot struct {
			d Date
			s string
		}
		placed := map[slot]int{}
		for _, a := range plan.Assignments {
			placed[slot{a.Date, a.Shift}]++
		}
		for _, u := range plan.Unfilled {
			placed[slot{u.Date, u.Shift}] += u.Missing
		}
		for day := 0; day < spec.Weeks*7; day++ {
			for _, s := range shifts {
				k := slot{start.AddDays(day), s.Name}
				if placed[k] != demand[s.Name] {
					t.Fatalf("iter %d: slot %v placed+missing %d, demand %d", iter, k, placed[k], demand[s.Name])
				}
			}
		}
		// Coverage agrees with a minute-by-minute scan of the assignments.
		hours := ServiceHours{}
		for wd := range hours.Weekly {
			hours.Weekly[wd] = []Window{{TimeOfDay(rng.IntN(12) * 60), TimeOfDay(12*60 + rng.IntN(13)*60)}}
		}
		rep, err := CheckCoverage(CoverageInput{Location: loc, From: start, Days: spec.Weeks * 7,
			Hours: hours, Assignments: plan.Assignments, Away: leave})
		if err != nil {
			t.Fatal(err)
		}
		for _, day := range rep.Days {
			for _, w := range hours.On(day.Date) {
				s, e := Instant(day.Date, w.Start, loc), Instant(day.Date, w.End, loc)
				var want time.Duration
				// Every boundary (shift starts, windows, leave, zone
				// offsets) is on a quarter hour, so sampling the middle of
				// each quarter is exact.
				for m := s; m.Before(e); m = m.Add(15 * time.Minute) {
					if len(WhoIsOn(m.Add(450*time.Second), plan.Assignments, nil, leave)) == 0 {
						want += 15 * time.Minute
					}
				}
				if day.Uncovered != want {
					t.Fatalf("iter %d day %s: uncovered %v, scan says %v", iter, day.Date, day.Uncovered, want)
				}
			}
		}
	}
}

func TestAudit(t *testing.T) {
	day := D(2026, 3, 2)
	a, b, c := SeedShifts()[0], SeedShifts()[1], SeedShifts()[2]
	ids := seqIDs()
	on := func(agent string, s Shift, d Date) Assignment {
		return NewAssignment(ids(), "d", agent, s, d, time.UTC)
	}
	t.Run("overlap_including_R6_roll_call", func(t *testing.T) {
		v := Audit([]Assignment{on("x", b, day), on("x", c, day)}, Rules{}, day, nil)
		if len(v) != 1 || v[0].Reason != ReasonOverlap {
			t.Fatalf("b then c for one person (c reports 19:50): %v", v)
		}
	})
	t.Run("minimum_rest", func(t *testing.T) {
		v := Audit([]Assignment{on("x", c, day), on("x", a, day.AddDays(1))}, SeedRules(), day, nil)
		if len(v) != 1 || v[0].Reason != ReasonRest {
			t.Fatalf("c then a: %v", v)
		}
		if v := Audit([]Assignment{on("x", c, day), on("x", b, day.AddDays(1))}, SeedRules(), day, nil); len(v) != 0 {
			t.Fatalf("c then b: %v", v)
		}
	})
	t.Run("days_off", func(t *testing.T) {
		var week []Assignment
		for i := 0; i < 7; i++ {
			week = append(week, on("x", a, day.AddDays(i)))
		}
		v := Audit(week, SeedRules(), day, nil)
		if len(v) != 1 || v[0].Reason != ReasonDaysOff {
			t.Fatalf("seven days in a row: %v", v)
		}
		// The same seven days straddle two cycle weeks when the cycle
		// starts mid-run.
		if v := Audit(week, SeedRules(), day.AddDays(3), nil); len(v) != 0 {
			t.Fatalf("split across weeks: %v", v)
		}
	})
	t.Run("leave", func(t *testing.T) {
		as := on("x", a, day)
		lv := Away{ID: uuid.New(), Desk: "d", Agent: "x", Kind: OnLeave, From: as.Start.Add(time.Hour), Until: as.End}
		if v := Audit([]Assignment{as}, SeedRules(), day, []Away{lv}); len(v) != 1 || v[0].Reason != ReasonLeave {
			t.Fatalf("shift during leave: %v", v)
		}
	})
}

func TestGenerateClockChange(t *testing.T) {
	// A night shift in Berlin over the last weekend of March 2026: the
	// night of the 28th is 7 hours, the others 8; hours add up to real
	// time worked.
	be := mustLoc(t, "Europe/Berlin")
	spec := Spec{Desk: "d", Agents: []string{"n1", "n2", "n3"}, Start: D(2026, 3, 23), Weeks: 1, Location: be,
		Shifts: []Shift{{Name: "night", Start: At(22, 0), End: At(6, 0)}}}
	plan, err := Generate(spec)
	if err != nil || !plan.Complete() {
		t.Fatalf("%v %v", err, plan.Err())
	}
	var total time.Duration
	for _, a := range plan.Assignments {
		want := 8 * time.Hour
		if a.Date == D(2026, 3, 28) {
			want = 7 * time.Hour
		}
		if a.Duration() != want {
			t.Fatalf("%s: %v, want %v", a.Date, a.Duration(), want)
		}
		total += a.Duration()
	}
	var sum time.Duration
	for _, l := range plan.Fairness.Agents {
		sum += l.Hours
	}
	if total != 55*time.Hour || sum != total {
		t.Fatalf("total %v, fairness sum %v, want 55h", total, sum)
	}
}
