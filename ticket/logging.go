package ticket

import (
	"fmt"
	"log/slog"
)

// The package logs nothing itself. Tickets, customers and events carry
// personal data (S1), so when a caller logs them through log/slog or fmt
// they show only what identifies the record, never names, phones,
// addresses, fields or notes.

// LogValue implements slog.LogValuer.
func (c *Customer) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("none")
	}
	return slog.GroupValue(slog.String("id", c.ID), slog.Bool("erased", c.Erased))
}

// String implements fmt.Stringer without personal data.
func (c *Customer) String() string {
	if c == nil {
		return "customer <none>"
	}
	return "customer " + c.ID
}

// LogValue implements slog.LogValuer.
func (t *Ticket) LogValue() slog.Value {
	if t == nil {
		return slog.StringValue("none")
	}
	attrs := []slog.Attr{
		slog.String("id", t.ID.String()), slog.String("desk", t.Desk), slog.Int64("number", t.Number),
		slog.Int64("version", t.Version), slog.String("kind", string(t.Kind)), slog.String("state", string(t.State)),
	}
	if t.Customer != nil {
		attrs = append(attrs, slog.String("customer", t.Customer.ID))
	}
	return slog.GroupValue(attrs...)
}

// String implements fmt.Stringer without personal data.
func (t *Ticket) String() string {
	if t == nil {
		return "ticket <nil>"
	}
	return fmt.Sprintf("ticket %s (desk %s, case %d, %s %s, v%d)", t.ID, t.Desk, t.Number, t.Kind, t.State, t.Version)
}

// LogValue implements slog.LogValuer: the event without its note and
// data.
func (e Event) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", e.ID.String()), slog.String("desk", e.Desk), slog.String("ticket", e.Ticket.String()),
		slog.Int64("seq", e.Seq), slog.String("action", string(e.Action)), slog.String("actor", e.Actor),
		slog.String("from", string(e.From)), slog.String("to", string(e.To)),
	)
}

// String implements fmt.Stringer without the note and data.
func (e Event) String() string {
	return fmt.Sprintf("event %s: %s on ticket %s by %s (%s → %s)", e.ID, e.Action, e.Ticket, e.Actor, e.From, e.To)
}
