package postgres

import (
	"context"
	"errors"
	"fmt"

	json "github.com/go-json-experiment/json/v1"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/store/sqlstore"
	"github.com/servicedesk-go/desk/ticket"
)

// Tickets is the ticket.Store on PostgreSQL. Create and Update are each
// one statement (ticket row, history rows and outbox row together), so
// they are atomic on their own and inside a caller's transaction alike.
type Tickets struct{ db DB }

var _ ticket.Store = (*Tickets)(nil)

// createTicketSQL and updateTicketSQL write a ticket row, its history
// and its outbox row in one statement. Their named parameters (pgx's
// @name) are the row's columns from ticketArgs and the history's.
const createTicketSQL = `
WITH ok AS (
    SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM desk_tickets WHERE desk = @desk AND id = @id)
               AND NOT EXISTS (SELECT 1 FROM desk_ticket_events WHERE desk = @desk AND id = ANY(@event_ids::uuid[]))
), n AS (
    INSERT INTO desk_ticket_numbers AS c (desk, last) SELECT @desk, 1 FROM ok
    ON CONFLICT (desk) DO UPDATE SET last = c.last + 1
    RETURNING last
), t AS (
    INSERT INTO desk_tickets (id, desk, number, version, state, kind, owner, assignee, customer,
        complaint_class, complaint_severity, incomplete, next_due, received_at, updated_at, body, priority, tags, department)
    SELECT @id, @desk, n.last, @version, @state, @kind, @owner, @assignee, @customer, @complaint_class,
        @complaint_severity, @incomplete, @next_due, @received_at, @updated_at, @body, @priority, @tags, @department FROM n
    RETURNING id, number
), e AS (
    INSERT INTO desk_ticket_events (id, desk, ticket_id, seq, body)
    SELECT x.id, @desk, t.id, x.seq, x.body FROM t,
        unnest(@event_ids::uuid[], @event_seqs::bigint[], @event_bodies::text[]) AS x (id, seq, body)
    RETURNING id
), o AS (
    INSERT INTO desk_ticket_outbox (desk, event_id) SELECT @desk, @last_event FROM t
), g AS (
    INSERT INTO desk_ticket_tags (desk, number, tag) SELECT @desk, t.number, x.tag FROM t, unnest(@tag_list::text[]) AS x (tag)
    ON CONFLICT DO NOTHING
)
SELECT number FROM t`

// ticketArgs are the named parameters of t's row: its keys (columns
// with the same names) and its JSON body.
func ticketArgs(t *ticket.Ticket, body []byte) pgx.StrictNamedArgs {
	k := sqlstore.KeysOf(t)
	return pgx.StrictNamedArgs{
		"id": t.ID, "desk": t.Desk, "version": t.Version, "number": t.Number,
		"state": k.State, "kind": k.Kind, "owner": k.Owner, "assignee": k.Assignee, "customer": k.Customer,
		"complaint_class": k.Class, "complaint_severity": k.Severity, "incomplete": k.Incomplete,
		"next_due": k.NextDue, "received_at": k.Received, "updated_at": k.Updated, "body": string(body),
		"priority": k.Priority, "tags": k.Tags, "department": k.Department, "tag_list": nonNil(t.Tags),
	}
}

// Create implements ticket.Store.
func (s *Tickets) Create(ctx context.Context, t *ticket.Ticket, history []ticket.Event) error {
	if err := sqlstore.CheckHistory(t, history); err != nil {
		return err
	}
	body, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("postgres: encode ticket %s: %w", t.ID, err)
	}
	ids := make([]uuid.UUID, len(history))
	seqs := make([]int64, len(history))
	bodies := make([]string, len(history))
	for i, e := range history {
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("postgres: encode event %s: %w", e.ID, err)
		}
		ids[i], seqs[i], bodies[i] = e.ID, e.Seq, string(b)
	}
	args := ticketArgs(t, body)
	delete(args, "number") // the desk's next number, drawn in the statement
	args["event_ids"], args["event_seqs"], args["event_bodies"] = ids, seqs, bodies
	args["last_event"] = history[len(history)-1].ID
	var number int64
	err = s.db.QueryRow(ctx, createTicketSQL, args).Scan(&number)
	switch {
	case errors.Is(err, pgx.ErrNoRows), uniqueViolation(err):
		return sqlstore.TicketExists(t)
	case err != nil:
		return fmt.Errorf("postgres: create ticket %s: %w", t.ID, err)
	}
	t.Number = number
	return nil
}

