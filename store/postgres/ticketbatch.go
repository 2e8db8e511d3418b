package postgres

import (
	"context"
	"fmt"

	json "github.com/go-json-experiment/json/v1"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/store/sqlstore"
	"github.com/servicedesk-go/desk/ticket"
)

var _ ticket.BatchCreator = (*Tickets)(nil)

// createBatchSQL writes a batch of new tickets of one desk in one
// statement: it takes @count case numbers with one update of the desk's
// number row (T2: in the writing transaction, so without gaps) and
// inserts the tickets (one array per column, numbered in array order),
// every history, the outbox rows in array order and the tag rows. When
// a ticket or event ID is already stored it writes nothing and returns
// no row.
const createBatchSQL = `
WITH ok AS (
    SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM desk_tickets WHERE desk = @desk AND id = ANY(@ids::uuid[]))
               AND NOT EXISTS (SELECT 1 FROM desk_ticket_events WHERE desk = @desk AND id = ANY(@event_ids::uuid[]))
), n AS (
    INSERT INTO desk_ticket_numbers AS c (desk, last) SELECT @desk, @count FROM ok
    ON CONFLICT (desk) DO UPDATE SET last = c.last + @count
    RETURNING last - @count AS base
), t AS (
    INSERT INTO desk_tickets (id, desk, number, version, state, kind, owner, assignee, customer,
        complaint_class, complaint_severity, incomplete, next_due, received_at, updated_at, body, priority, tags, department)
    SELECT x.id, @desk, n.base + x.ord, x.version, x.state, x.kind, x.owner, x.assignee, x.customer, x.complaint_class,
        x.complaint_severity, x.incomplete, x.next_due, x.received_at, x.updated_at, x.body, x.priority, x.tags, x.department
    FROM n, unnest(@ids::uuid[], @versions::bigint[], @states::text[], @kinds::text[], @owners::text[], @assignees::text[],
            @customers::text[], @classes::text[], @severities::text[], @incompletes::boolean[], @next_dues::bigint[],
            @received::bigint[], @updated::bigint[], @bodies::text[], @priorities::text[], @tag_texts::text[],
            @departments::text[])
        WITH ORDINALITY AS x (id, version, state, kind, owner, assignee, customer, complaint_class, complaint_severity,
            incomplete, next_due, received_at, updated_at, body, priority, tags, department, ord)
    RETURNING id, number
), e AS (
    INSERT INTO desk_ticket_events (id, desk, ticket_id, seq, body)
    SELECT y.id, @desk, y.ticket_id, y.seq, y.body FROM n,
        unnest(@event_ids::uuid[], @event_tickets::uuid[], @event_seqs::bigint[], @event_bodies::text[]) AS y (id, ticket_id, seq, body)
), o AS (
    INSERT INTO desk_ticket_outbox (desk, event_id)
    SELECT @desk, z.id FROM n, unnest(@last_events::uuid[]) WITH ORDINALITY AS z (id, ord) ORDER BY z.ord
), g AS (
    INSERT INTO desk_ticket_tags (desk, number, tag)
    SELECT @desk, n.base + w.ord, w.tag FROM n, unnest(@tag_ords::bigint[], @tag_values::text[]) AS w (ord, tag)
    ON CONFLICT DO NOTHING
)
SELECT id, number FROM t`

// CreateBatch implements ticket.BatchCreator: the batch is one
// statement (createBatchSQL), atomic on its own and inside a caller's
// transaction alike. Create keeps its own statement (createTicketSQL):
// for one ticket it runs 10–25 % faster than the batch statement.
func (s *Tickets) CreateBatch(ctx context.Context, ts []*ticket.Ticket, histories [][]ticket.Event) error {
	if err := sqlstore.CheckBatch(ts, histories); err != nil {
		return err
	}
	if len(ts) == 0 {
		return ctx.Err()
	}
	args, err := batchArgs(ts, histories)
	if err != nil {
		return err
	}
	numbers, err := scanNumbers(s.db.Query(ctx, createBatchSQL, args))
	switch {
	case uniqueViolation(err), err == nil && len(numbers) == 0:
		return fmt.Errorf("%w: a ticket or event of the batch is already stored", ticket.ErrConflict)
	case err != nil:
		return fmt.Errorf("postgres: create %d tickets: %w", len(ts), err)
	case len(numbers) != len(ts):
		return fmt.Errorf("postgres: create %d tickets: %d rows written", len(ts), len(numbers))
	}
	for _, t := range ts {
		t.Number = numbers[t.ID]
	}
	return nil
}

