package roster

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/calendar"
)

// TestClockChange/R3_*: a shift inside the skipped hour of a
// spring-forward night (Europe/Berlin 02:30-03:00 on Sunday 29 March
// 2026) has no time: Generate reports it as a plan error and staffs it
// never, the iCalendar export never writes DTEND before DTSTART, and the
// fairness hours do not drop.
func TestClockChange(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	night := Shift{Name: "n", Start: At(2, 30), End: At(3, 0), Where: Remote}
	sunday := D(2026, 3, 29)
	start, end := night.On(sunday, berlin)
	if end.After(start) || !night.Empty(sunday, berlin) || night.Empty(sunday.AddDays(-1), berlin) {
		t.Fatalf("premise: %s resolves to %s..%s", sunday, start, end)
	}
	var n uint64
	spec := Spec{Desk: "d1", Agents: []string{"li", "wang"}, Shifts: []Shift{night}, Start: D(2026, 3, 23), Weeks: 1,
		Location: berlin, NewID: func() uuid.UUID { n++; return uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(n)}) }}

	t.Run("R3_generate_reports_the_emptied_slot", func(t *testing.T) {
		plan, err := Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Emptied) != 1 || plan.Emptied[0].Date != sunday || plan.Emptied[0].Shift != "n" {
			t.Fatalf("emptied %+v", plan.Emptied)
		}
		var ce *ClockChangeError
		if err := plan.Err(); !errors.Is(err, ErrClockChange) || errors.Is(err, ErrUnfilled) || !errors.As(err, &ce) || plan.Complete() {
			t.Fatalf("plan error %v, complete %v", err, plan.Complete())
		}
		if len(plan.Assignments) != 6 {
			t.Fatalf("%d assignments, want the 6 days with time", len(plan.Assignments))
		}
		for _, a := range plan.Assignments {
			if a.Date == sunday || !a.End.After(a.Start) || a.Validate() != nil {
				t.Fatalf("staffed %+v", a)
			}
		}
		var total time.Duration
		for _, l := range plan.Fairness.Agents {
			if l.Hours < 0 {
				t.Fatalf("%s has %s", l.Agent, l.Hours)
			}
			total += l.Hours
		}
		if total != 6*30*time.Minute {
			t.Fatalf("fairness hours total %s, want 3h", total)
		}
	})
	t.Run("R3_fairness_hours_never_drop", func(t *testing.T) {
		ok := NewAssignment(uuid.New(), "d1", "li", night, sunday.AddDays(-1), berlin)
		empty := NewAssignment(uuid.New(), "d1", "li", night, sunday, berlin)
		if empty.Duration() != 0 || empty.Validate() == nil {
			t.Fatalf("emptied assignment: duration %s, validate %v", empty.Duration(), empty.Validate())
		}
		f := Measure([]Assignment{ok, empty}, []string{"li"}, []Shift{night}, nil, berlin)
		if f.Agents[0].Hours != 30*time.Minute {
			t.Fatalf("hours %s, want 30m (the emptied shift counts zero)", f.Agents[0].Hours)
		}
	})
	t.Run("R3_ical_never_writes_dtend_before_dtstart", func(t *testing.T) {
		ok := NewAssignment(uuid.New(), "d1", "li", night, sunday.AddDays(-1), berlin)
		empty := NewAssignment(uuid.New(), "d1", "wang", night, sunday, berlin)
		var buf bytes.Buffer
		err := WriteICal(&buf, []Assignment{ok, empty}, ICalOptions{Location: berlin, Stamp: start})
		if !errors.Is(err, ErrInvalid) || buf.Len() != 0 {
			t.Fatalf("err %v, wrote %d bytes", err, buf.Len())
		}
		// Another agent's export does not contain the emptied shift.
		if err := WriteICal(&buf, []Assignment{ok, empty}, ICalOptions{Location: berlin, Stamp: start, Agent: "li"}); err != nil {
			t.Fatal(err)
		}
		if c := strings.Count(buf.String(), "BEGIN:VEVENT"); c != 1 {
			t.Fatalf("%d events", c)
		}
	})
}

// TestStaffingOverloaded/R8_*: with agents at or below the traffic the
// queue grows without bound: Overloaded says so and ASA is the named
// sentinel InfiniteASA, never a number to add up.
func TestStaffingOverloaded(t *testing.T) {
	load := Load{Calls: 120, Interval: time.Hour, AHT: 5 * time.Minute} // 10 Erlangs
	for _, n := range []int{0, 5, 10} {
		s, err := Evaluate(load, n, DefaultTarget())
		if err != nil {
			t.Fatal(err)
		}
		if !s.Overloaded || s.ASA != InfiniteASA || s.WaitProbability != 1 || s.ServiceLevel != 0 {
			t.Fatalf("%d agents: %+v", n, s)
		}
	}
	s, err := Evaluate(load, 11, DefaultTarget())
	if err != nil || s.Overloaded || s.ASA == InfiniteASA || s.ASA <= 0 {
		t.Fatalf("11 agents: %+v %v", s, err)
	}
}

// TestServiceHoursOf/R1_*: the desk calendar's hours by kind of day are
// the coverage requirement, kinds from the official schedule.
func TestServiceHoursOf(t *testing.T) {
	shanghai := mustLoc(t, "Asia/Shanghai")
	cal, err := calendar.New(calendar.Config{Zone: shanghai, Schedule: calendar.China(), Hours: calendar.Week{
		Workday: []calendar.Span{{Start: 9 * time.Hour, End: 24 * time.Hour}},
		RestDay: []calendar.Span{{Start: 9 * time.Hour, End: 17 * time.Hour}},
		Holiday: []calendar.Span{{Start: 10 * time.Hour, End: 16*time.Hour + 30*time.Second}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h := ServiceHoursOf(cal)
	for _, tc := range []struct {
		d    Date
		want []Window
	}{
		{D(2026, 9, 20), []Window{{At(9, 0), EndOfDay}}},   // make-up Sunday: workday hours
		{D(2026, 9, 13), []Window{{At(9, 0), At(17, 0)}}},  // ordinary Sunday
		{D(2026, 10, 1), []Window{{At(10, 0), At(16, 1)}}}, // 国庆节, widened to the minute
	} {
		if got := h.On(tc.d); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.d, got, tc.want)
		}
	}
	if err := h.validate(); err != nil {
		t.Fatal(err)
	}
}

// TestGenerateZoneFromCalendar/R2_*: without a Location the rotation is
// placed in the desk calendar's zone, not UTC.
func TestGenerateZoneFromCalendar(t *testing.T) {
	shanghai := mustLoc(t, "Asia/Shanghai")
	cal, err := calendar.New(calendar.Config{Zone: shanghai, Schedule: calendar.China(),
		Hours: calendar.Daily(calendar.Span{Start: 9 * time.Hour, End: 24 * time.Hour})})
	if err != nil {
		t.Fatal(err)
	}
	spec := SeedSpec("d1", D(2026, 9, 28), nil, "li", "wang", "zhao", "chen")
	spec.Calendar = cal
	plan, err := Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	a := plan.Assignments[0]
	if want := time.Date(2026, 9, 28, 9, 0, 0, 0, shanghai); !a.Start.Equal(want) {
		t.Fatalf("first shift starts %s, want %s", a.Start, want)
	}
}