const updateTicketSQL = `
WITH u AS (
    UPDATE desk_tickets SET version = @version, state = @state, kind = @kind, owner = @owner, assignee = @assignee,
        customer = @customer, complaint_class = @complaint_class, complaint_severity = @complaint_severity,
        incomplete = @incomplete, next_due = @next_due, received_at = @received_at, updated_at = @updated_at,
        body = @body, priority = @priority, tags = @tags, department = @department
    WHERE id = @id AND desk = @desk AND version = @version - 1 AND number = @number
      AND NOT EXISTS (SELECT 1 FROM desk_ticket_events WHERE desk = @desk AND id = @event_id)
    RETURNING id
), e AS (
    INSERT INTO desk_ticket_events (id, desk, ticket_id, seq, body)
    SELECT @event_id, @desk, u.id, @version, @event_body FROM u
    RETURNING id
), gone AS (
    DELETE FROM desk_ticket_tags WHERE desk = @desk AND number = @number AND tag <> ALL(@tag_list::text[]) AND EXISTS (SELECT 1 FROM u)
), g AS (
    INSERT INTO desk_ticket_tags (desk, number, tag) SELECT @desk, @number, x.tag FROM u, unnest(@tag_list::text[]) AS x (tag)
    ON CONFLICT DO NOTHING
)
INSERT INTO desk_ticket_outbox (desk, event_id) SELECT @desk, e.id FROM e`

