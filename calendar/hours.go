package calendar

import (
	"slices"
	"time"
)

// An instant is in the desk's hours when its wall-clock reading in the
// desk's zone falls in a span of its day's kind. That one rule settles
// clock changes: on a spring-forward night the skipped hour has no
// instants and counts for nothing; on a fall-back night the repeated hour
// is open twice if its wall time is open, and counts twice, because an
// hour of business time is an hour that really passed.

type interval struct{ from, to time.Time }

// maxScanDays bounds the day-by-day walks: a century of days (100 ×
// 366, leap years included), beyond any business-time duration a desk
// asks for, so hours that are never open end the walk.
const maxScanDays = 36600

// open returns the instants of day d whose wall reading falls in the
// spans of w for d's kind, in order, adjacent pieces merged.
func (c *Calendar) open(w Week, d Date) []interval {
	spans := w.Of(c.Kind(d))
	if len(spans) == 0 {
		return nil
	}
	midnight := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	// UTC offsets lie within (-15h, +15h): every instant whose wall
	// reading is on day d lies in this window.
	lo, hi := midnight.Add(-15*time.Hour), midnight.Add(39*time.Hour)
	var out []interval
	for a := lo; a.Before(hi); {
		_, off := a.In(c.zone).Zone()
		_, end := a.In(c.zone).ZoneBounds()
		b := hi
		if !end.IsZero() && end.Before(hi) {
			b = end
		}
		shift := time.Duration(off) * time.Second
		for _, s := range spans {
			f, t := midnight.Add(s.Start-shift), midnight.Add(s.End-shift)
			if f.Before(a) {
				f = a
			}
			if t.After(b) {
				t = b
			}
			if f.Before(t) {
				out = append(out, interval{f, t})
			}
		}
		if !b.After(a) { // no progress: a zone without transitions ends the walk
			break
		}
		a = b
	}
	slices.SortFunc(out, func(x, y interval) int { return x.from.Compare(y.from) })
	merged := out[:0]
	for _, iv := range out {
		if n := len(merged); n > 0 && !iv.from.After(merged[n-1].to) {
			if iv.to.After(merged[n-1].to) {
				merged[n-1].to = iv.to
			}
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

// Add returns the instant at which d of business time (the opening
// Hours) has passed after from: time outside the hours, on closed days
// and in a skipped clock hour does not count. For d == 0 it is the first
// open instant at or after from (the clock of a request that arrives
// while the desk is closed starts at the next opening); a negative d is
// plain wall-clock time. It implements ticket.Calendar.
func (c *Calendar) Add(from time.Time, d time.Duration) time.Time {
	if d < 0 {
		return from.Add(d)
	}
	day := DateOf(from, c.zone).AddDays(-1)
	for range maxScanDays {
		for _, iv := range c.open(c.hours, day) {
			if !iv.to.After(from) {
				continue
			}
			start := iv.from
			if start.Before(from) {
				start = from
			}
			if d == 0 {
				return start.In(c.zone)
			}
			if left := iv.to.Sub(start); d <= left {
				return start.Add(d).In(c.zone)
			} else {
				d -= left
			}
		}
		day = day.AddDays(1)
	}
	return from.Add(d) // a century without enough open time: not a desk
}

// Next returns the earliest instant at or after t within the contact
// hours (Contact, else Hours), or the zero time when there is none
// within a year. It implements followup.Calendar.
func (c *Calendar) Next(t time.Time) time.Time {
	day := DateOf(t, c.zone).AddDays(-1)
	for range 368 {
		for _, iv := range c.open(c.contact, day) {
			if iv.to.After(t) {
				if iv.from.After(t) {
					return iv.from.In(c.zone)
				}
				return t.In(c.zone)
			}
		}
		day = day.AddDays(1)
	}
	return time.Time{}
}

// Between returns the business time (opening Hours) from a to b, zero
// when b is not after a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	var sum time.Duration
	for day := DateOf(a, c.zone).AddDays(-1); !DateOf(b, c.zone).AddDays(1).Before(day); day = day.AddDays(1) {
		for _, iv := range c.open(c.hours, day) {
			f, t := iv.from, iv.to
			if f.Before(a) {
				f = a
			}
			if t.After(b) {
				t = b
			}
			if f.Before(t) {
				sum += t.Sub(f)
			}
		}
	}
	return sum
}
