package sqlstore

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// Times are stored as Unix nanoseconds, so they compare in SQL exactly as
// time.Time does. The zero time is the smallest value, so "before x"
// holds for it as it does in Go; an open end is the largest. Times
// outside the years 1678-2262 are clamped.
const (
	ZeroNanos = math.MinInt64
	OpenNanos = math.MaxInt64 // an open end (an away period until further notice)
)

var (
	minTime = time.Unix(0, math.MinInt64+1)
	maxTime = time.Unix(0, math.MaxInt64-1)
)

// Nanos encodes a time.
func Nanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return ZeroNanos
	case t.Before(minTime):
		return ZeroNanos + 1
	case t.After(maxTime):
		return OpenNanos - 1
	}
	return t.UnixNano()
}

// FromNanos decodes a time (in UTC).
func FromNanos(n int64) time.Time {
	if n == ZeroNanos {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// TicketKeys are the columns derived from a ticket for queries; the
// ticket itself is stored whole beside them.
type TicketKeys struct {
	State, Kind, Owner, Assignee, Customer string
	Department                             string
	Class, Severity                        *string // nil: not a complaint
	Incomplete                             bool
	NextDue                                *int64 // nil: no open deadline
	Received, Updated                      int64
	Priority                               string
	Tags                                   string // TagText of the ticket's tags
}

// TagText encodes tags for the tags column: each tag between
// separators (",a,b,"), "" for none, so that a LIKE pattern from
// TagPattern finds one whole tag.
func TagText(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return ticket.TagSeparator + strings.Join(tags, ticket.TagSeparator) + ticket.TagSeparator
}

// TagPattern is the LIKE pattern (escape character \) matching a tags
// column that holds tag.
func TagPattern(tag string) string {
	r := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)
	return "%" + ticket.TagSeparator + r.Replace(tag) + ticket.TagSeparator + "%"
}

// KeysOf derives the query columns of a ticket.
func KeysOf(t *ticket.Ticket) TicketKeys {
	k := TicketKeys{
		State: string(t.State), Kind: string(t.Kind), Owner: t.Owner, Assignee: t.Assignee, Department: t.Department,
		Incomplete: t.Incomplete(), Received: Nanos(t.ReceivedAt), Updated: Nanos(t.UpdatedAt),
		Priority: string(t.Priority), Tags: TagText(t.Tags),
	}
	if t.Customer != nil {
		k.Customer = t.Customer.ID
	}
	if t.Complaint != nil {
		c, s := t.Complaint.Class, string(t.Complaint.Severity)
		k.Class, k.Severity = &c, &s
	}
	if due := t.NextDue(); !due.IsZero() {
		n := Nanos(due)
		k.NextDue = &n
	}
	return k
}

// Where is a conjunction of conditions with their parameters.
type Where struct {
	conds []string
	args  []any
}

// Add appends a condition; its ? placeholders take args in order.
func (w *Where) Add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// In adds "col IN (?, ?, ...)" for the values.
func In[T ~string](w *Where, col string, vals []T) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")
	w.conds = append(w.conds, col+" IN ("+marks+")")
	for _, v := range vals {
		w.args = append(w.args, string(v))
	}
}

// SQL returns the conditions joined by AND.
func (w *Where) SQL() string { return strings.Join(w.conds, " AND ") }

// Args returns the parameters in placeholder order.
func (w *Where) Args() []any { return w.args }

