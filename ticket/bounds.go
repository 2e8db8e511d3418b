package ticket

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds are the largest inputs a desk accepts. They are checked at the
// service boundary, before anything is written, so every store (memory,
// SQLite, PostgreSQL) accepts and refuses the same input: a value out of
// bounds is an *InputError naming the field (ErrInvalid). Every text
// must also be valid UTF-8 without NUL characters, which no bound
// changes: PostgreSQL cannot store them, so no store accepts them.
//
// Bounds are policy defaults, not constants: a zero field means the
// default of DefaultBounds.
type Bounds struct {
	// Levels is the highest escalation level (T6): Escalate and the
	// severity policy may not go above it. Default 3 (LevelHeadquarter).
	Levels int
	// Text is the most characters (runes) of a note, summary, reason or
	// other free text. Default 4000.
	Text int
	// Name is the most characters of an identifier or short label: an
	// actor, assignee, department, desk, customer ID, category,
	// complaint class, field or attribute name, consumer, attachment
	// name. Default 200.
	Name int
	// Value is the most characters of one intake field, attribute or
	// customer value, and of an attachment URI. Default 2000.
	Value int
	// Fields is the most intake fields, attributes and attachments a
	// ticket may hold (each), and of missing fields. An imported ticket
	// may carry this many deadlines plus three per event of its history
	// (a ticket reopened often gains a clock per lap). Default 64.
	Fields int
	// Links is the most cases linked from one case (T17). Default 256.
	Links int
	// MaxYear is the latest year of any time given (appointments, reply
	// times, deadlines, attribute times). Default 9999: RFC 3339 and
	// JSON have four-digit years, and a later time could not be stored
	// or published. Times before year 1 are refused too.
	MaxYear int
}

// DefaultBounds returns the defaults a zero Bounds field stands for.
func DefaultBounds() Bounds {
	return Bounds{Levels: LevelHeadquarter, Text: 4000, Name: 200, Value: 2000, Fields: 64, Links: 256, MaxYear: 9999}
}

// withDefaults fills the zero fields.
func (b Bounds) withDefaults() Bounds {
	d := DefaultBounds()
	fill := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&b.Levels, d.Levels)
	fill(&b.Text, d.Text)
	fill(&b.Name, d.Name)
	fill(&b.Value, d.Value)
	fill(&b.Fields, d.Fields)
	fill(&b.Links, d.Links)
	fill(&b.MaxYear, d.MaxYear)
	return b
}

// check reports bounds that cannot work.
func (b Bounds) check() error {
	if b.Levels < 0 || b.Text < 0 || b.Name < 0 || b.Value < 0 || b.Fields < 0 || b.Links < 0 {
		return invalid("policy bounds", "a bound below zero: %+v", b)
	}
	if b.MaxYear < 1 || b.MaxYear > 9999 {
		return invalid("policy bounds", "MaxYear %d: times are encoded with four-digit years (1 to 9999)", b.MaxYear)
	}
	return nil
}

// CheckText reports a text that no store can hold alike: invalid UTF-8
// or a NUL character. field names the input in the error. Other packages
// use it so that they refuse exactly what the service refuses.
func CheckText(field, v string) error { return text(field, v, math.MaxInt) }

// text checks a text against the encoding rule and a length bound.
func text(field, v string, most int) error {
	if why := badText(v, most); why != "" {
		return invalid(field, "%s", why)
	}
	return nil
}

// badText says why v breaks the encoding rule or the bound, or "". It
// allocates nothing for a good text, so stores can call it per write.
func badText(v string, most int) string {
	if !utf8.ValidString(v) {
		return "not valid UTF-8"
	}
	if i := strings.IndexByte(v, 0); i >= 0 {
		return fmt.Sprintf("contains a NUL character at byte %d", i)
	}
	if len(v) > most { // runes never outnumber bytes
		if n := utf8.RuneCountInString(v); n > most {
			return fmt.Sprintf("%d characters, at most %d (Policy.Bounds)", n, most)
		}
	}
	return ""
}

func (b *Bounds) name(field, v string) error { return text(field, v, b.Name) }
func (b *Bounds) note(field, v string) error { return text(field, v, b.Text) }
func (b *Bounds) value(field, v string) error {
	return text(field, v, b.Value)
}

// when checks a time against the year bound; the zero time means none.
func (b *Bounds) when(field string, t time.Time) error {
	if b.inYears(t) {
		return nil
	}
	return invalid(field, "year %d is outside 1 to %d (Policy.Bounds)", t.Year(), b.MaxYear)
}

// inYears reports whether t is the zero time or within the year bound:
// when without an error's field name, for checks that name the field
// only when it is wrong.
func (b *Bounds) inYears(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	y := t.Year()
	return y >= 1 && y <= b.MaxYear
}

