package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/store/sqlstore"
	"github.com/servicedesk-go/desk/ticket"
)

// Tickets is the ticket.Store on SQLite. Every write is one transaction
// (a savepoint inside a caller's transaction): ticket row, history rows
// and outbox row together or not at all.
type Tickets struct{ s *Store }

var _ ticket.Store = (*Tickets)(nil)

func exists(ctx context.Context, db DB, query string, args ...any) (bool, error) {
	var one int
	err := db.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func insertEvent(ctx context.Context, db DB, e ticket.Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO desk_ticket_events (id, desk, ticket_id, seq, body) VALUES (?, ?, ?, ?, ?)`,
		e.ID.String(), e.Desk, e.Ticket.String(), e.Seq, string(b))
	return err
}

// Create implements ticket.Store.
func (s *Tickets) Create(ctx context.Context, t *ticket.Ticket, history []ticket.Event) error {
	if err := sqlstore.CheckHistory(t, history); err != nil {
		return err
	}
	return s.create(ctx, []*ticket.Ticket{t}, [][]ticket.Event{history})
}

var _ ticket.BatchCreator = (*Tickets)(nil)

// CreateBatch implements ticket.BatchCreator: the tickets are created
// one after another in one transaction.
func (s *Tickets) CreateBatch(ctx context.Context, ts []*ticket.Ticket, histories [][]ticket.Event) error {
	if err := sqlstore.CheckBatch(ts, histories); err != nil {
		return err
	}
	if len(ts) == 0 {
		return ctx.Err()
	}
	return s.create(ctx, ts, histories)
}

// create writes checked new tickets in one transaction and sets their
// numbers once it committed.
func (s *Tickets) create(ctx context.Context, ts []*ticket.Ticket, histories [][]ticket.Event) error {
	bodies := make([][]byte, len(ts))
	for i, t := range ts {
		b, err := json.Marshal(t)
		if err != nil {
			return fmt.Errorf("sqlite: encode ticket %s: %w", t.ID, err)
		}
		bodies[i] = b
	}
	numbers := make([]int64, len(ts))
	var conflict error
	err := s.s.atomic(ctx, func(db DB) error {
		for i, t := range ts {
			conflict = sqlstore.TicketExists(t)
			n, err := createTicket(ctx, db, t, histories[i], bodies[i])
			if err != nil {
				return err
			}
			numbers[i] = n
		}
		return nil
	})
	switch {
	case errors.Is(err, ticket.ErrConflict), uniqueViolation(err):
		return conflict
	case err != nil && len(ts) == 1:
		return fmt.Errorf("sqlite: create ticket %s: %w", ts[0].ID, err)
	case err != nil:
		return fmt.Errorf("sqlite: create %d tickets: %w", len(ts), err)
	}
	for i, t := range ts {
		t.Number = numbers[i]
	}
	return nil
}

// createTicket writes a new ticket, its history and its outbox row in
// the transaction db and returns the case number it took.
func createTicket(ctx context.Context, db DB, t *ticket.Ticket, history []ticket.Event, body []byte) (int64, error) {
	conflict := sqlstore.TicketExists(t)
	if dup, err := exists(ctx, db, `SELECT 1 FROM desk_tickets WHERE id = ?`, t.ID.String()); err != nil || dup {
		return 0, errors.Join(err, ifTrue(dup, conflict))
	}
	for _, e := range history {
		if dup, err := exists(ctx, db, `SELECT 1 FROM desk_ticket_events WHERE id = ?`, e.ID.String()); err != nil || dup {
			return 0, errors.Join(err, ifTrue(dup, conflict))
		}
	}
	var number int64
	if err := db.QueryRowContext(ctx, `INSERT INTO desk_ticket_numbers (desk, last) VALUES (?, 1)
ON CONFLICT (desk) DO UPDATE SET last = last + 1 RETURNING last`, t.Desk).Scan(&number); err != nil {
		return 0, err
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO desk_tickets (id, desk, number, version, state, kind, owner, assignee,
    customer, complaint_class, complaint_severity, incomplete, next_due, received_at, updated_at, body, priority, tags, department)
VALUES (:id, :desk, :number, :version, :state, :kind, :owner, :assignee, :customer, :complaint_class,
    :complaint_severity, :incomplete, :next_due, :received_at, :updated_at, :body, :priority, :tags, :department)`,
		ticketArgs(t, number, body)...); err != nil {
		return 0, err
	}
	if err := writeTags(ctx, db, t.Desk, number, t.Tags); err != nil {
		return 0, err
	}
	for _, e := range history {
		if err := insertEvent(ctx, db, e); err != nil {
			return 0, err
		}
	}
	_, err := db.ExecContext(ctx, `INSERT INTO desk_ticket_outbox (desk, event_id) VALUES (?, ?)`,
		t.Desk, history[len(history)-1].ID.String())
	return number, err
}