// Update implements ticket.Store.
func (s *Tickets) Update(ctx context.Context, t *ticket.Ticket, ev ticket.Event) error {
	if err := sqlstore.CheckEvent(t, ev); err != nil {
		return err
	}
	body, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("postgres: encode ticket %s: %w", t.ID, err)
	}
	evBody, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("postgres: encode event %s: %w", ev.ID, err)
	}
	args := ticketArgs(t, body)
	args["event_id"], args["event_body"] = ev.ID, string(evBody)
	tag, err := s.db.Exec(ctx, updateTicketSQL, args)
	if uniqueViolation(err) {
		return sqlstore.EventExists(ev.ID)
	}
	if err != nil {
		return fmt.Errorf("postgres: update ticket %s: %w", t.ID, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return sqlstore.TicketNotWritten(ctx, executor{s.db}, sqlstore.Dollar, t.ID, t)
}

// Redact implements ticket.Store. It runs in a transaction (a savepoint
// inside a caller's transaction): the events are checked first, and a
// refused redaction writes nothing.
func (s *Tickets) Redact(ctx context.Context, t *ticket.Ticket, history []ticket.Event, ev ticket.Event) error {
	if err := sqlstore.CheckEvent(t, ev); err != nil {
		return err
	}
	ids := make([]uuid.UUID, len(history))
	notes := make([]string, len(history))
	datas := make([]string, len(history))
	categories := make([]string, len(history))
	distinct := map[uuid.UUID]bool{}
	for i, e := range history {
		d, err := json.Marshal(e.Data)
		if err != nil {
			return fmt.Errorf("postgres: encode event %s: %w", e.ID, err)
		}
		ids[i], notes[i], datas[i], categories[i] = e.ID, e.Note, string(d), e.Category
		distinct[e.ID] = true
	}
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: redact ticket %s: %w", t.ID, err)
	}
	defer rollback(ctx, tx)
	var have int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM desk_ticket_events WHERE ticket_id = $1 AND desk = $2 AND id = ANY($3::uuid[])`,
		t.ID, t.Desk, ids).Scan(&have); err != nil {
		return fmt.Errorf("postgres: redact ticket %s: %w", t.ID, err)
	}
	if have != len(distinct) {
		if _, err := (&Tickets{db: tx}).Get(ctx, t.Desk, t.ID); err != nil {
			return err
		}
		return fmt.Errorf("%w: an event to redact is not in the history of ticket %s", ticket.ErrNotFound, t.ID)
	}
	if err := (&Tickets{db: tx}).Update(ctx, t, ev); err != nil {
		return err
	}
	if len(ids) > 0 {
		if _, err := tx.Exec(ctx, `
UPDATE desk_ticket_events AS e
SET body = (e.body::jsonb || jsonb_build_object('note', x.note, 'data', x.data, 'category', x.category))::text
FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $6::text[]) AS x (id, note, data, category)
WHERE e.desk = $5 AND e.id = x.id AND e.ticket_id = $4`, ids, notes, datas, t.ID, t.Desk, categories); err != nil {
			return fmt.Errorf("postgres: redact ticket %s: %w", t.ID, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: redact ticket %s: %w", t.ID, err)
	}
	return nil
}

func scanTicket(row pgx.Row) (*ticket.Ticket, error) {
	var number, version int64
	var body []byte
	if err := row.Scan(&number, &version, &body); err != nil {
		return nil, err
	}
	t := new(ticket.Ticket)
	if err := json.Unmarshal(body, t); err != nil {
		return nil, fmt.Errorf("postgres: decode ticket: %w", err)
	}
	t.Number, t.Version = number, version
	return t, nil
}

// Get implements ticket.Store.
func (s *Tickets) Get(ctx context.Context, desk string, id uuid.UUID) (*ticket.Ticket, error) {
	t, err := scanTicket(s.db.QueryRow(ctx, `SELECT number, version, body FROM desk_tickets WHERE id = $1 AND desk = $2`, id, desk))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: ticket %s", ticket.ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get ticket %s: %w", id, err)
	}
	return t, nil
}

// ByNumber implements ticket.Store.
func (s *Tickets) ByNumber(ctx context.Context, desk string, number int64) (*ticket.Ticket, error) {
	t, err := scanTicket(s.db.QueryRow(ctx, `SELECT number, version, body FROM desk_tickets WHERE desk = $1 AND number = $2`, desk, number))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: case number %d", ticket.ErrNotFound, number)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get case number %d: %w", number, err)
	}
	return t, nil
}

// List implements ticket.Store.
func (s *Tickets) List(ctx context.Context, desk string, f ticket.Filter) ([]*ticket.Ticket, error) {
	q, args := listSQL(desk, f)
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tickets: %w", err)
	}
	defer rows.Close()
	var out []*ticket.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: list tickets: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list tickets: %w", err)
	}
	return out, nil
}

// listSQL is the statement List runs for f, and its arguments.
func listSQL(desk string, f ticket.Filter) (string, []any) {
	w := sqlstore.TicketFilter(desk, f)
	q, args := "SELECT number, version, body FROM desk_tickets WHERE "+w.SQL()+" ORDER BY "+sqlstore.TicketOrder(f.Order), w.Args()
	if f.Limit > 0 {
		q, args = q+" LIMIT ?", append(args, f.Limit)
	}
	return sqlstore.Numbered(q), args
}

// History implements ticket.Store.
func (s *Tickets) History(ctx context.Context, desk string, id uuid.UUID) ([]ticket.Event, error) {
	rows, err := s.db.Query(ctx, `SELECT body FROM desk_ticket_events WHERE ticket_id = $1 AND desk = $2 ORDER BY seq`, id, desk)
	if err != nil {
		return nil, fmt.Errorf("postgres: history of ticket %s: %w", id, err)
	}
	out, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: history of ticket %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: ticket %s", ticket.ErrNotFound, id)
	}
	return out, nil
}

func scanEvents(rows pgx.Rows) ([]ticket.Event, error) {
	defer rows.Close()
	var out []ticket.Event
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var e ticket.Event
		if err := json.Unmarshal(body, &e); err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Pending implements ticket.Outbox: the events of the consumer's scope
// that have no acknowledgement row for (consumer, scope), in outbox
// order, read from the consumer's low-water mark on. There is no
// checkpoint on seq, so an event whose transaction committed after
// later-numbered ones were read is still delivered.
func (s *Tickets) Pending(ctx context.Context, consumer, desk string, limit int) ([]ticket.Event, error) {
	if consumer == "" {
		return nil, &ticket.InputError{Field: "consumer", Reason: "name the consumer"}
	}
	q := pendingDeskSQL
	if desk == "" {
		q = pendingAllSQL
	}
	rows, err := s.db.Query(ctx, q, consumer, desk, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("postgres: pending events for %s: %w", consumer, err)
	}
	out, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: pending events for %s: %w", consumer, err)
	}
	return out, nil
}

// The Pending queries of a desk consumer and of a system consumer
// (every desk), each with a plan on its own index.
var (
	pendingDeskSQL = pendingQuery("AND o.desk = $2")
	pendingAllSQL  = pendingQuery("AND $2 = ''")
)

func pendingQuery(scope string) string {
	return `
SELECT e.body FROM desk_ticket_outbox o JOIN desk_ticket_events e ON e.desk = o.desk AND e.id = o.event_id
WHERE o.xid >= coalesce((SELECT low FROM desk_ticket_consumers WHERE scope = $2 AND consumer = $1), '0'::xid8)
  ` + scope + `
  AND NOT EXISTS (SELECT 1 FROM desk_ticket_acks a WHERE a.desk = o.desk AND a.consumer = $1 AND a.scope = $2 AND a.event_id = o.event_id)
