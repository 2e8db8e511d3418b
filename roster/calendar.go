package roster

import (
	"sync"
	"time"

	"github.com/servicedesk-go/desk/calendar"
)

// Date is a calendar day without a zone: the calendar package's Date, so
// one calendar.Calendar serves every package.
type Date = calendar.Date

// DateOf returns the calendar day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date { return calendar.DateOf(t, loc) }

// D is shorthand for Date{year, month, day}.
func D(year int, month time.Month, day int) Date { return calendar.D(year, month, day) }

// Instant resolves the wall-clock time tod on day d in loc (tod 24:00 is
// 00:00 of the next day). Clock changes follow RFC 5545 section 3.3.5, so
// the exported iCalendar means the same instants:
//
//   - a wall time that occurs twice (fall back) is its first occurrence;
//   - a wall time skipped by a spring-forward gap is read with the UTC
//     offset in force before the gap, i.e. it moves forward by the length
//     of the gap (02:30 on a night that jumps 02:00→03:00 is 03:30).
func Instant(d Date, tod TimeOfDay, loc *time.Location) time.Time {
	if tod >= EndOfDay {
		d = d.AddDays(int(tod / EndOfDay))
		tod %= EndOfDay
	}
	if loc == nil {
		loc = time.UTC
	}
	wall := time.Date(d.Year, d.Month, d.Day, int(tod)/60, int(tod)%60, 0, 0, time.UTC)
	// Offsets around the wall time; zones do not change twice within a day
	// of each other in practice (tzdata has no such case in use).
	before := offsetAt(wall.Add(-26*time.Hour), loc)
	after := offsetAt(wall.Add(26*time.Hour), loc)
	var best time.Time
	for _, off := range [2]int{before, after} {
		t := wall.Add(-time.Duration(off) * time.Second)
		if offsetAt(t, loc) == off && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if best.IsZero() {
		// In a gap: use the offset before it.
		best = wall.Add(-time.Duration(before) * time.Second)
	}
	return best.In(loc)
}

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

// DayKind classifies a calendar day for rostering (calendar.DayKind).
type DayKind = calendar.DayKind

// The kinds of day.
const (
	// Workday: an ordinary working day, including a make-up workday (调休
	// 上班) that falls on a weekend.
	Workday = calendar.Workday
	// RestDay: a weekly rest day (a weekend).
	RestDay = calendar.RestDay
	// Holiday: a public holiday; R7 asks for holiday duty.
	Holiday = calendar.Holiday
)

// Calendar says what kind of day a date is. Rotation uses it to balance
// weekend and holiday work; coverage can use it for hours by kind of day.
// Implementations must be safe for concurrent use. A *calendar.Calendar
// is one (with the official China schedule: calendar.China()); Holidays
// is a hand-made one.
type Calendar interface {
	Kind(d Date) DayKind
}

// Weekends is the plain calendar: Saturday and Sunday are rest days,
// every other day a workday, no holidays.
type Weekends struct{}

// Kind implements Calendar.
func (Weekends) Kind(d Date) DayKind {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return RestDay
	}
	return Workday
}

// Holidays is a Calendar of named exceptions over a base calendar
// (Weekends when nil). It expresses the Chinese arrangement where a
// holiday block is paid for with make-up workdays on weekends: mark the
// block with AddHoliday and the weekend days worked with AddWorkday. Safe
// for concurrent use.
type Holidays struct {
	Base Calendar

	mu    sync.RWMutex
	days  map[Date]DayKind
	names map[Date]string
}

// AddHoliday marks d as a public holiday.
func (h *Holidays) AddHoliday(d Date, name string) { h.set(d, Holiday, name) }

// AddWorkday marks d as a working day even if the base calendar says rest
// (a make-up workday such as 国庆节调休上班 on a Sunday).
func (h *Holidays) AddWorkday(d Date, name string) { h.set(d, Workday, name) }

func (h *Holidays) set(d Date, k DayKind, name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.days == nil {
		h.days = map[Date]DayKind{}
		h.names = map[Date]string{}
	}
	h.days[d] = k
	h.names[d] = name
}

// Kind implements Calendar.
func (h *Holidays) Kind(d Date) DayKind {
	h.mu.RLock()
	k, ok := h.days[d]
	h.mu.RUnlock()
	if ok {
		return k
	}
	if h.Base == nil {
		return Weekends{}.Kind(d)
	}
	return h.Base.Kind(d)
}

// Name returns the name given to an exception day, or "".
func (h *Holidays) Name(d Date) string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.names[d]
}