func ifTrue(b bool, err error) error {
	if b {
		return err
	}
	return nil
}

// ticketArgs are the named parameters (:name) of t's row written with
// case number number: its keys (columns with the same names) and its
// JSON body.
func ticketArgs(t *ticket.Ticket, number int64, body []byte) []any {
	k := sqlstore.KeysOf(t)
	return []any{
		sql.Named("id", t.ID.String()), sql.Named("desk", t.Desk), sql.Named("number", number),
		sql.Named("version", t.Version), sql.Named("state", k.State), sql.Named("kind", k.Kind),
		sql.Named("owner", k.Owner), sql.Named("assignee", k.Assignee), sql.Named("customer", k.Customer),
		sql.Named("complaint_class", k.Class), sql.Named("complaint_severity", k.Severity),
		sql.Named("incomplete", k.Incomplete), sql.Named("next_due", k.NextDue),
		sql.Named("received_at", k.Received), sql.Named("updated_at", k.Updated), sql.Named("body", string(body)),
		sql.Named("priority", k.Priority), sql.Named("tags", k.Tags), sql.Named("department", k.Department),
	}
}

// writeTags replaces the rows of desk_ticket_tags of a ticket, through
// which a filter on tags reads the tickets carrying them.
func writeTags(ctx context.Context, db DB, desk string, number int64, tags []string) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM desk_ticket_tags WHERE desk = ? AND number = ?`, desk, number); err != nil {
		return err
	}
	for _, tag := range tags {
		if _, err := db.ExecContext(ctx, `INSERT OR IGNORE INTO desk_ticket_tags (desk, number, tag) VALUES (?, ?, ?)`, desk, number, tag); err != nil {
			return err
		}
	}
	return nil
}

// update writes the next version of t with ev inside db's transaction.
func (s *Tickets) update(ctx context.Context, db DB, t *ticket.Ticket, ev ticket.Event) error {
	body, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("sqlite: encode ticket %s: %w", t.ID, err)
	}
	res, err := db.ExecContext(ctx, `UPDATE desk_tickets SET version = :version, state = :state, kind = :kind,
    owner = :owner, assignee = :assignee, customer = :customer, complaint_class = :complaint_class,
    complaint_severity = :complaint_severity, incomplete = :incomplete, next_due = :next_due,
    received_at = :received_at, updated_at = :updated_at, body = :body, priority = :priority, tags = :tags,
    department = :department