// batchColumns are createBatchSQL's arrays: one per column of the
// tickets, of their events, of the outbox and of the tags.
type batchColumns struct {
	ids, lastEvents                             []uuid.UUID
	versions, received, updated                 []int64
	states, kinds, owners, assignees, customers []string
	bodies, priorities, tagTexts, departments   []string
	classes, severities                         []*string
	incompletes                                 []bool
	nextDues                                    []*int64
	eventIDs, eventTickets                      []uuid.UUID
	eventSeqs, tagOrds                          []int64
	eventBodies, tagValues                      []string
}

// add appends ticket t (the i-th of the batch, from 0) and its history.
func (c *batchColumns) add(i int, t *ticket.Ticket, history []ticket.Event) error {
	body, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("postgres: encode ticket %s: %w", t.ID, err)
	}
	k := sqlstore.KeysOf(t)
	c.ids, c.versions, c.bodies = append(c.ids, t.ID), append(c.versions, t.Version), append(c.bodies, string(body))
	c.states, c.kinds, c.owners = append(c.states, k.State), append(c.kinds, k.Kind), append(c.owners, k.Owner)
	c.assignees, c.customers = append(c.assignees, k.Assignee), append(c.customers, k.Customer)
	c.classes, c.severities = append(c.classes, k.Class), append(c.severities, k.Severity)
	c.incompletes, c.nextDues = append(c.incompletes, k.Incomplete), append(c.nextDues, k.NextDue)
	c.received, c.updated = append(c.received, k.Received), append(c.updated, k.Updated)
	c.priorities, c.tagTexts, c.departments = append(c.priorities, k.Priority), append(c.tagTexts, k.Tags), append(c.departments, k.Department)
	for _, tag := range t.Tags {
		c.tagOrds, c.tagValues = append(c.tagOrds, int64(i+1)), append(c.tagValues, tag)
	}
	for _, e := range history {
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("postgres: encode event %s: %w", e.ID, err)
		}
		c.eventIDs, c.eventTickets = append(c.eventIDs, e.ID), append(c.eventTickets, t.ID)
		c.eventSeqs, c.eventBodies = append(c.eventSeqs, e.Seq), append(c.eventBodies, string(b))
	}
	c.lastEvents = append(c.lastEvents, history[len(history)-1].ID)
	return nil
}

// batchArgs are createBatchSQL's parameters for the batch.
func batchArgs(ts []*ticket.Ticket, histories [][]ticket.Event) (pgx.StrictNamedArgs, error) {
	var c batchColumns
	for i, t := range ts {
		if err := c.add(i, t, histories[i]); err != nil {
			return nil, err
		}
	}
	return pgx.StrictNamedArgs{
		"desk": ts[0].Desk, "count": int64(len(ts)), "ids": c.ids, "versions": c.versions, "states": c.states,
		"kinds": c.kinds, "owners": c.owners, "assignees": c.assignees, "customers": c.customers, "classes": c.classes,
		"severities": c.severities, "incompletes": c.incompletes, "next_dues": c.nextDues, "received": c.received,
		"updated": c.updated, "bodies": c.bodies, "priorities": c.priorities, "tag_texts": c.tagTexts,
		"departments": c.departments, "event_ids": c.eventIDs, "event_tickets": c.eventTickets,
		"event_seqs": c.eventSeqs, "event_bodies": c.eventBodies, "last_events": c.lastEvents,
		"tag_ords": nonNil(c.tagOrds), "tag_values": nonNil(c.tagValues),
	}, nil
}

// nonNil is vs, or an empty slice for nil: an array parameter that is
// empty, not NULL, so that "tag <> ALL" holds for every stored tag of a
// ticket without tags and a batch without tags unnests to no rows.
func nonNil[T any](vs []T) []T {
	if vs == nil {
		return []T{}
	}
	return vs
}

// scanNumbers reads the (id, number) rows of createBatchSQL.
func scanNumbers(rows pgx.Rows, err error) (map[uuid.UUID]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[uuid.UUID]int64)
	for rows.Next() {
		var id uuid.UUID
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
