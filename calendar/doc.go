// Package calendar is a desk's one calendar: its time zone, its hours by
// kind of day, its public holidays and the weekend days made working
// days to pay for them (调休), and its named days. One *Calendar value
// satisfies the small calendar interface of every package of the
// library, so a desk builds it once and passes it everywhere:
//
//   - ticket.Policy.Calendar: deadlines in business hours (T5, T7),
//   - followup.DeriverConfig.Calendar and QueueConfig.Calendar: contact
//     hours and the next contact time (F rules: nobody is called at
//     23:30 or on 春节),
//   - roster.Spec.Calendar and roster.ServiceHours.Calendar: workdays,
//     rest days and holidays for fair rotations and coverage (R1, R3, R7);
//     roster.ServiceHoursOf turns its hours into the coverage requirement,
//   - phrasebook.GreetingPolicy.Holidays: 新年快乐 at 春节, 节日快乐 on the
//     other holidays (P1), in the desk's zone.
//
// A calendar has a zone or it is not built (ErrNoZone): hours are wall
// clock times of the desk, never a silent UTC.
//
// # Business hours
//
// An instant is in the hours when its wall-clock reading in the desk's
// zone falls in a span of its day's kind (Workday, RestDay, Holiday; a
// make-up workday is a Workday). Business time is the real time that
// passes inside the hours: the hour skipped when clocks spring forward
// counts for nothing, and an hour repeated when they fall back counts
// twice if it is open. Add, Next and Between follow this rule; the tests
// check them against a minute-by-minute reference across weekends,
// holidays, make-up days and clock changes.
//
// # The official China schedule
//
// China returns the arrangements published every year by the General
// Office of the State Council (国务院办公厅关于部分节假日安排的通知), shipped
// as data (data/cn.json; covered years: 2004–2026): Years says which.
// The schedule refuses to guess: a year it does not hold is ErrNotCovered
// from Lookup, Blocks and Calendar.KindOf. When the next year's
// arrangement is published, load it (LoadJSON, or LoadICal for a
// published iCalendar feed) and Merge it into China(). The tests check
// every arrangement against its notice's text and every covered day
// against two independent datasets (the npm packages chinese-days and
// holiday-calendar).
//
// Calendar.Kind, Add, Next and Holiday serve interfaces that cannot
// return an error: on a year the schedule does not cover they know only
// the weekend. A desk checks Covers (or KindOf) for the period it plans.
package calendar
