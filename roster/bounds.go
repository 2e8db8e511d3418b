package roster

import (
	"math"
	"strings"
	"unicode/utf8"
)

// Bounds are the longest texts a Service accepts. They are checked at the
// service boundary, before anything is written, so every store (memory,
// SQLite, PostgreSQL) accepts and refuses the same input: a text out of
// bounds is an *InputError naming the field (ErrInvalid).
//
// Every text (desk, agent, shift name, reason, note, evidence, forwarding
// target, person names) must also be valid UTF-8 without NUL characters,
// whatever the bounds: PostgreSQL cannot store them, so no store accepts
// them. The records' Validate methods, which every Store calls before a
// write, check that rule; lengths are the service's policy.
//
// Bounds are configuration defaults, not constants: a zero field means
// the default of DefaultBounds.
type Bounds struct {
	// Name is the most characters (runes) of an identifier or short
	// label: desk, agent or person, shift name, evidence kind, duty
	// forwarding target. Default 200.
	Name int
	// Text is the most characters of free text: a swap reason, an away
	// note, an evidence reference. Default 4000.
	Text int
}

// DefaultBounds returns the defaults a zero Bounds field stands for.
func DefaultBounds() Bounds { return Bounds{Name: 200, Text: 4000} }

// withDefaults fills the zero fields; a negative bound is refused.
func (b Bounds) withDefaults() (Bounds, error) {
	if b.Name < 0 || b.Text < 0 {
		return b, invalid("config.bounds", "a bound below zero: %+v", b)
	}
	d := DefaultBounds()
	if b.Name == 0 {
		b.Name = d.Name
	}
	if b.Text == 0 {
		b.Text = d.Text
	}
	return b, nil
}

// storeBounds are what every store refuses: text it cannot hold alike.
// Lengths are the service's policy, not the store's.
var storeBounds = Bounds{Name: math.MaxInt, Text: math.MaxInt}

// text checks v against the encoding rule and a length bound.
func text(field, v string, most int) error {
	if !utf8.ValidString(v) {
		return invalid(field, "not valid UTF-8")
	}
	if i := strings.IndexByte(v, 0); i >= 0 {
		return invalid(field, "contains a NUL character at byte %d", i)
	}
	if len(v) > most { // runes never outnumber bytes
		if n := utf8.RuneCountInString(v); n > most {
			return invalid(field, "%d characters, at most %d (Config.Bounds)", n, most)
		}
	}
	return nil
}

func (b *Bounds) name(field, v string) error { return text(field, v, b.Name) }
func (b *Bounds) note(field, v string) error { return text(field, v, b.Text) }

// all returns the first error of checks, or nil.
func all(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *Bounds) assignment(a *Assignment) error {
	return all(b.name("assignment.desk", a.Desk), b.name("assignment.agent", a.Agent),
		b.name("assignment.shift", a.Shift))
}

func (b *Bounds) swap(s *Swap) error {
	return all(b.name("swap.desk", s.Desk), b.name("swap.from", s.From), b.name("swap.to", s.To),
		b.note("swap.reason", s.Reason), b.name("swap.evidence.kind", s.Evidence.Kind),
		b.note("swap.evidence.ref", s.Evidence.Ref), b.name("swap.approved_by", s.ApprovedBy),
		b.name("swap.declined_by", s.DeclinedBy))
}

func (b *Bounds) away(a *Away) error {
	return all(b.name("away.desk", a.Desk), b.name("away.agent", a.Agent), b.note("away.note", a.Note))
}

func (b *Bounds) duty(d *Duty) error {
	return all(b.name("duty.desk", d.Desk), b.name("duty.agent", d.Agent), b.name("duty.forward_to", d.ForwardTo))
}

func (b *Bounds) shift(s *Shift) error { return b.name("shift.name", s.Name) }

// desk checks the desk a call names, reads included.
func (b *Bounds) desk(desk string) error {
	if desk == "" {
		return invalid("desk", "empty desk")
	}
	return b.name("desk", desk)
}

// CheckText reports a text that no roster store can hold alike: invalid
// UTF-8 or a NUL character, as an *InputError naming field. A store
// adapter may use it for the desk of a read; the Service already checks
// the desk of every call before its store sees it.
func CheckText(field, v string) error { return text(field, v, math.MaxInt) }
