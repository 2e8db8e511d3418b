package roster

import (
	"slices"
	"sort"
	"time"

	"github.com/servicedesk-go/desk/calendar"
)

// Window is a span of wall-clock time within one day, Start < End, End up
// to 24:00.
type Window struct {
	Start, End TimeOfDay
}

func (w Window) validate() error {
	if !w.Start.Valid() || !w.End.Valid() || w.Start >= w.End {
		return invalid("window", "%s-%s must satisfy 00:00 <= start < end <= 24:00", w.Start, w.End)
	}
	return nil
}

// ServiceHours are the hours a desk must be answering. Weekly gives the
// windows per weekday (index time.Sunday..time.Saturday). When Calendar is
// set and ByKind has an entry for the day's kind, that entry replaces the
// weekday's windows (an empty entry means closed), e.g. shorter hours on
// holidays, or workday hours on a make-up workday that falls on a Sunday.
type ServiceHours struct {
	Weekly   [7][]Window
	Calendar Calendar
	ByKind   map[DayKind][]Window
}

// ServiceHoursOf returns the desk calendar's opening hours as service
// hours: its hours by kind of day, with the calendar itself saying each
// day's kind (a make-up Sunday has workday hours, a holiday its holiday
// hours). Spans are widened to whole minutes.
func ServiceHoursOf(cal *calendar.Calendar) ServiceHours {
	w := cal.Week()
	h := ServiceHours{Calendar: cal, ByKind: map[DayKind][]Window{}}
	for k := Workday; k <= Holiday; k++ {
		ws := []Window{}
		for _, s := range w.Of(k) {
			start := TimeOfDay(s.Start / time.Minute)
			end := TimeOfDay((s.End + time.Minute - 1) / time.Minute)
			ws = append(ws, Window{start, end})
		}
		h.ByKind[k] = ws
	}
	return h
}

// SeedServiceHours returns R1: 09:00–24:00 every day, Monday to Sunday.
func SeedServiceHours() ServiceHours {
	var h ServiceHours
	for d := range h.Weekly {
		h.Weekly[d] = []Window{{At(9, 0), EndOfDay}}
	}
	return h
}

// On returns the windows required on day d.
func (h ServiceHours) On(d Date) []Window {
	if h.Calendar != nil && h.ByKind != nil {
		if w, ok := h.ByKind[h.Calendar.Kind(d)]; ok {
			return w
		}
	}
	return h.Weekly[d.Weekday()]
}

func (h ServiceHours) validate() error {
	for _, ws := range h.Weekly {
		for _, w := range ws {
			if err := w.validate(); err != nil {
				return err
			}
		}
	}
	for _, ws := range h.ByKind {
		for _, w := range ws {
			if err := w.validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Gap is an uncovered interval of required service time.
type Gap struct {
	Date       Date // the day whose service hours it belongs to
	Start, End time.Time
}

// Length of the gap.
func (g Gap) Length() time.Duration { return g.End.Sub(g.Start) }

// DayCoverage is the coverage of one day.
type DayCoverage struct {
	Date      Date
	Required  time.Duration // real length of the required windows
	Uncovered time.Duration
	Gaps      []Gap
}

// CoverageReport is the answer of CheckCoverage, one entry per day.
type CoverageReport struct {
	Days []DayCoverage
}

// Gaps returns every gap of the report in time order.
func (r CoverageReport) Gaps() []Gap {
	var out []Gap
	for _, d := range r.Days {
		out = append(out, d.Gaps...)
	}
	return out
}

// Uncovered is the total uncovered time.
func (r CoverageReport) Uncovered() time.Duration {
	var u time.Duration
	for _, d := range r.Days {
		u += d.Uncovered
	}
	return u
}

// Covered reports whether no required minute is uncovered.
func (r CoverageReport) Covered() bool { return r.Uncovered() == 0 }

// CoverageInput is what CheckCoverage compares.
type CoverageInput struct {
	Location    *time.Location // nil: UTC
	From        Date
	Days        int
	Hours       ServiceHours
	Assignments []Assignment // as they stand: apply swaps first (Apply)
	Duties      []Duty
	Away        []Away // leave and offline periods (R5)
}

// maxCoverageDays bounds one report (about 27 years).
const maxCoverageDays = 10000

// CheckCoverage compares required service hours with the people actually
// present (R1). An assignment counts from its start (the R6 early report
// is not coverage) to its end, minus the holder's leave and offline
// periods; duty covers count the same way. Every uncovered interval is
// reported on the day whose hours it belongs to.
func CheckCoverage(in CoverageInput) (CoverageReport, error) {
	if in.Days < 0 || in.Days > maxCoverageDays {
		return CoverageReport{}, invalid("coverage.days", "%d days: want 0..%d", in.Days, maxCoverageDays)
	}
	if !in.From.Valid() {
		return CoverageReport{}, invalid("coverage.from", "%v is not a calendar day", in.From)
	}
	if err := in.Hours.validate(); err != nil {
		return CoverageReport{}, err
	}
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	union := presentUnion(in.Assignments, in.Duties, in.Away)
	rep := CoverageReport{Days: make([]DayCoverage, 0, in.Days)}
	d := in.From
	for i := 0; i < in.Days; i++ {
		dc := DayCoverage{Date: d}
		for _, w := range in.Hours.On(d) {
			s, e := Instant(d, w.Start, loc), Instant(d, w.End, loc)
			if !e.After(s) {
				continue // a window swallowed by a clock change
			}
			dc.Required += e.Sub(s)
			for _, g := range subtract(s, e, union) {
				dc.Gaps = append(dc.Gaps, Gap{Date: d, Start: g[0], End: g[1]})
				dc.Uncovered += g[1].Sub(g[0])
			}
		}
		rep.Days = append(rep.Days, dc)
		d = d.AddDays(1)
	}
	return rep, nil
}

type span [2]time.Time

// presentUnion is the sorted, merged union of all present time.
func presentUnion(as []Assignment, duties []Duty, away []Away) []span {
	idx := indexAway(away)
	spans := make([]span, 0, len(as)+len(duties))
	add := func(s, e time.Time) { spans = append(spans, span{s, e}) }
	for _, a := range as {
		idx.present(a.Agent, a.Start, a.End, add)
	}
	for _, d := range duties {
		idx.present(d.Agent, d.Start, d.End, add)
	}
	slices.SortFunc(spans, func(a, b span) int { return a[0].Compare(b[0]) })
	merged := spans[:0]
	for _, s := range spans {
		if n := len(merged); n > 0 && !s[0].After(merged[n-1][1]) {
			if s[1].After(merged[n-1][1]) {
				merged[n-1][1] = s[1]
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// subtract returns [s, e) minus the merged union.
func subtract(s, e time.Time, union []span) []span {
	i := sort.Search(len(union), func(i int) bool { return union[i][1].After(s) })
	var out []span
	cur := s
	for ; i < len(union) && union[i][0].Before(e); i++ {
		if union[i][0].After(cur) {
			out = append(out, span{cur, union[i][0]})
		}
		if union[i][1].After(cur) {
			cur = union[i][1]
		}
	}
	if cur.Before(e) {
		out = append(out, span{cur, e})
	}
	return out
}