WHERE id = :id AND desk = :desk AND version = :version - 1 AND number = :number`, ticketArgs(t, t.Number, body)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(err, sqlstore.TicketNotWritten(ctx, executor{db}, sqlstore.Question, t.ID.String(), t))
	}
	if err := writeTags(ctx, db, t.Desk, t.Number, t.Tags); err != nil {
		return err
	}
	if dup, err := exists(ctx, db, `SELECT 1 FROM desk_ticket_events WHERE id = ?`, ev.ID.String()); err != nil || dup {
		return errors.Join(err, ifTrue(dup, sqlstore.EventExists(ev.ID)))
	}
	if err := insertEvent(ctx, db, ev); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `INSERT INTO desk_ticket_outbox (desk, event_id) VALUES (?, ?)`, t.Desk, ev.ID.String())
	return err
}

// wrapWrite keeps the package's sentinels visible and names the ticket.
func wrapWrite(op string, id uuid.UUID, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ticket.ErrConflict), errors.Is(err, ticket.ErrNotFound):
		return err
	case uniqueViolation(err):
		return sqlstore.IDUsed(id)
	}
	return fmt.Errorf("sqlite: %s ticket %s: %w", op, id, err)
}

// Update implements ticket.Store.
func (s *Tickets) Update(ctx context.Context, t *ticket.Ticket, ev ticket.Event) error {
	if err := sqlstore.CheckEvent(t, ev); err != nil {
		return err
	}
	return wrapWrite("update", t.ID, s.s.atomic(ctx, func(db DB) error { return s.update(ctx, db, t, ev) }))
}

// Redact implements ticket.Store.
func (s *Tickets) Redact(ctx context.Context, t *ticket.Ticket, history []ticket.Event, ev ticket.Event) error {
	if err := sqlstore.CheckEvent(t, ev); err != nil {
		return err
	}
	return wrapWrite("redact", t.ID, s.s.atomic(ctx, func(db DB) error {
		for _, e := range history {
			ok, err := exists(ctx, db, `SELECT 1 FROM desk_ticket_events WHERE id = ? AND ticket_id = ? AND desk = ?`,
				e.ID.String(), t.ID.String(), t.Desk)
			if err != nil {
				return err
			}
			if !ok {
				if found, err := exists(ctx, db, `SELECT 1 FROM desk_tickets WHERE id = ? AND desk = ?`, t.ID.String(), t.Desk); err != nil || !found {
					return errors.Join(err, fmt.Errorf("%w: ticket %s", ticket.ErrNotFound, t.ID))
				}
				return fmt.Errorf("%w: event %s of ticket %s", ticket.ErrNotFound, e.ID, t.ID)
			}
		}
		if err := s.update(ctx, db, t, ev); err != nil {
			return err
		}
		for _, e := range history {
			data, err := json.Marshal(e.Data)
			if err != nil {
				return err
			}
			if _, err := db.ExecContext(ctx, `UPDATE desk_ticket_events SET body = json_set(body, '$.note', ?, '$.data', json(?), '$.category', ?)
WHERE id = ? AND ticket_id = ? AND desk = ?`, e.Note, string(data), e.Category, e.ID.String(), t.ID.String(), t.Desk); err != nil {
				return err
			}
		}
		return nil
	}))
}

func scanTicket(scan func(...any) error) (*ticket.Ticket, error) {
	var number, version int64
	var body string
	if err := scan(&number, &version, &body); err != nil {
		return nil, unavailable(err)
	}
	t := new(ticket.Ticket)
	if err := json.Unmarshal([]byte(body), t); err != nil {
		return nil, fmt.Errorf("decode ticket: %w", err)
	}
	t.Number, t.Version = number, version
	return t, nil
}

// Get implements ticket.Store.
func (s *Tickets) Get(ctx context.Context, desk string, id uuid.UUID) (*ticket.Ticket, error) {
	t, err := scanTicket(s.s.db.QueryRowContext(ctx, `SELECT number, version, body FROM desk_tickets WHERE id = ? AND desk = ?`, id.String(), desk).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: ticket %s", ticket.ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get ticket %s: %w", id, err)
	}
	return t, nil
}

// ByNumber implements ticket.Store.
func (s *Tickets) ByNumber(ctx context.Context, desk string, number int64) (*ticket.Ticket, error) {
	t, err := scanTicket(s.s.db.QueryRowContext(ctx, `SELECT number, version, body FROM desk_tickets WHERE desk = ? AND number = ?`, desk, number).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: case number %d", ticket.ErrNotFound, number)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get case number %d: %w", number, err)
	}
	return t, nil
}

// listSQL is the statement List runs for f, and its arguments.
func listSQL(desk string, f ticket.Filter) (string, []any) {
	w := sqlstore.TicketFilter(desk, f)
	q, args := "SELECT number, version, body FROM desk_tickets WHERE "+w.SQL()+" ORDER BY "+sqlstore.TicketOrder(f.Order), w.Args()
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	return q, args
}

// List implements ticket.Store.
func (s *Tickets) List(ctx context.Context, desk string, f ticket.Filter) ([]*ticket.Ticket, error) {
	q, args := listSQL(desk, f)
	rows, err := s.s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tickets: %w", err)
	}
	defer rows.Close()
	var out []*ticket.Ticket
	for rows.Next() {
		t, err := scanTicket(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list tickets: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list tickets: %w", err)
	}
	return out, nil
}

func scanEvents(rows *sql.Rows) ([]ticket.Event, error) {
	defer rows.Close()
	var out []ticket.Event
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var e ticket.Event
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// History implements ticket.Store.
func (s *Tickets) History(ctx context.Context, desk string, id uuid.UUID) ([]ticket.Event, error) {
	rows, err := s.s.db.QueryContext(ctx, `SELECT body FROM desk_ticket_events WHERE ticket_id = ? AND desk = ? ORDER BY seq`, id.String(), desk)
	if err != nil {
		return nil, fmt.Errorf("sqlite: history of ticket %s: %w", id, err)
	}
	out, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: history of ticket %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: ticket %s", ticket.ErrNotFound, id)
	}
	return out, nil
}

// Pending implements ticket.Outbox: the events of the consumer's scope
// without an acknowledgement row for (consumer, scope), in outbox order.
func (s *Tickets) Pending(ctx context.Context, consumer, desk string, limit int) ([]ticket.Event, error) {
	if consumer == "" {
		return nil, &ticket.InputError{Field: "consumer", Reason: "name the consumer"}
	}
	rows, err := s.s.db.QueryContext(ctx, `
