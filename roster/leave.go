package roster

import (
	"fmt"
	"time"

	"github.com/google/uuid"
)

// AwayKind says why a rostered person is not answering.
type AwayKind uint8

const (
	// OnLeave: approved leave; the person keeps their assignments on paper
	// but is not on duty. Handing their open tickets and follow-ups over
	// (T15) is done through the ticket and followup packages.
	OnLeave AwayKind = iota
	// Offline: marked offline during a shift (R5 asks staff to stay online
	// all shift); open-ended until they are marked back online.
	Offline
)

func (k AwayKind) String() string {
	switch k {
	case OnLeave:
		return "on leave"
	case Offline:
		return "offline"
	}
	return fmt.Sprintf("AwayKind(%d)", uint8(k))
}

// Away is a period in which a person is not available: leave or offline.
// A zero Until means open-ended (still away). Version is the optimistic
// concurrency version kept by the Store (0 before the first save).
type Away struct {
	ID      uuid.UUID
	Desk    string
	Agent   string
	Kind    AwayKind
	From    time.Time
	Until   time.Time // zero: until further notice
	Note    string
	Version int64
}

// Open reports whether the period has no end yet.
func (a Away) Open() bool { return a.Until.IsZero() }

// At reports whether the person is away at instant t.
func (a Away) At(t time.Time) bool {
	return !t.Before(a.From) && (a.Open() || t.Before(a.Until))
}

// Overlaps reports whether the period meets [start, end).
func (a Away) Overlaps(start, end time.Time) bool {
	return a.From.Before(end) && (a.Open() || start.Before(a.Until))
}

// Validate checks the record before it is stored.
func (a Away) Validate() error {
	switch {
	case a.ID == uuid.Nil:
		return invalid("away.id", "nil uuid")
	case a.Desk == "":
		return invalid("away.desk", "empty desk for away %s", a.ID)
	case a.Agent == "":
		return invalid("away.agent", "empty agent for away %s", a.ID)
	case a.Kind > Offline:
		return invalid("away.kind", "unknown kind %d for away %s", a.Kind, a.ID)
	case a.From.IsZero():
		return invalid("away.from", "zero start for away %s", a.ID)
	case !a.Open() && !a.Until.After(a.From):
		return invalid("away.until", "away %s ends at or before it starts", a.ID)
	}
	return storeBounds.away(&a)
}

// awayIndex answers "is agent away at t / during [s, e)" quickly.
type awayIndex map[string][]Away

func indexAway(aw []Away) awayIndex {
	idx := awayIndex{}
	for _, a := range aw {
		idx[a.Agent] = append(idx[a.Agent], a)
	}
	return idx
}

func (x awayIndex) at(agent string, t time.Time) bool {
	for _, a := range x[agent] {
		if a.At(t) {
			return true
		}
	}
	return false
}

// present cuts [s, e) by the agent's away periods and calls fn for each
// piece in which they are present.
func (x awayIndex) present(agent string, s, e time.Time, fn func(s, e time.Time)) {
	list := x[agent]
	if len(list) == 0 {
		fn(s, e)
		return
	}
	pieces := [][2]time.Time{{s, e}}
	for _, a := range list {
		if !a.Overlaps(s, e) {
			continue
		}
		var next [][2]time.Time
		for _, p := range pieces {
			if !a.Overlaps(p[0], p[1]) {
				next = append(next, p)
				continue
			}
			if p[0].Before(a.From) {
				next = append(next, [2]time.Time{p[0], a.From})
			}
			if !a.Open() && a.Until.Before(p[1]) {
				next = append(next, [2]time.Time{a.Until, p[1]})
			}
		}
		pieces = next
	}
	for _, p := range pieces {
		fn(p[0], p[1])
	}
}
