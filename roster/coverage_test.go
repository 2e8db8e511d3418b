package roster

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
)

// seedRoster places the a/b/c shifts, one person each, on days days.
func seedRoster(start Date, days int, loc *time.Location) []Assignment {
	ids := seqIDs()
	people := map[string]string{"a": "ann", "b": "bo", "c": "cy"}
	var out []Assignment
	for i := 0; i < days; i++ {
		for _, s := range SeedShifts() {
			out = append(out, NewAssignment(ids(), "d", people[s.Name], s, start.AddDays(i), loc))
		}
	}
	return out
}

func TestCoverage(t *testing.T) {
	sh := mustLoc(t, "Asia/Shanghai")
	start := D(2026, 3, 2)
	wall := func(d Date, h, m int) time.Time { return Instant(d, At(h, m), sh) }

	t.Run("R1_R2_seed_plan_leaves_22_to_24_uncovered", func(t *testing.T) {
		rep, err := CheckCoverage(CoverageInput{Location: sh, From: start, Days: 7,
			Hours: SeedServiceHours(), Assignments: seedRoster(start, 7, sh)})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Days) != 7 {
			t.Fatalf("%d days", len(rep.Days))
		}
		for _, d := range rep.Days {
			if len(d.Gaps) != 1 {
				t.Fatalf("%s: gaps %+v, want exactly 22:00-24:00", d.Date, d.Gaps)
			}
			g := d.Gaps[0]
			if !g.Start.Equal(wall(d.Date, 22, 0)) || !g.End.Equal(wall(d.Date.AddDays(1), 0, 0)) || g.Length() != 2*time.Hour {
				t.Fatalf("%s: gap %v-%v, want 22:00-24:00", d.Date, g.Start, g.End)
			}
			if d.Required != 15*time.Hour || d.Uncovered != 2*time.Hour {
				t.Fatalf("%s: required %v uncovered %v", d.Date, d.Required, d.Uncovered)
			}
		}
		if rep.Covered() || rep.Uncovered() != 14*time.Hour || len(rep.Gaps()) != 7 {
			t.Fatalf("totals: covered %t uncovered %v gaps %d", rep.Covered(), rep.Uncovered(), len(rep.Gaps()))
		}
	})
	t.Run("R1_leave_opens_holes", func(t *testing.T) {
		// bo (shift b, 12-20) on leave Tuesday and Wednesday: a covers
		// until 17:00, c from 20:00, so 17:00-20:00 is open both days.
		leave := Away{ID: uuid.New(), Desk: "d", Agent: "bo", Kind: OnLeave,
			From: wall(start.AddDays(1), 0, 0), Until: wall(start.AddDays(3), 0, 0)}
		rep, err := CheckCoverage(CoverageInput{Location: sh, From: start, Days: 7,
			Hours: SeedServiceHours(), Assignments: seedRoster(start, 7, sh), Away: []Away{leave}})
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range rep.Days {
			want := 1
			if i == 1 || i == 2 {
				want = 2
			}
			if len(d.Gaps) != want {
				t.Fatalf("%s: %d gaps %+v, want %d", d.Date, len(d.Gaps), d.Gaps, want)
			}
			if want == 2 {
				g := d.Gaps[0]
				if !g.Start.Equal(wall(d.Date, 17, 0)) || !g.End.Equal(wall(d.Date, 20, 0)) || g.Length() != 3*time.Hour {
					t.Fatalf("%s: hole %v-%v, want 17:00-20:00", d.Date, g.Start, g.End)
				}
			}
		}
	})
	t.Run("R5_offline_counts_as_uncovered", func(t *testing.T) {
		off := Away{ID: uuid.New(), Desk: "d", Agent: "cy", Kind: Offline, From: wall(start, 20, 30)}
		rep, err := CheckCoverage(CoverageInput{Location: sh, From: start, Days: 2,
			Hours: SeedServiceHours(), Assignments: seedRoster(start, 2, sh), Away: []Away{off}})
		if err != nil {
			t.Fatal(err)
		}
		// Day 1: 20:30-24:00; day 2: cy still offline, 20:00-24:00.
		if g := rep.Days[0].Gaps; len(g) != 1 || !g[0].Start.Equal(wall(start, 20, 30)) {
			t.Fatalf("day 1 gaps %+v", g)
		}
		if g := rep.Days[1].Gaps; len(g) != 1 || g[0].Length() != 4*time.Hour {
			t.Fatalf("day 2 gaps %+v", g)
		}
	})
	t.Run("R6_early_report_is_not_coverage", func(t *testing.T) {
		// b ends 19:50; c reports at 19:50 but starts at 20:00.
		b := Shift{Name: "b", Start: At(12, 0), End: At(19, 50)}
		c := SeedShifts()[2]
		as := []Assignment{
			NewAssignment(uuid.New(), "d", "x", SeedShifts()[0], start, sh),
			NewAssignment(uuid.New(), "d", "y", b, start, sh),
			NewAssignment(uuid.New(), "d", "z", c, start, sh),
		}
		rep, err := CheckCoverage(CoverageInput{Location: sh, From: start, Days: 1, Hours: SeedServiceHours(), Assignments: as})
		if err != nil {
			t.Fatal(err)
		}
		g := rep.Days[0].Gaps
		if len(g) != 2 || !g[0].Start.Equal(wall(start, 19, 50)) || g[0].Length() != 10*time.Minute {
			t.Fatalf("gaps %+v, want 19:50-20:00 then 22:00-24:00", g)
		}
	})
	t.Run("R7_duty_closes_the_night_gap", func(t *testing.T) {
		duty := Duty{ID: uuid.New(), Desk: "d", Agent: "dee", Kind: NightDuty, Where: Remote,
			Start: wall(start, 22, 0), End: wall(start.AddDays(1), 0, 0), ForwardTo: "+86 138 0000 0000"}
		rep, err := CheckCoverage(CoverageInput{Location: sh, From: start, Days: 1, Hours: SeedServiceHours(),
			Assignments: seedRoster(start, 1, sh), Duties: []Duty{duty}})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Covered() {
			t.Fatalf("gaps %+v with night duty", rep.Gaps())
		}
	})
	t.Run("R1_clock_change_day", func(t *testing.T) {
		// Berlin, 2026-03-29: 02:00 jumps to 03:00. Service 00:00-24:00 is
		// 23 hours long; a 22:00-06:00 night shift from the 28th and a
		// 06:00-22:00 day leave 22:00-24:00 open.
		be := mustLoc(t, "Europe/Berlin")
		d := D(2026, 3, 29)
		var h ServiceHours
		for wd := range h.Weekly {
			h.Weekly[wd] = []Window{{0, EndOfDay}}
		}
		as := []Assignment{
			NewAssignment(uuid.New(), "d", "n", Shift{Name: "n", Start: At(22, 0), End: At(6, 0)}, d.AddDays(-1), be),
			NewAssignment(uuid.New(), "d", "m", Shift{Name: "m", Start: At(6, 0), End: At(22, 0)}, d, be),
		}
		rep, err := CheckCoverage(CoverageInput{Location: be, From: d, Days: 1, Hours: h, Assignments: as})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Days[0].Required != 23*time.Hour || rep.Uncovered() != 2*time.Hour {
			t.Fatalf("required %v uncovered %v", rep.Days[0].Required, rep.Uncovered())
		}
	})
	t.Run("invalid_hours", func(t *testing.T) {
		var h ServiceHours
		h.Weekly[1] = []Window{{At(10, 0), At(9, 0)}}
		if _, err := CheckCoverage(CoverageInput{From: start, Days: 1, Hours: h}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("err = %v", err)
		}
		if _, err := CheckCoverage(CoverageInput{From: start, Days: 1 << 40}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("err = %v", err)
		}
		if _, err := CheckCoverage(CoverageInput{From: start, Days: -1}); !errors.Is(err, ErrInvalid) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestWhoIsOn(t *testing.T) {
	sh := mustLoc(t, "Asia/Shanghai")
	start := D(2026, 3, 2)
	as := seedRoster(start, 1, sh)
	at := func(h, m int) time.Time { return Instant(start, At(h, m), sh) }
	t.Run("R2_who_which_shift_where", func(t *testing.T) {
		got := WhoIsOn(at(13, 0), as, nil, nil)
		if len(got) != 2 || got[0].Agent != "ann" || got[0].Shift != "a" || got[1].Agent != "bo" || got[0].Where != OnSite {
			t.Fatalf("13:00: %+v", got)
		}
		got = WhoIsOn(at(21, 0), as, nil, nil)
		if len(got) != 1 || got[0].Agent != "cy" || got[0].Where != Remote {
			t.Fatalf("21:00: %+v", got)
		}
		if first, ok := WhoIsOn(at(13, 0), as, nil, nil).FirstAgent(); !ok || first != "ann" {
			t.Fatalf("first contact at 13:00: %q %t", first, ok)
		}
		if _, ok := WhoIsOn(at(23, 0), as, nil, nil).FirstAgent(); ok {
			t.Fatal("first contact at 23:00 when nobody is on (T19)")
		}
		if got := WhoIsOn(at(23, 0), as, nil, nil); len(got) != 0 || got.Agents() != nil {
			t.Fatalf("23:00: %+v (R2 gap: nobody)", got)
		}
	})
	t.Run("R6_roll_call_is_not_on_duty", func(t *testing.T) {
		if got := WhoIsOn(at(8, 55), as, nil, nil); len(got) != 0 {
			t.Fatalf("08:55: %+v", got)
		}
		if got := WhoIsOn(at(17, 0), as, nil, nil).Agents(); len(got) != 1 || got[0] != "bo" {
			t.Fatalf("17:00 (a has ended): %v", got)
		}
	})
	t.Run("R5_offline_and_leave_are_never_on_duty", func(t *testing.T) {
		aw := []Away{
			{ID: uuid.New(), Desk: "d", Agent: "ann", Kind: Offline, From: at(12, 30)},
			{ID: uuid.New(), Desk: "d", Agent: "bo", Kind: OnLeave, From: at(0, 0), Until: at(23, 0)},
		}
		if got := WhoIsOn(at(12, 0), as, nil, aw).Agents(); len(got) != 1 || got[0] != "ann" {
			t.Fatalf("12:00: %v", got)
		}
		if got := WhoIsOn(at(13, 0), as, nil, aw); len(got) != 0 {
			t.Fatalf("13:00: %+v", got)
		}
	})
	t.Run("first_contact_order_on_site_first_then_earliest_start_then_id", func(t *testing.T) {
		extra := NewAssignment(uuid.New(), "d", "abe", Shift{Name: "b2", Start: At(12, 0), End: At(20, 0)}, start, sh)
		remote := NewAssignment(uuid.New(), "d", "aaa", Shift{Name: "r", Start: At(8, 0), End: At(18, 0), Where: Remote}, start, sh)
		list := WhoIsOn(at(13, 0), append([]Assignment{remote, extra}, as...), nil, nil)
		got := list.Agents()
		want := []string{"ann", "abe", "bo", "aaa"}
		if len(got) != len(want) {
			t.Fatalf("agents %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("agents %v, want %v", got, want)
			}
		}
	})
	t.Run("R7_duty_with_forwarding", func(t *testing.T) {
		d := Duty{ID: uuid.New(), Desk: "d", Agent: "dee", Kind: NoonDuty, Where: OnSite,
			Start: at(12, 0), End: at(13, 30), ForwardTo: "+86 755 1234 5678"}
		got := WhoIsOn(at(12, 15), nil, []Duty{d}, nil)
		if len(got) != 1 || got[0].Duty != NoonDuty || got[0].ForwardTo != d.ForwardTo || got[0].Shift != "noon duty" {
			t.Fatalf("%+v", got)
		}
		aw := []Away{{ID: uuid.New(), Desk: "d", Agent: "dee", Kind: Offline, From: at(12, 20)}}
		if got := WhoIsOn(at(12, 30), nil, []Duty{d}, aw); len(got) != 0 {
			t.Fatalf("duty holder away still on duty: %+v", got)
		}
		fw := Forwarded(at(12, 30), []Duty{d}, aw)
		if len(fw) != 1 || fw[0].ForwardTo != "+86 755 1234 5678" {
			t.Fatalf("forwarded %+v", fw)
		}
		bad := d
		bad.ForwardTo = " "
		if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
			t.Fatalf("duty without forward target: %v", err)
		}
	})
}