SELECT e.body FROM desk_ticket_outbox o JOIN desk_ticket_events e ON e.id = o.event_id
WHERE o.seq >= coalesce((SELECT low FROM desk_ticket_consumers WHERE consumer = ?2 AND scope = ?1), 0)
  AND (?1 = '' OR o.desk = ?1)
  AND NOT EXISTS (SELECT 1 FROM desk_ticket_acks a WHERE a.consumer = ?2 AND a.scope = ?1 AND a.event_id = o.event_id)
ORDER BY o.seq
LIMIT ?3`, desk, consumer, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending events for %s: %w", consumer, err)
	}
	out, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending events for %s: %w", consumer, err)
	}
	return out, nil
}

// Ack implements ticket.Outbox: every ID is an event of the scope and
// all are acknowledged, or none is.
func (s *Tickets) Ack(ctx context.Context, consumer, desk string, ids ...uuid.UUID) error {
	if consumer == "" {
		return &ticket.InputError{Field: "consumer", Reason: "name the consumer"}
	}
	err := s.s.atomic(ctx, func(db DB) error {
		for _, id := range ids {
			ok, err := exists(ctx, db, `SELECT 1 FROM desk_ticket_outbox WHERE event_id = ?1 AND (?2 = '' OR desk = ?2)`, id.String(), desk)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("%w: event %s is not in the outbox of scope %q", ticket.ErrNotFound, id, desk)
			}
		}
		for _, id := range ids {
			if _, err := db.ExecContext(ctx, `INSERT INTO desk_ticket_acks (consumer, scope, event_id) VALUES (?, ?, ?)
ON CONFLICT DO NOTHING`, consumer, desk, id.String()); err != nil {
				return err
			}
		}
		return advance(ctx, db, consumer, desk)
	})
	if err != nil && !errors.Is(err, ticket.ErrNotFound) {
		return fmt.Errorf("sqlite: ack events for %s: %w", consumer, err)
	}
	return err
}

// advance moves the consumer's low-water mark over the acknowledged
// prefix of its scope and prunes the ack rows behind it. It runs in the
// acknowledging write transaction: no other writer can commit a lower
// seq meanwhile, and later ones get higher seqs.
func advance(ctx context.Context, db DB, consumer, desk string) error {
	if _, err := db.ExecContext(ctx, `
INSERT INTO desk_ticket_consumers (consumer, scope, low)
SELECT ?1, ?2, coalesce(
    (SELECT min(o.seq) FROM desk_ticket_outbox o
     WHERE o.seq >= coalesce((SELECT low FROM desk_ticket_consumers WHERE consumer = ?1 AND scope = ?2), 0)
       AND (?2 = '' OR o.desk = ?2)
       AND NOT EXISTS (SELECT 1 FROM desk_ticket_acks a WHERE a.consumer = ?1 AND a.scope = ?2 AND a.event_id = o.event_id)),
    (SELECT coalesce(max(seq), 0) + 1 FROM desk_ticket_outbox))
WHERE true
ON CONFLICT (consumer, scope) DO UPDATE SET low = max(low, excluded.low)`, consumer, desk); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `
DELETE FROM desk_ticket_acks
WHERE consumer = ?1 AND scope = ?2
  AND event_id IN (SELECT o.event_id FROM desk_ticket_outbox o
                   WHERE o.seq < (SELECT low FROM desk_ticket_consumers WHERE consumer = ?1 AND scope = ?2))`, consumer, desk)
	return err
}
