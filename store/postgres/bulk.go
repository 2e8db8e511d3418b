package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/sqlstore"
)

var _ followup.BatchCreator = (*Followups)(nil)

// CreateBatch implements followup.BatchCreator: one multi-row INSERT of
// every task (unnest of one array per column), ON CONFLICT DO NOTHING, so
// a task already stored is a *followup.DuplicateError of its own and
// the others are created.
func (s *Followups) CreateBatch(ctx context.Context, ts []*followup.Task) (errs []error, err error) {
	errs = make([]error, len(ts))
	n := len(ts)
	ids := make([]uuid.UUID, 0, n)
	desks := make([]string, 0, n)
	statuses := make([]string, 0, n)
	roles := make([]string, 0, n)
	readies := make([]*int64, 0, n)
	dues := make([]int64, 0, n)
	tickets := make([]*uuid.UUID, 0, n)
	rules := make([]string, 0, n)
	subjects := make([]string, 0, n)
	owners := make([]string, 0, n)
	closeds := make([]int64, 0, n)
	updateds := make([]int64, 0, n)
	leaseOwners := make([]string, 0, n)
	leaseTokens := make([]*uuid.UUID, 0, n)
	leaseExpires := make([]int64, 0, n)
	bodies := make([]string, 0, n)
	index := make(map[uuid.UUID]int, n)
	for i, t := range ts {
		if err := sqlstore.CheckNew(t); err != nil {
			errs[i] = err
			continue
		}
		if _, dup := index[t.ID]; dup {
			errs[i] = &followup.DuplicateError{Task: t.ID}
			continue
		}
		stored := t.Clone()
		stored.Version = 1
		body, err := json.Marshal(stored)
		if err != nil {
			return nil, fmt.Errorf("postgres: encode task %s: %w", t.ID, err)
		}
		c := sqlstore.TaskColumnsOf(stored)
		index[t.ID] = i
		ids, desks, statuses, roles = append(ids, t.ID), append(desks, t.Desk), append(statuses, c.Status), append(roles, c.Role)
		readies, dues, tickets = append(readies, c.Ready), append(dues, c.Due), append(tickets, c.Ticket)
		rules, subjects, owners = append(rules, c.Rule), append(subjects, c.Subject), append(owners, c.Owner)
		closeds, updateds = append(closeds, c.Closed), append(updateds, c.Updated)
		leaseOwners, leaseTokens, leaseExpires = append(leaseOwners, c.LeaseOwner), append(leaseTokens, c.LeaseToken), append(leaseExpires, c.LeaseExpires)
		bodies = append(bodies, string(body))
	}
	if len(ids) == 0 {
		return errs, nil
	}
	rows, err := s.db.Query(ctx, `
INSERT INTO desk_followups (id, desk, version, status, role, ready_at, due, ticket_id, rule, subject, owner,
    closed_at, updated_at, lease_owner, lease_token, lease_expires, body)
SELECT id, desk, 1, status, role, ready_at, due, ticket_id, rule, subject, owner,
    closed_at, updated_at, lease_owner, lease_token, lease_expires, body
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::uuid[], $8::text[],
            $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::text[], $14::uuid[], $15::bigint[], $16::jsonb[])
     AS x (id, desk, status, role, ready_at, due, ticket_id, rule, subject, owner,
           closed_at, updated_at, lease_owner, lease_token, lease_expires, body)
ON CONFLICT DO NOTHING
RETURNING id`, ids, desks, statuses, roles, readies, dues, tickets, rules, subjects, owners,
		closeds, updateds, leaseOwners, leaseTokens, leaseExpires, bodies)
	if err != nil {
		return nil, fmt.Errorf("postgres: create %d tasks: %w", len(ids), err)
	}
	created := make(map[uuid.UUID]bool, len(ids))
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: create %d tasks: %w", len(ids), err)
		}
		created[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: create %d tasks: %w", len(ids), err)
	}
	for id, i := range index {
		if created[id] {
			ts[i].Version = 1
		} else {
			errs[i] = &followup.DuplicateError{Task: id}
		}
	}
	return errs, nil
}
