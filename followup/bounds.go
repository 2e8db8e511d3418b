package followup

import (
	"errors"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/servicedesk-go/desk/ticket"
)

// Bounds are the largest inputs a queue or deriver accepts. They are
// checked before anything is written, so every store (memory, SQLite,
// PostgreSQL) accepts and refuses the same input: a value out of bounds
// is an *InputError naming the field (ErrInvalid). Every text must also
// be valid UTF-8 without NUL characters, which no bound changes:
// PostgreSQL cannot store them, so no store accepts them.
//
// Bounds are defaults of the desk's configuration, not constants: a zero
// field means the default of DefaultBounds.
type Bounds struct {
	// Text is the most characters (runes) of an outcome note, a cancel
	// or release reason. Default 4000.
	Text int
	// Name is the most characters of an identifier or short label: a
	// worker, actor, role, desk, consumer, trigger key, subject,
	// category, grade, signature reference, filter value, trigger data
	// key or value. Default 200.
	Name int
	// MaxYear is the latest year of a trigger's time and of filter
	// times. Default 9999: RFC 3339 and JSON have four-digit years, and a
	// later time could not be stored. Years before 1 are refused too.
	MaxYear int
}

// DefaultBounds returns the defaults a zero Bounds field stands for.
func DefaultBounds() Bounds { return Bounds{Text: 4000, Name: 200, MaxYear: 9999} }

func (b Bounds) withDefaults() (Bounds, error) {
	d := DefaultBounds()
	if b.Text == 0 {
		b.Text = d.Text
	}
	if b.Name == 0 {
		b.Name = d.Name
	}
	if b.MaxYear == 0 {
		b.MaxYear = d.MaxYear
	}
	if b.Text < 0 || b.Name < 0 || b.MaxYear < 1 || b.MaxYear > 9999 {
		return b, invalid("bounds", "%+v: lengths cannot be negative and MaxYear lies in 1 to 9999", b)
	}
	return b, nil
}

// text checks encoding and length; the reason comes from package ticket
// so that both packages word it alike.
func text(field, v string, most int) error {
	if err := ticket.CheckText(field, v); err != nil {
		var ie *ticket.InputError
		reason := err.Error()
		if errors.As(err, &ie) {
			reason = ie.Reason
		}
		return invalid(field, "%s", reason)
	}
	if len(v) > most {
		if n := utf8.RuneCountInString(v); n > most {
			return invalid(field, "%d characters, at most %d (Bounds)", n, most)
		}
	}
	return nil
}

func (b *Bounds) name(field, v string) error { return text(field, v, b.Name) }
func (b *Bounds) note(field, v string) error { return text(field, v, b.Text) }

func (b *Bounds) when(field string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if y := t.Year(); y < 1 || y > b.MaxYear {
		return invalid(field, "year %d is outside 1 to %d (Bounds)", y, b.MaxYear)
	}
	return nil
}

func (b *Bounds) actor(field string, a ticket.Actor) error {
	if err := b.name(field, a.ID); err != nil {
		return err
	}
	return b.name(field+" role", string(a.Role))
}

// outcome checks an outcome's texts.
func (b *Bounds) outcome(o *Outcome) error {
	if err := b.actor("outcome actor", o.By); err != nil {
		return err
	}
	if err := b.note("note", o.Note); err != nil {
		return err
	}
	for _, x := range []struct{ name, v string }{{"grade", o.Grade}, {"signature", o.SignedBy}, {"outcome channel", string(o.Channel)}, {"result", string(o.Result)}} {
		if err := b.name(x.name, x.v); err != nil {
			return err
		}
	}
	for _, c := range o.Checked {
		if err := b.name("checklist", string(c)); err != nil {
			return err
		}
	}
	return nil
}

// trigger checks a trigger's texts and time.
func (b *Bounds) trigger(tr *Trigger) error {
	for _, x := range []struct{ name, v string }{{"trigger desk", tr.Desk}, {"trigger key", tr.Key}, {"trigger subject", tr.Subject},
		{"trigger category", tr.Category}, {"trigger kind", string(tr.Kind)}, {"trigger ticket kind", string(tr.TicketKind)}} {
		if err := b.name(x.name, x.v); err != nil {
			return err
		}
	}
	for k, v := range tr.Data {
		if err := b.name("trigger data", k); err != nil {
			return err
		}
		if err := b.note(fmt.Sprintf("trigger data %q", k), v); err != nil {
			return err
		}
	}
	return b.when("trigger time", tr.At)
}

// filter checks a list filter's texts and times.
func (b *Bounds) filter(f *Filter) error {
	for _, x := range []struct{ name, v string }{{"filter rule", f.Rule}, {"filter role", string(f.Role)}, {"filter subject", f.Subject}, {"filter owner", f.Owner}} {
		if err := b.name(x.name, x.v); err != nil {
			return err
		}
	}
	for _, s := range f.Statuses {
		if err := b.name("filter status", string(s)); err != nil {
			return err
		}
	}
	for _, x := range []struct {
		name string
		t    time.Time
	}{{"filter due from", f.DueFrom}, {"filter due before", f.DueBefore}, {"filter closed from", f.ClosedFrom}, {"filter closed before", f.ClosedBefore}} {
		if err := b.when(x.name, x.t); err != nil {
			return err
		}
	}
	if f.Limit < 0 {
		return invalid("filter limit", "%d is below zero", f.Limit)
	}
	if f.After != nil {
		if err := b.when("filter after", f.After.Due); err != nil {
			return err
		}
	}
	return nil
}

// storeBounds are what a store itself refuses: text it cannot hold alike
// and years it cannot encode.
var storeBounds = Bounds{Text: math.MaxInt, Name: math.MaxInt, MaxYear: 9999}

// checkStored checks a task a store is asked to write.
func checkStored(t *Task) error {
	b := &storeBounds
	for _, x := range []struct{ name, v string }{{"task desk", t.Desk}, {"task rule", t.Rule}, {"task cites", t.Cites}, {"task key", t.Key},
		{"task subject", t.Subject}, {"task category", t.Category}, {"task role", string(t.Role)}, {"task trigger", string(t.Trigger)},
		{"task ticket kind", string(t.TicketKind)}, {"task channel", string(t.Channel)}, {"lease owner", t.Lease.Owner}} {
		if err := b.name(x.name, x.v); err != nil {
			return err
		}
	}
	for _, c := range t.Checklist {
		if err := b.name("task checklist", string(c)); err != nil {
			return err
		}
	}
	if t.Outcome != nil {
		if err := b.outcome(t.Outcome); err != nil {
			return err
		}
	}
	for _, x := range []struct {
		name string
		t    time.Time
	}{{"triggered", t.TriggeredAt}, {"not before", t.NotBefore}, {"due", t.Due}, {"created", t.CreatedAt}, {"updated", t.UpdatedAt}, {"closed", t.ClosedAt}, {"lease expiry", t.Lease.Expires}} {
		if err := b.when("task "+x.name, x.t); err != nil {
			return err
		}
	}
	return nil
}

// checkTask reports a task a Store must refuse to write (Create, Update,
// Complete): text no store can hold alike (invalid UTF-8, NUL) or a time
// beyond year 9999. The SQL adapters call it (as
// store/sqlstore.CheckTask) so that they refuse exactly what MemStore
// refuses.
func checkTask(t *Task) error {
	if t == nil {
		return invalid("task", "nil task")
	}
	return checkStored(t)
}