// Numbered rewrites ? placeholders as $1, $2, ... for PostgreSQL. The
// queries it is given hold no other question marks.
func Numbered(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TicketFilter translates a ticket filter on one desk into conditions
// on the columns desk, state, kind, owner, assignee, department, customer,
// complaint_class, complaint_severity, incomplete, next_due, updated_at,
// received_at, priority and number, and a tag through the table
// desk_ticket_tags (desk, number, tag). An assignee, department or
// customer condition repeats its partial index's predicate (not empty),
// which SQLite does not infer from a bound value, so that it reads that
// index.
func TicketFilter(desk string, f ticket.Filter) *Where {
	w := &Where{}
	w.Add("desk = ?", desk)
	if len(f.States) > 0 {
		In(w, "state", f.States)
	}
	if len(f.Kinds) > 0 {
		In(w, "kind", f.Kinds)
	}
	if f.Owner != "" {
		w.Add("owner = ?", f.Owner)
	}
	if f.Assignee != "" {
		w.Add("assignee = ? AND assignee <> ''", f.Assignee)
	}
	if f.Department != "" {
		w.Add("department = ? AND department <> ''", f.Department)
	}
	if f.Customer != "" {
		w.Add("customer = ? AND customer <> ''", f.Customer)
	}
	if len(f.Classes) > 0 {
		In(w, "complaint_class", f.Classes)
	}
	if len(f.Severities) > 0 {
		In(w, "complaint_severity", f.Severities)
	}
	if f.Unowned {
		w.Add("owner = ''")
	}
	if f.Incomplete {
		w.Add("incomplete")
	}
	if len(f.Priorities) > 0 {
		In(w, "priority", f.Priorities)
	}
	for _, tag := range f.Tags {
		w.Add("number IN (SELECT number FROM desk_ticket_tags WHERE desk = ? AND tag = ?)", desk, tag)
	}
	if !f.DueBefore.IsZero() {
		w.Add("next_due < ?", Nanos(f.DueBefore))
	}
	if !f.UpdatedBefore.IsZero() {
		w.Add("updated_at < ?", Nanos(f.UpdatedBefore))
	}
	if !f.UpdatedFrom.IsZero() {
		w.Add("updated_at >= ?", Nanos(f.UpdatedFrom))
	}
	if !f.ReceivedBefore.IsZero() {
		w.Add("received_at < ?", Nanos(f.ReceivedBefore))
	}
	if !f.ReceivedFrom.IsZero() {
		w.Add("received_at >= ?", Nanos(f.ReceivedFrom))
	}
	if f.Order == ticket.ByDue {
		w.Add("next_due IS NOT NULL")
	}
	if c := f.After; c != nil {
		switch f.Order {
		case ticket.ByNumberDesc:
			w.Add("number < ?", c.Number)
		case ticket.ByUpdated:
			w.Add("(updated_at, number) > (?, ?)", Nanos(c.Updated), c.Number)
		case ticket.ByDue:
			w.Add("(next_due, number) > (?, ?)", Nanos(c.Due), c.Number)
		default:
			w.Add("number > ?", c.Number)
		}
	}
	return w
}

// TicketOrder is the ORDER BY of a ticket order.
func TicketOrder(o ticket.Order) string {
	switch o {
	case ticket.ByNumberDesc:
		return "number DESC"
	case ticket.ByUpdated:
		return "updated_at, number"
	case ticket.ByDue:
		return "next_due, number"
	}
	return "number"
}

// TaskFilter translates a follow-up filter on one desk into conditions
// on the columns desk, status, ticket_id, rule, role, subject, owner, due
// and closed_at; id encodes a ticket ID as the adapter stores it.
func TaskFilter(desk string, f followup.Filter, id func(uuid.UUID) any) *Where {
	w := &Where{}
	w.Add("desk = ?", desk)
	if len(f.Statuses) > 0 {
		In(w, "status", f.Statuses)
	}
	if f.Ticket != uuid.Nil {
		w.Add("ticket_id = ?", id(f.Ticket))
	}
	if f.Rule != "" {
		w.Add("rule = ?", f.Rule)
	}
	if f.Role != "" {
		w.Add("role = ?", string(f.Role))
	}
	if f.Subject != "" {
		w.Add("subject = ?", f.Subject)
	}
	if f.Owner != "" {
		w.Add("owner = ?", f.Owner)
	}
	if !f.DueFrom.IsZero() {
		w.Add("due >= ?", Nanos(f.DueFrom))
	}
	if !f.DueBefore.IsZero() {
		w.Add("due < ?", Nanos(f.DueBefore))
	}
	if !f.ClosedFrom.IsZero() {
		w.Add("closed_at <> ? AND closed_at >= ?", int64(ZeroNanos), Nanos(f.ClosedFrom))
	}
	if !f.ClosedBefore.IsZero() {
		w.Add("closed_at <> ? AND closed_at < ?", int64(ZeroNanos), Nanos(f.ClosedBefore))
	}
	if c := f.After; c != nil {
		// The List order is (due, id): a row comparison both dialects
		// answer from the (desk, due, id) order.
		due := Nanos(c.Due)
		w.Add("(due > ? OR (due = ? AND id > ?))", due, due, id(c.ID))
	}
	return w
}
