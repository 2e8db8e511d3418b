package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// TaskColumns are the columns derived from a follow-up task; the JSON
// body holds the rest. Version, status, role, lease and updated_at are
// authoritative in their columns (a claim changes only those, and a
// completion keeps the stored role) and the body leaves them out.
type TaskColumns struct {
	Status, Role, Rule, Subject, Owner string
	Ready                              *int64 // nil: not open, never claimed
	Due, Closed, Updated               int64
	Ticket                             *uuid.UUID // nil: no ticket
	LeaseOwner                         string
	LeaseToken                         *uuid.UUID // nil: no lease
	LeaseExpires                       int64
}

// TaskColumnsOf derives the columns of a task: the owner is the outcome's
// author once the task is final, the lease holder before; an open task is
// ready from ReadyAt.
func TaskColumnsOf(t *followup.Task) TaskColumns {
	c := TaskColumns{
		Status: string(t.Status), Role: string(t.Role), Rule: t.Rule, Subject: t.Subject,
		Due: Nanos(t.Due), Closed: Nanos(t.ClosedAt), Updated: Nanos(t.UpdatedAt),
		LeaseOwner: t.Lease.Owner, LeaseExpires: Nanos(t.Lease.Expires), Owner: t.Lease.Owner,
	}
	if t.Outcome != nil && t.Status.Final() {
		c.Owner = t.Outcome.By.ID
	}
	if r := t.ReadyAt(); t.Open() {
		n := Nanos(r)
		c.Ready = &n
	}
	if t.Ticket != uuid.Nil {
		id := t.Ticket
		c.Ticket = &id
	}
	if t.Lease.Token != uuid.Nil {
		tok := t.Lease.Token
		c.LeaseToken = &tok
	}
	return c
}

// taskBody is a task's stored JSON body: the fields no authoritative
// column holds (not the version, status, role, update time or lease),
// zero values left out. Its keys are the field names of followup.Task,
// as in the bodies written before it (a whole Task), so those read the
// same.
type taskBody struct {
	ID          uuid.UUID
	Desk        string
	Rule        string               `json:",omitempty"`
	Cites       string               `json:",omitempty"`
	Trigger     followup.TriggerKind `json:",omitempty"`
	Key         string               `json:",omitempty"`
	Subject     string               `json:",omitempty"`
	Ticket      uuid.UUID            `json:",omitzero"`
	TicketKind  ticket.Kind          `json:",omitempty"`
	Category    string               `json:",omitempty"`
	Seq         int                  `json:",omitempty"`
	Channel     followup.Channel     `json:",omitempty"`
	Checklist   []followup.CheckItem `json:",omitempty"`
	Grade       bool                 `json:",omitempty"`
	Revisit     bool                 `json:",omitempty"`
	Sampled     bool                 `json:",omitempty"`
	TriggeredAt bodyTime             `json:",omitzero"`
	NotBefore   bodyTime             `json:",omitzero"`
	Due         bodyTime             `json:",omitzero"`
	Attempts    int                  `json:",omitempty"`
	MaxAttempts int                  `json:",omitempty"`
	RetryAfter  time.Duration        `json:",omitempty"`
	Repeat      time.Duration        `json:",omitempty"`
	UntilClosed bool                 `json:",omitempty"`
	Outcome     *followup.Outcome    `json:",omitempty"`
	Synced      bool                 `json:",omitempty"`
	CreatedAt   bodyTime             `json:",omitzero"`
	ClosedAt    bodyTime             `json:",omitzero"`
}

// bodyTime is a time in a task's body: Unix nanoseconds (UTC when read),
// or RFC 3339 text outside their range and in the bodies written before.
type bodyTime time.Time

func (t bodyTime) IsZero() bool { return time.Time(t).IsZero() }

func (t bodyTime) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.Before(minTime) || tt.After(maxTime) {
		return tt.MarshalJSON()
	}
	return strconv.AppendInt(nil, tt.UnixNano(), 10), nil
}