// actor checks the actor of a call: an ID and a role, both short texts.
func (b *Bounds) actor(by Actor) error {
	if err := checkActor(by); err != nil {
		return err
	}
	if err := b.name("actor", by.ID); err != nil {
		return err
	}
	return b.name("actor role", string(by.Role))
}

// fields checks a map of intake fields or attributes.
func (b *Bounds) fields(what string, m map[string]string) error {
	if len(m) > b.Fields {
		return invalid(what, "%d entries, at most %d (Policy.Bounds)", len(m), b.Fields)
	}
	for k, v := range m {
		if why := badText(k, b.Name); why != "" {
			return invalid(what+" name", "%s", why)
		}
		if why := badText(v, b.Value); why != "" {
			return invalid(fmt.Sprintf("%s %q", what, k), "%s", why)
		}
	}
	return nil
}

// customer checks a customer record's texts.
func (b *Bounds) customer(c *Customer) error {
	if c == nil {
		return nil
	}
	if err := b.name("customer", c.ID); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"customer name", c.Name}, {"customer phone", c.Phone}, {"customer address", c.Address}, {"customer grade", c.Grade}} {
		if err := b.value(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// attachment checks an attachment's texts.
func (b *Bounds) attachment(a *Attachment) error {
	if err := b.name("attachment name", a.Name); err != nil {
		return err
	}
	if err := b.value("attachment uri", a.URI); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"attachment content type", a.ContentType}, {"attachment kind", a.Kind}, {"attachment sha256", a.SHA256}} {
		if err := b.name(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// intake checks every text, count and time of an intake.
func (b *Bounds) intake(in *Intake) error {
	if err := b.name("kind", string(in.Kind)); err != nil {
		return err
	}
	if err := b.name("category", in.Category); err != nil {
		return err
	}
	if err := b.name("channel", string(in.Channel)); err != nil {
		return err
	}
	if err := b.note("note", in.Note); err != nil {
		return err
	}
	if err := b.value("subject", in.Subject); err != nil {
		return err
	}
	if err := b.note("description", in.Description); err != nil {
		return err
	}
	if err := b.name("priority", string(in.Priority)); err != nil {
		return err
	}
	if err := b.tags("tag", in.Tags); err != nil {
		return err
	}
	if err := b.fields("field", in.Fields); err != nil {
		return err
	}
	if err := b.fields("attribute", in.Attrs); err != nil {
		return err
	}
	if in.Complaint != nil {
		if err := b.name("complaint class", in.Complaint.Class); err != nil {
			return err
		}
		if err := b.name("severity", string(in.Complaint.Severity)); err != nil {
			return err
		}
	}
	if err := b.customer(in.Customer); err != nil {
		return err
	}
	if len(in.Attachments) > b.Fields {
		return invalid("attachments", "%d attachments, at most %d (Policy.Bounds)", len(in.Attachments), b.Fields)
	}
	for i := range in.Attachments {
		if err := b.attachment(&in.Attachments[i]); err != nil {
			return err
		}
	}
	return nil
}

// filter checks the texts and times of a list filter.
func (b *Bounds) filter(f *Filter) error {
	for _, x := range []struct{ name, v string }{{"filter owner", f.Owner}, {"filter assignee", f.Assignee}, {"filter department", f.Department}, {"filter customer", f.Customer}} {
		if err := b.name(x.name, x.v); err != nil {
			return err
		}
	}
	for _, c := range f.Classes {
		if err := b.name("filter class", c); err != nil {
			return err
		}
	}
	for _, s := range f.States {
		if err := b.name("filter state", string(s)); err != nil {
			return err
		}
	}
	for _, k := range f.Kinds {
		if err := b.name("filter kind", string(k)); err != nil {
			return err
		}
	}
	for _, s := range f.Severities {
		if err := b.name("filter severity", string(s)); err != nil {
			return err
		}
	}
	for _, p := range f.Priorities {
		if err := b.name("filter priority", string(p)); err != nil {
			return err
		}
	}
	if err := b.tags("filter tag", f.Tags); err != nil {
		return err
	}
	for _, x := range []struct {
		name string
		t    time.Time
	}{{"filter due before", f.DueBefore}, {"filter received from", f.ReceivedFrom}, {"filter received before", f.ReceivedBefore}, {"filter updated from", f.UpdatedFrom}, {"filter updated before", f.UpdatedBefore}} {
		if err := b.when(x.name, x.t); err != nil {
			return err
		}
	}
	if f.Limit < 0 {
		return invalid("filter limit", "%d is below zero", f.Limit)
	}
	if f.Order < ByNumber || f.Order > ByDue {
		return invalid("filter order", "%d is not one of the orders", f.Order)
	}
	return nil
}

// clocksPerEvent is the most deadlines one action opens: a receipt
// opens the dispatch clock and the two SLA clocks, any other action one
// at most.
const clocksPerEvent = 3

// record checks every text and time of an imported ticket and history.
func (b *Bounds) record(rec Record) error {
	t := rec.Ticket
	in := Intake{Kind: t.Kind, Category: t.Category, Channel: t.Channel, Fields: t.Fields,
		Complaint: t.Complaint, Customer: t.Customer, Attrs: t.Attrs, Attachments: t.Attachments,
		Subject: t.Subject, Description: t.Description, Priority: t.Priority, Tags: t.Tags}
	if err := b.intake(&in); err != nil {
		return err
	}
	for _, x := range []struct{ name, v string }{{"desk", t.Desk}, {"owner", t.Owner}, {"assignee", t.Assignee}, {"department", t.Department}, {"state", string(t.State)}} {
		if err := b.name(x.name, x.v); err != nil {
			return err
		}
	}
	for _, x := range []struct{ name, v string }{{"cancel note", t.CancelNote}, {"escalation reason", t.Escalation.Reason}, {"revisit reason", t.Revisit.Reason}} {
		if err := b.note(x.name, x.v); err != nil {
			return err
		}
	}
	if t.Escalation.Level < 0 || t.Escalation.Level > b.Levels {
		return invalid("escalation level", "%d is outside 0 to %d (Policy.Bounds)", t.Escalation.Level, b.Levels)
	}
	if t.Resolution != nil {
		if err := b.note("resolution", t.Resolution.Summary); err != nil {
			return err
		}
		if err := b.name("resolver", t.Resolution.Resolver); err != nil {
			return err
		}
		if err := b.when("resolution time", t.Resolution.At); err != nil {
			return err
		}
	}
	if len(t.Links) > b.Links {
		return invalid("links", "%d linked cases, at most %d (Policy.Bounds)", len(t.Links), b.Links)
	}
	if len(t.Missing) > b.Fields {
		return invalid("missing fields", "%d, at most %d (Policy.Bounds)", len(t.Missing), b.Fields)
	}
	// A live ticket gains a clock per lap (a reopened ticket's new
	// deadlines), so what an export carries grows with its history: as
	// many as Fields, and as many more as the history's events could
	// have opened.
	if len(t.Deadlines)-clocksPerEvent*len(rec.History) > b.Fields {
		return invalid("deadlines", "%d with a history of %d events, at most %d plus %d per event (Policy.Bounds)",
			len(t.Deadlines), len(rec.History), b.Fields, clocksPerEvent)
	}
	for _, m := range t.Missing {
		if err := b.name("missing field", m); err != nil {
			return err
		}
	}
	for _, d := range t.Deadlines {
		if err := b.name("deadline", string(d.Name)); err != nil {
			return err
		}
		for _, x := range []time.Time{d.Start, d.Due, d.Done, d.Paused} {
			if !b.inYears(x) {
				return b.when("deadline "+string(d.Name), x)
			}
		}
	}
	for _, x := range []struct {
		name string
		t    time.Time
	}{{"received", t.ReceivedAt}, {"updated", t.UpdatedAt}, {"answered", t.AnsweredAt}, {"closed", t.ClosedAt}, {"reply time", t.ReplyBy}, {"appointment", t.Appointment}, {"pending", t.Pending}} {
		if err := b.when(x.name, x.t); err != nil {
			return err
		}
	}
	for i, e := range rec.History {
		if err := b.event(fmt.Sprintf("history event %d", i+1), &e); err != nil {
			return err
		}
	}
	return nil
}

// event checks every text and time of an imported event.
func (b *Bounds) event(where string, e *Event) error {
	// The field's name is put together only for an error: stores check
	// every event they write.
	for _, x := range []struct{ name, v string }{{"desk", e.Desk}, {"action", string(e.Action)}, {"actor", e.Actor}, {"role", string(e.Role)}, {"from", string(e.From)}, {"to", string(e.To)}, {"kind", string(e.Kind)}, {"category", e.Category}} {
		if why := badText(x.v, b.Name); why != "" {
			return invalid(where+" "+x.name, "%s", why)
		}
	}
	if why := badText(e.Note, b.Text); why != "" {
		return invalid(where+" note", "%s", why)
	}
	if len(e.Data) > 0 {
		if err := b.fields(where+" data", e.Data); err != nil {
			return err
		}
	}
	if !b.inYears(e.At) {
		return b.when(where+" time", e.At)
	}
	return nil
}

// storeBounds are what a store itself must refuse: text it cannot hold
// alike (invalid UTF-8, NUL) and years it cannot encode. Lengths and
// counts are the service's policy, not the store's.
var storeBounds = Bounds{Levels: math.MaxInt, Text: math.MaxInt, Name: math.MaxInt, Value: math.MaxInt,
	Fields: math.MaxInt, Links: math.MaxInt, MaxYear: 9999}

// checkStored checks a ticket and events that a store is asked to
// write against storeBounds.
func checkStored(t *Ticket, events []Event) error {
	if err := storeBounds.record(Record{Ticket: t}); err != nil {
		return err
	}
	for i := range events {
		if err := storeBounds.event("event", &events[i]); err != nil {
			return err
		}
	}
	return nil
}
