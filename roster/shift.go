package roster

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeOfDay is a wall-clock time as minutes after local midnight, from 0
// (00:00) to 1440 (24:00, the end of the day). It carries no date and no
// zone: a Shift or Window is placed on a calendar day in a *time.Location
// to become instants.
type TimeOfDay int

// EndOfDay is 24:00, allowed as the end of a shift or window.
const EndOfDay TimeOfDay = 24 * 60

// At returns the time of day hour:minute. At(24, 0) is EndOfDay.
func At(hour, minute int) TimeOfDay { return TimeOfDay(hour*60 + minute) }

// Valid reports whether t lies in [00:00, 24:00].
func (t TimeOfDay) Valid() bool { return t >= 0 && t <= EndOfDay }

// String formats t as "HH:MM".
func (t TimeOfDay) String() string {
	if !t.Valid() {
		return fmt.Sprintf("TimeOfDay(%d)", int(t))
	}
	return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60)
}

// ParseTimeOfDay parses "HH:MM" (00:00 to 24:00).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) != 2 || len(ms) != 2 {
		return 0, invalid("time of day", "%q is not HH:MM", s)
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || hs[0] == '+' || hs[0] == '-' || ms[0] == '+' || ms[0] == '-' ||
		h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, invalid("time of day", "%q is not a time between 00:00 and 24:00", s)
	}
	return At(h, m), nil
}

// Place says where a shift is worked (R2: a and b on site, c from home).
type Place uint8

const (
	// OnSite: at the desk's premises ("需到公司到岗工作", R2).
	OnSite Place = iota
	// Remote: on duty from home with the company line forwarded (R2 c).
	Remote
)

func (p Place) String() string {
	switch p {
	case OnSite:
		return "on site"
	case Remote:
		return "remote"
	}
	return fmt.Sprintf("Place(%d)", uint8(p))
}

// Shift is a named pattern of work on one calendar day.
//
// End <= Start means the shift crosses midnight and ends on the next
// calendar day (22:00–06:00). A shift of exactly 24 hours is written
// 00:00–24:00. ReportEarly is the roll call before the start (R6: ten
// minutes, "每班提前10分钟到岗"); it is working time but not service
// coverage, so coverage and on-duty answers start at Start.
type Shift struct {
	Name        string
	Start, End  TimeOfDay
	Where       Place
	ReportEarly time.Duration
}

// SeedShifts returns the a/b/c shifts of seed 002 (R2), each with the ten
// minutes early report of R6. Every call returns fresh values.
func SeedShifts() []Shift {
	return []Shift{
		{Name: "a", Start: At(9, 0), End: At(17, 0), Where: OnSite, ReportEarly: 10 * time.Minute},
		{Name: "b", Start: At(12, 0), End: At(20, 0), Where: OnSite, ReportEarly: 10 * time.Minute},
		{Name: "c", Start: At(20, 0), End: At(22, 0), Where: Remote, ReportEarly: 10 * time.Minute},
	}
}

// Validate checks the shift on its own.
func (s Shift) Validate() error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return invalid("shift.name", "empty: give the shift a name")
	case !s.Start.Valid() || s.Start == EndOfDay:
		return invalid("shift.start", "%s of shift %q must be in 00:00..23:59", s.Start, s.Name)
	case !s.End.Valid():
		return invalid("shift.end", "%s of shift %q must be in 00:00..24:00", s.End, s.Name)
	case s.End == s.Start:
		return invalid("shift.end", "shift %q starts and ends at %s: write a full day as 00:00-24:00", s.Name, s.Start)
	case s.Where > Remote:
		return invalid("shift.where", "unknown place %d for shift %q", s.Where, s.Name)
	case s.ReportEarly < 0 || s.ReportEarly > 12*time.Hour:
		return invalid("shift.report_early", "%s for shift %q must be between 0 and 12h", s.ReportEarly, s.Name)
	}
	return storeBounds.shift(&s)
}

// CrossesMidnight reports whether the shift ends on the next calendar day.
func (s Shift) CrossesMidnight() bool { return s.End <= s.Start }

// Nominal is the length of the shift on a day without a clock change.
func (s Shift) Nominal() time.Duration {
	m := int(s.End - s.Start)
	if s.CrossesMidnight() {
		m += 24 * 60
	}
	return time.Duration(m) * time.Minute
}

// On places the shift on calendar day d in loc and returns its instants.
// Wall times are resolved by Instant (see there for clock changes), so an
// overnight shift is an hour shorter on a spring-forward night and an hour
// longer on a fall-back night.
//
// A shift that lies inside a skipped hour resolves to an end at or before
// its start: 02:30-03:00 in Europe/Berlin on 29 March 2026 starts at
// 03:30 (02:30 read before the gap) and ends at 03:00. Such a shift has
// no time that day. The rule (Empty): Generate does not staff it and
// reports it as a plan error (ErrClockChange), NewAssignment's result
// fails Validate, WriteICal refuses it rather than write DTEND before
// DTSTART, and Measure counts it as no hours.
func (s Shift) On(d Date, loc *time.Location) (start, end time.Time) {
	start = Instant(d, s.Start, loc)
	endDay := d
	if s.CrossesMidnight() {
		endDay = d.AddDays(1)
	}
	end = Instant(endDay, s.End, loc)
	return start, end
}

// Empty reports whether the shift has no time on day d in loc: a clock
// change moves its end to or before its start (see On).
func (s Shift) Empty(d Date, loc *time.Location) bool {
	start, end := s.On(d, loc)
	return !end.After(start)
}