func (t *bodyTime) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return (*time.Time)(t).UnmarshalJSON(b)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("task body time %s: %w", b, err)
	}
	*t = bodyTime(time.Unix(0, n).UTC())
	return nil
}

// EncodeTask returns the JSON body stored for t: the JSON encoding of
// taskBody, written field by field (TestEncodeTask holds it to the bytes
// encoding/json writes for the same body).
func EncodeTask(t *followup.Task) ([]byte, error) {
	b := make([]byte, 0, 384)
	b = append(b, `{"ID":"`...)
	b = append(b, t.ID.String()...)
	b = append(b, `","Desk":`...)
	b = appendJSONString(b, t.Desk)
	b = appendStringField(b, "Rule", t.Rule)
	b = appendStringField(b, "Cites", t.Cites)
	b = appendStringField(b, "Trigger", string(t.Trigger))
	b = appendStringField(b, "Key", t.Key)
	b = appendStringField(b, "Subject", t.Subject)
	if t.Ticket != uuid.Nil {
		b = append(b, `,"Ticket":"`...)
		b = append(b, t.Ticket.String()...)
		b = append(b, '"')
	}
	b = appendStringField(b, "TicketKind", string(t.TicketKind))
	b = appendStringField(b, "Category", t.Category)
	b = appendIntField(b, "Seq", int64(t.Seq))
	b = appendStringField(b, "Channel", string(t.Channel))
	if len(t.Checklist) > 0 {
		b = append(b, `,"Checklist":[`...)
		for i, c := range t.Checklist {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, string(c))
		}
		b = append(b, ']')
	}
	b = appendBoolField(b, "Grade", t.Grade)
	b = appendBoolField(b, "Revisit", t.Revisit)
	b = appendBoolField(b, "Sampled", t.Sampled)
	var err error
	for _, f := range [...]struct {
		name string
		at   time.Time
	}{{"TriggeredAt", t.TriggeredAt}, {"NotBefore", t.NotBefore}, {"Due", t.Due}} {
		if b, err = appendTimeField(b, f.name, f.at); err != nil {
			return nil, err
		}
	}
	b = appendIntField(b, "Attempts", int64(t.Attempts))
	b = appendIntField(b, "MaxAttempts", int64(t.MaxAttempts))
	b = appendIntField(b, "RetryAfter", int64(t.RetryAfter))
	b = appendIntField(b, "Repeat", int64(t.Repeat))
	b = appendBoolField(b, "UntilClosed", t.UntilClosed)
	if t.Outcome != nil {
		o, err := json.Marshal(t.Outcome)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"Outcome":`...)
		b = append(b, o...)
	}
	b = appendBoolField(b, "Synced", t.Synced)
	if b, err = appendTimeField(b, "CreatedAt", t.CreatedAt); err != nil {
		return nil, err
	}
	if b, err = appendTimeField(b, "ClosedAt", t.ClosedAt); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func appendStringField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, v)
}

func appendIntField(b []byte, name string, v int64) []byte {
	if v == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, v, 10)
}

func appendBoolField(b []byte, name string, v bool) []byte {
	if !v {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, `":true`...)
}

