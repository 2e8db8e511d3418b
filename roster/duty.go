package roster

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DutyKind is one of the duty covers of R7.
type DutyKind uint8

const (
	// HolidayDuty: staff on duty on a public holiday.
	HolidayDuty DutyKind = iota + 1
	// NoonDuty: cover over the lunch break.
	NoonDuty
	// NightDuty: cover at night, when needed.
	NightDuty
)

// String returns the duty's name for people ("holiday duty").
func (k DutyKind) String() string {
	switch k {
	case HolidayDuty:
		return "holiday duty"
	case NoonDuty:
		return "noon duty"
	case NightDuty:
		return "night duty"
	}
	return fmt.Sprintf("DutyKind(%d)", uint8(k))
}

// Duty is a duty cover (R7): someone holds the post and the duty phone for
// a period. Duty staff do not leave their post; when they must, the duty
// phone is forwarded, so ForwardTo (a number or a person) is required.
// Duty counts as coverage while the holder is present.
type Duty struct {
	ID         uuid.UUID
	Desk       string
	Agent      string
	Kind       DutyKind
	Start, End time.Time
	Where      Place
	ForwardTo  string
}

// Validate checks the record before it is stored.
func (d Duty) Validate() error {
	switch {
	case d.ID == uuid.Nil:
		return invalid("duty.id", "nil uuid")
	case d.Desk == "":
		return invalid("duty.desk", "empty desk for duty %s", d.ID)
	case d.Agent == "":
		return invalid("duty.agent", "empty agent for duty %s", d.ID)
	case d.Kind < HolidayDuty || d.Kind > NightDuty:
		return invalid("duty.kind", "unknown kind %d for duty %s", d.Kind, d.ID)
	case !d.End.After(d.Start):
		return invalid("duty.end", "duty %s ends at or before it starts", d.ID)
	case strings.TrimSpace(d.ForwardTo) == "":
		return invalid("duty.forward_to", "duty %s has no forwarding target for the duty phone (R7)", d.ID)
	case d.Where > Remote:
		return invalid("duty.where", "unknown place %d for duty %s", d.Where, d.ID)
	}
	return storeBounds.duty(&d)
}

// OnDuty is one person working at an instant.
type OnDuty struct {
	Agent      string
	Shift      string // shift name, or the duty kind's name for a Duty
	Where      Place
	Start, End time.Time
	Assignment uuid.UUID // the assignment, or uuid.Nil for a Duty
	Duty       DutyKind  // 0 for a regular shift
	ForwardTo  string    // the duty phone's target, for a Duty
}

// OnDutyList is the answer of WhoIsOn, in a stable order: on-site people
// before remote ones, then by start of their shift (earliest first, the
// one who has been there longest), then by agent ID, then regular shifts
// before duty covers.
type OnDutyList []OnDuty

// Agents returns the distinct agent IDs in the list's order. The first is
// the natural first-contact owner or assignee for a request arriving now
// (T1, T4); nil means nobody is on duty (T19: the request stays unowned).
func (l OnDutyList) Agents() []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range l {
		if !seen[o.Agent] {
			seen[o.Agent] = true
			out = append(out, o.Agent)
		}
	}
	return out
}

// FirstAgent returns the ID of the list's first agent: the first-contact
// owner or assignee for a request arriving at that moment. ok is false
// when nobody is on duty.
func (l OnDutyList) FirstAgent() (agent string, ok bool) {
	if len(l) == 0 {
		return "", false
	}
	return l[0].Agent, true
}

// WhoIsOn lists who is working at instant t: assignments (with swaps
// already applied, see Apply) and duties whose period contains t, leaving
// out anyone on leave or offline at t (R5). The early report of R6 is not
// counted: an agent is on duty from the shift's start.
func WhoIsOn(t time.Time, as []Assignment, duties []Duty, away []Away) OnDutyList {
	idx := indexAway(away)
	var out OnDutyList
	for _, a := range as {
		if !t.Before(a.Start) && t.Before(a.End) && !idx.at(a.Agent, t) {
			out = append(out, OnDuty{Agent: a.Agent, Shift: a.Shift, Where: a.Where,
				Start: a.Start, End: a.End, Assignment: a.ID})
		}
	}
	for _, d := range duties {
		if !t.Before(d.Start) && t.Before(d.End) && !idx.at(d.Agent, t) {
			out = append(out, OnDuty{Agent: d.Agent, Shift: d.Kind.String(), Where: d.Where,
				Start: d.Start, End: d.End, Duty: d.Kind, ForwardTo: d.ForwardTo})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Where != b.Where {
			return a.Where < b.Where
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		if a.Agent != b.Agent {
			return a.Agent < b.Agent
		}
		return a.Duty < b.Duty
	})
	return out
}

// Forwarded lists the duty covers running at t whose holder is away, with
// the number the duty phone must be forwarded to (R7).
func Forwarded(t time.Time, duties []Duty, away []Away) []Duty {
	idx := indexAway(away)
	var out []Duty
	for _, d := range duties {
		if !t.Before(d.Start) && t.Before(d.End) && idx.at(d.Agent, t) {
			out = append(out, d)
		}
	}
	return out
}

// HolidaysWithoutDuty lists the holidays (per cal) among the days days
// from from on which no HolidayDuty cover starts in loc (R7:
// "安排落实节假日,中午值班人员").
func HolidaysWithoutDuty(cal Calendar, from Date, days int, duties []Duty, loc *time.Location) []Date {
	if loc == nil {
		loc = time.UTC
	}
	covered := map[Date]bool{}
	for _, d := range duties {
		if d.Kind == HolidayDuty {
			covered[DateOf(d.Start, loc)] = true
		}
	}
	var out []Date
	for i, d := 0, from; i < days; i, d = i+1, d.AddDays(1) {
		if cal.Kind(d) == Holiday && !covered[d] {
			out = append(out, d)
		}
	}
	return out
}