ORDER BY o.seq
LIMIT $3`
}

// The Ack statements of a desk consumer and of a system consumer
// (every desk), each with a plan on its own index (see ackQuery and
// advanceQuery).
var (
	ackDeskSQL, ackAllSQL         = ackQuery("desk = $2"), ackQuery("$2 = ''")
	advanceDeskSQL, advanceAllSQL = advanceQuery("o.desk = $2", "a.desk = $2"), advanceQuery("$2 = ''", "$2 = ''")
)

// ackQuery validates and records acknowledgements in one statement:
// either every ID is an event of the scope and all are acknowledged, or
// none.
func ackQuery(scope string) string {
	return `
WITH v AS (
    SELECT desk, event_id FROM desk_ticket_outbox WHERE ` + scope + ` AND event_id = ANY($3::uuid[])
), ins AS (
    INSERT INTO desk_ticket_acks (desk, consumer, scope, event_id)
    SELECT desk, $1, $2, event_id FROM v WHERE (SELECT count(*) FROM v) = $4
    ON CONFLICT DO NOTHING
)
SELECT count(*) FROM v`
}

// advanceQuery moves the consumer's low-water mark to the smallest xid
// that may still matter: no higher than the oldest transaction still
// running (pg_snapshot_xmin: every transaction below it has ended, so
// no row below it can appear later), and no higher than the oldest
// unacknowledged row of the scope. The mark never moves back. The ack
// rows below the new mark are pruned: the mark stands for them.
//
// The oldest unacknowledged row is the first one in xid order from the
// mark on (ORDER BY ... LIMIT 1, not min()): the scan stops there, so
// its cost follows the acknowledged rows the mark passes, not the
// unacknowledged tail behind them, which grows while a consumer lags.
// outboxScope and ackScope select the scope's outbox and ack rows.
func advanceQuery(outboxScope, ackScope string) string {
	return `
WITH cur AS (
    SELECT coalesce((SELECT low FROM desk_ticket_consumers WHERE scope = $2 AND consumer = $1), '0'::xid8) AS low,
           pg_snapshot_xmin(pg_current_snapshot()) AS horizon
), oldest AS (
    SELECT coalesce((
        SELECT o.xid FROM desk_ticket_outbox o
        WHERE ` + outboxScope + ` AND o.xid >= (SELECT low FROM cur)
          AND NOT EXISTS (SELECT 1 FROM desk_ticket_acks a
                          WHERE a.desk = o.desk AND a.consumer = $1 AND a.scope = $2 AND a.event_id = o.event_id)
        ORDER BY o.xid
        LIMIT 1), (SELECT horizon FROM cur)) AS xid
), up AS (
    INSERT INTO desk_ticket_consumers AS c (consumer, scope, low)
    SELECT $1, $2, least(cur.horizon, oldest.xid) FROM cur, oldest
    ON CONFLICT (scope, consumer) DO UPDATE SET low = greatest(c.low, excluded.low)
    RETURNING low
)
DELETE FROM desk_ticket_acks a USING desk_ticket_outbox o, up
WHERE a.consumer = $1 AND a.scope = $2 AND ` + ackScope + `
  AND o.desk = a.desk AND o.event_id = a.event_id AND o.xid < up.low`
}

// Ack implements ticket.Outbox. After recording the acknowledgements it
// advances the consumer's low-water mark, so Pending stays proportional
// to the unacknowledged tail, not to the whole outbox.
func (s *Tickets) Ack(ctx context.Context, consumer, desk string, ids ...uuid.UUID) error {
	if consumer == "" {
		return &ticket.InputError{Field: "consumer", Reason: "name the consumer"}
	}
	distinct := make([]uuid.UUID, 0, len(ids))
	seen := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			distinct = append(distinct, id)
		}
	}
	if len(distinct) == 0 {
		return nil
	}
	var found int
	ack, advance := ackDeskSQL, advanceDeskSQL
	if desk == "" {
		ack, advance = ackAllSQL, advanceAllSQL
	}
	if err := s.db.QueryRow(ctx, ack, consumer, desk, distinct, len(distinct)).Scan(&found); err != nil {
		return fmt.Errorf("postgres: ack events for %s: %w", consumer, err)
	}
	if found != len(distinct) {
		return fmt.Errorf("%w: %d of %d events are not in the outbox of scope %q", ticket.ErrNotFound, len(distinct)-found, len(distinct), desk)
	}
	if _, err := s.db.Exec(ctx, advance, consumer, desk); err != nil {
		return fmt.Errorf("postgres: ack events for %s: advance the low-water mark: %w", consumer, err)
	}
	return nil
}