func appendTimeField(b []byte, name string, v time.Time) ([]byte, error) {
	if v.IsZero() {
		return b, nil
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	j, err := bodyTime(v).MarshalJSON()
	return append(b, j...), err
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (control characters, quotes, backslashes, <, > and &,
// U+2028 and U+2029; invalid UTF-8 becomes U+FFFD).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// decodeTask reads a body EncodeTask wrote (or an earlier whole-Task
// body) into t, leaving the column-held fields alone.
func decodeTask(body []byte, t *followup.Task) error {
	if decodeCompact(body, t) {
		return nil
	}
	return decodeJSON(body, t)
}

// decodeJSON reads any body with encoding/json.
func decodeJSON(body []byte, t *followup.Task) error {
	var b taskBody
	if err := json.Unmarshal(body, &b); err != nil {
		return err
	}
	b.into(t)
	return nil
}

// into sets the fields of t that the body holds.
func (b *taskBody) into(t *followup.Task) {
	t.ID, t.Desk, t.Rule, t.Cites, t.Trigger, t.Key = b.ID, b.Desk, b.Rule, b.Cites, b.Trigger, b.Key
	t.Subject, t.Ticket, t.TicketKind, t.Category, t.Seq = b.Subject, b.Ticket, b.TicketKind, b.Category, b.Seq
	t.Channel, t.Checklist, t.Grade, t.Revisit, t.Sampled = b.Channel, b.Checklist, b.Grade, b.Revisit, b.Sampled
	t.TriggeredAt, t.NotBefore, t.Due = time.Time(b.TriggeredAt), time.Time(b.NotBefore), time.Time(b.Due)
	t.Attempts, t.MaxAttempts, t.RetryAfter, t.Repeat = b.Attempts, b.MaxAttempts, b.RetryAfter, b.Repeat
	t.UntilClosed, t.Outcome, t.Synced = b.UntilClosed, b.Outcome, b.Synced
	t.CreatedAt, t.ClosedAt = time.Time(b.CreatedAt), time.Time(b.ClosedAt)
}

// decodeCompact reads a body as EncodeTask writes it without escapes in
// its strings, field by field, and reports whether it could; anything
// else (an escape, a null, a key or a time in text as the bodies written
// before have) is left to encoding/json.
func decodeCompact(body []byte, t *followup.Task) bool {
	d := compactDecoder{b: body}
	if !d.byte('{') {
		return false
	}
	var n taskBody
	for first := true; ; first = false {
		if d.byte('}') {
			break
		}
		if !first && !d.byte(',') {
			return false
		}
		key, ok := d.str()
		if !ok || !d.byte(':') || !d.field(key, &n) {
			return false
		}
	}
	if d.i != len(d.b) {
		return false
	}
	n.into(t)
	return true
}

// field reads the value of key into n; an unknown key, or a value not
// of the key's type, is false.
func (d *compactDecoder) field(key string, n *taskBody) bool {
	switch key {
	case "ID":
		return d.uuid(&n.ID)
	case "Ticket":
		return d.uuid(&n.Ticket)
	case "Desk":
		return text(d, &n.Desk)
	case "Rule":
		return text(d, &n.Rule)
	case "Cites":
		return text(d, &n.Cites)
	case "Trigger":
		return text(d, &n.Trigger)
	case "Key":
		return text(d, &n.Key)
	case "Subject":
		return text(d, &n.Subject)
	case "TicketKind":
		return text(d, &n.TicketKind)
	case "Category":
		return text(d, &n.Category)
	case "Channel":
		return text(d, &n.Channel)
	case "Seq":
		return number(d, &n.Seq)
	case "Attempts":
		return number(d, &n.Attempts)
	case "MaxAttempts":
		return number(d, &n.MaxAttempts)
	case "RetryAfter":
		return number(d, &n.RetryAfter)
	case "Repeat":
		return number(d, &n.Repeat)
	case "TriggeredAt":
		return d.time(&n.TriggeredAt)
	case "NotBefore":
		return d.time(&n.NotBefore)
	case "Due":
		return d.time(&n.Due)
	case "CreatedAt":
		return d.time(&n.CreatedAt)
	case "ClosedAt":
		return d.time(&n.ClosedAt)
	case "Grade":
		return d.flag(&n.Grade)
	case "Revisit":
		return d.flag(&n.Revisit)
	case "Sampled":
		return d.flag(&n.Sampled)
	case "UntilClosed":
		return d.flag(&n.UntilClosed)
	case "Synced":
		return d.flag(&n.Synced)
	case "Checklist":
		return d.checklist(&n.Checklist)
	case "Outcome":
		raw, ok := d.object()
		if !ok {
			return false
		}
		n.Outcome = new(followup.Outcome)
		return json.Unmarshal(raw, n.Outcome) == nil
	}
	return false
}

// text reads a string without escapes into p.
func text[T ~string](d *compactDecoder, p *T) bool {
	v, ok := d.str()
	*p = T(v)
	return ok
}

// number reads an integer into p.
func number[T ~int | ~int64](d *compactDecoder, p *T) bool {
	v, ok := d.int()
	*p = T(v)
	return ok
}

func (d *compactDecoder) uuid(p *uuid.UUID) bool {
	v, ok := d.str()
	id, err := uuid.Parse(v)
	*p = id
	return ok && err == nil
}

// time reads Unix nanoseconds (EncodeTask's form) into p, in UTC.
func (d *compactDecoder) time(p *bodyTime) bool {
	v, ok := d.int()
	*p = bodyTime(time.Unix(0, v).UTC())
	return ok
}

// flag reads true (EncodeTask leaves false out).
func (d *compactDecoder) flag(p *bool) bool {
	*p = d.word("true")
	return *p
}

func (d *compactDecoder) checklist(p *[]followup.CheckItem) bool {
	if !d.byte('[') {
		return false
	}
	for i := 0; !d.byte(']'); i++ {
		if i > 0 && !d.byte(',') {
			return false
		}
		var item followup.CheckItem
		if !text(d, &item) {
			return false
		}
		*p = append(*p, item)
	}
	return true
}

// compactDecoder reads the tokens of a compact body (no white space).
type compactDecoder struct {
	b []byte
	i int
}

func (d *compactDecoder) byte(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *compactDecoder) word(w string) bool {
	if len(d.b)-d.i >= len(w) && string(d.b[d.i:d.i+len(w)]) == w {
		d.i += len(w)
		return true
	}
	return false
}

// str reads a string without escapes.
func (d *compactDecoder) str() (string, bool) {
	if !d.byte('"') {
		return "", false
	}
	for j := d.i; j < len(d.b); j++ {
		switch d.b[j] {
		case '\\':
			return "", false
		case '"':
			s := string(d.b[d.i:j])
			d.i = j + 1
			return s, true
		}
	}
	return "", false
}

func (d *compactDecoder) int() (int64, bool) {
	j := d.i
	if j < len(d.b) && d.b[j] == '-' {
		j++
	}
	for j < len(d.b) && d.b[j] >= '0' && d.b[j] <= '9' {
		j++
	}
	v, err := strconv.ParseInt(string(d.b[d.i:j]), 10, 64)
	if err != nil {
		return 0, false
	}
	d.i = j
	return v, true
}

// object returns the next JSON object whole, for encoding/json.
func (d *compactDecoder) object() ([]byte, bool) {
	if d.i >= len(d.b) || d.b[d.i] != '{' {
		return nil, false
	}
	depth, in := 0, false
	for j := d.i; j < len(d.b); j++ {
		c := d.b[j]
		switch {
		case in && c == '\\':
			j++
		case c == '"':
			in = !in
		case in:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				raw := d.b[d.i : j+1]
				d.i = j + 1
				return raw, true
			}
		}
	}
	return nil, false
}

// Completed returns the columns and JSON body of a completed task: the
// task as given, its lease released.
func Completed(t *followup.Task) (TaskColumns, []byte, error) {
	next := *t
	next.Lease = followup.Lease{}
	body, err := EncodeTask(&next)
	return TaskColumnsOf(&next), body, err
}

// CheckClaim refuses a claim without a worker, a token, a positive lease
// or a time, as followup.MemStore does.
func CheckClaim(c followup.Claim) error {
	switch {
	case c.Owner == "":
		return &followup.InputError{Field: "claim owner", Reason: "name the worker that claims"}
	case c.Token == uuid.Nil:
		return &followup.InputError{Field: "claim token", Reason: "give the claim a token"}
	case c.For <= 0:
		return &followup.InputError{Field: "lease", Reason: fmt.Sprintf("lease length %s must be positive", c.For)}
	case c.Now.IsZero():
		return &followup.InputError{Field: "claim time", Reason: "give the claim a time"}
	}
	return nil
}

// TaskRow is a stored task as read: its authoritative columns and its
// JSON body.
type TaskRow struct {
	Version, Updated, Expires int64
	Status, Role, LeaseOwner  string
	Token                     *uuid.UUID
	Body                      []byte
}

// Task decodes the row: the body, with the columns' version, status,
// role, update time and lease over it.
func (r TaskRow) Task() (*followup.Task, error) {
	t := new(followup.Task)
	if err := decodeTask(r.Body, t); err != nil {
		return nil, fmt.Errorf("decode task: %w", err)
	}
	t.Version, t.Status, t.Role, t.UpdatedAt = r.Version, followup.Status(r.Status), ticket.Role(r.Role), FromNanos(r.Updated)
	t.Lease = followup.Lease{Owner: r.LeaseOwner, Expires: FromNanos(r.Expires)}
	if r.Token != nil {
		t.Lease.Token = *r.Token
	}
	return t, nil
}

// Updated returns a task as an update stores it: the next version, its
// lease dropped unless it stays claimed, with its columns and JSON body.
func Updated(t *followup.Task) (*followup.Task, TaskColumns, []byte, error) {
	next := t.Clone()
	next.Version++
	if next.Status != followup.Claimed {
		next.Lease = followup.Lease{}
	}
	body, err := EncodeTask(next)
	return next, TaskColumnsOf(next), body, err
}

// TaskSelect reads the columns a TaskRow holds, in its order. The body
// is read as text whatever its column's type (PostgreSQL's was jsonb
// before its migration 009), so that a statement prepared before that
// migration keeps its result type after it.
const TaskSelect = `SELECT version, status, role, updated_at, lease_owner, lease_token, lease_expires, CAST(body AS text) FROM desk_followups `

// ListTasks answers a follow-up List on ex: the filter's conditions
// (TaskFilter), ordered by due time and ID, up to the filter's limit.
// placeholders turns the ? of the conditions into the adapter's; id
// encodes a UUID as the adapter stores it; scan reads a TaskSelect row.
func ListTasks(ctx context.Context, ex Executor, name string, placeholders func(string) string, id func(uuid.UUID) any,
	scan func(func(...any) error) (*followup.Task, error), desk string, f followup.Filter) ([]*followup.Task, error) {
	w := TaskFilter(desk, f, id)
	q, args := TaskSelect+"WHERE "+w.SQL()+" ORDER BY due, id", w.Args()
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	rows, err := ex.Query(ctx, placeholders(q), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: list tasks: %w", name, err)
	}
	defer rows.Close()
	var out []*followup.Task
	for rows.Next() {
		t, err := scan(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("%s: list tasks: %w", name, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: list tasks: %w", name, err)
	}
	return out, nil
}

// StaleUpdate explains an update of t that matched no row: the task is
// not there (get's error) or is at another version (ErrConflict).
func StaleUpdate(ctx context.Context, get func(ctx context.Context, desk string, id uuid.UUID) (*followup.Task, error), t *followup.Task) error {
	cur, err := get(ctx, t.Desk, t.ID)
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: task %s is at version %d, not %d; reload it", followup.ErrConflict, t.ID, cur.Version, t.Version)
}

// Created returns a new task as Create stores it: version 1, with its
// columns and JSON body.
func Created(t *followup.Task) (TaskColumns, []byte, error) {
	stored := *t
	stored.Version = 1
	body, err := EncodeTask(&stored)
	return TaskColumnsOf(&stored), body, err
}
