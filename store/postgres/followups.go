package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/sqlstore"
)

// Followups is the followup.Store on PostgreSQL. Claims lock the rows
// they take with FOR UPDATE SKIP LOCKED, in one statement per batch, so
// several processes claim from one table without waiting on each other
// and without taking a task twice; a lease that runs out makes the task
// ready again (its ready_at is the lease expiry).
type Followups struct{ db DB }

var _ followup.Store = (*Followups)(nil)

// scanTask reads a sqlstore.TaskSelect row.
func scanTask(scan func(...any) error) (*followup.Task, error) {
	var r sqlstore.TaskRow
	if err := scan(&r.Version, &r.Status, &r.Role, &r.Updated, &r.LeaseOwner, &r.Token, &r.Expires, &r.Body); err != nil {
		return nil, err
	}
	return r.Task()
}

// Create implements followup.Store.
func (s *Followups) Create(ctx context.Context, t *followup.Task) error {
	if err := sqlstore.CheckNew(t); err != nil {
		return err
	}
	c, body, err := sqlstore.Created(t)
	if err != nil {
		return fmt.Errorf("postgres: encode task %s: %w", t.ID, err)
	}
	tag, err := s.db.Exec(ctx, `
INSERT INTO desk_followups (id, desk, version, status, role, ready_at, due, ticket_id, rule, subject, owner,
    closed_at, updated_at, lease_owner, lease_token, lease_expires, body)
VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
ON CONFLICT DO NOTHING`,
		t.ID, t.Desk, c.Status, c.Role, c.Ready, c.Due, c.Ticket, c.Rule, c.Subject, c.Owner,
		c.Closed, c.Updated, c.LeaseOwner, c.LeaseToken, c.LeaseExpires, body)
	if err != nil {
		return fmt.Errorf("postgres: create task %s: %w", t.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return &followup.DuplicateError{Task: t.ID}
	}
	t.Version = 1
	return nil
}

// Get implements followup.Store.
func (s *Followups) Get(ctx context.Context, desk string, id uuid.UUID) (*followup.Task, error) {
	t, err := scanTask(s.db.QueryRow(ctx, sqlstore.TaskSelect+`WHERE id = $1 AND desk = $2`, id, desk).Scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: task %s", followup.ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get task %s: %w", id, err)
	}
	return t, nil
}

// claimSQL takes ready tasks for one or more claims in one statement:
// the first $4 ready tasks in queue order, ranked, claim i taking the
// ranks after $8[i] up to $9[i] under its own owner, token and lease
// expiry. SKIP LOCKED passes over rows another claimer has locked; the
// re-check of ready_at in the UPDATE guards against a row that changed
// between the scan and the lock.
//
// There are two variants, for a claim of any role and of one role, so
// that each has a plan that walks its own index in queue order.
var claimSQL = claimQuery("")

var claimRoleSQL = claimQuery("AND role = $3")

func claimQuery(role string) string {
	if role == "" {
		role = "AND $3 = ''"
	}
	return `
WITH c AS (
    SELECT id, ready_at AS was_ready, due FROM desk_followups
    WHERE desk = $1 AND ready_at IS NOT NULL AND ready_at <= $2 ` + role + `
    ORDER BY ready_at, due, id
    LIMIT $4
    FOR UPDATE SKIP LOCKED
), n AS (
    SELECT id, was_ready, row_number() OVER (ORDER BY was_ready, due, id) AS rank FROM c
)
UPDATE desk_followups AS f
SET status = 'claimed', version = f.version + 1, lease_owner = w.owner, lease_token = w.token,
    lease_expires = w.expires, ready_at = w.expires, owner = w.owner, updated_at = $2
FROM n JOIN unnest($5::text[], $6::uuid[], $7::bigint[], $8::bigint[], $9::bigint[]) WITH ORDINALITY
            AS w (owner, token, expires, after, upto, k)
       ON n.rank > w.after AND n.rank <= w.upto
WHERE f.desk = $1 AND f.id = n.id AND f.ready_at <= $2
RETURNING w.k, n.was_ready, f.due, f.version, f.status, f.role, f.updated_at, f.lease_owner, f.lease_token,
    f.lease_expires, CAST(f.body AS text)`
}

// Claim implements followup.Store.
func (s *Followups) Claim(ctx context.Context, desk string, c followup.Claim) ([]*followup.Task, error) {
	if err := sqlstore.CheckClaim(c); err != nil {
		return nil, err
	}
	st, args := claimStatement(desk, []followup.Claim{c})
	rows, err := s.db.Query(ctx, st, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim tasks of %s: %w", desk, err)
	}
	got, err := scanClaimed(rows, 1)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim tasks of %s: %w", desk, err)
	}
	return got[0], nil
}

// claimStatement is the statement and arguments that serve cs, claims
// of one role at one time, in order.
func claimStatement(desk string, cs []followup.Claim) (string, []any) {
	owners := make([]string, len(cs))
	tokens := make([]uuid.UUID, len(cs))
	expires := make([]int64, len(cs))
	after := make([]int64, len(cs))
	upto := make([]int64, len(cs))
	var n int64
	for i, c := range cs {
		owners[i], tokens[i], expires[i] = c.Owner, c.Token, sqlstore.Nanos(c.Now.Add(c.For))
		after[i] = n
		// Saturating: limits that add up beyond int64 (claims for
		// everything) must not wrap into a negative LIMIT that fails the
		// whole round, the other workers' completions with it.
		n += min(int64(max(c.Limit, 1)), math.MaxInt64-n)
		upto[i] = n
	}
	st := claimSQL
	if cs[0].Role != "" {
		st = claimRoleSQL
	}
	return st, []any{desk, sqlstore.Nanos(cs[0].Now), string(cs[0].Role), n, owners, tokens, expires, after, upto}
}

// scanClaimed reads the rows of a claim statement serving n claims, each
// claim's tasks in the queue's order, and closes them.
func scanClaimed(rows pgx.Rows, n int) ([][]*followup.Task, error) {
	defer rows.Close()
	type claimed struct {
		ready, due int64
		t          *followup.Task
	}
	got := make([][]claimed, n)
	for rows.Next() {
		var k int64
		var cl claimed
		var rest sqlstore.TaskRow
		if err := rows.Scan(&k, &cl.ready, &cl.due, &rest.Version, &rest.Status, &rest.Role, &rest.Updated,
			&rest.LeaseOwner, &rest.Token, &rest.Expires, &rest.Body); err != nil {
			return nil, err
		}
		if k < 1 || k > int64(n) {
			return nil, fmt.Errorf("claim %d of %d", k, n)
		}
		var err error
		if cl.t, err = rest.Task(); err != nil {
			return nil, err
		}
		got[k-1] = append(got[k-1], cl)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([][]*followup.Task, n)
	for i, g := range got {
		// RETURNING has no order: restore the queue's.
		slices.SortFunc(g, func(a, b claimed) int {
			return cmp.Or(cmp.Compare(a.ready, b.ready), cmp.Compare(a.due, b.due), slices.Compare(a.t.ID[:], b.t.ID[:]))
		})
		out[i] = make([]*followup.Task, len(g))
		for j, cl := range g {
			out[i][j] = cl.t
		}
	}
	return out, nil
}

// completeSQL writes the outcome only while the caller's lease is live:
// the lease check and the write are one statement. The task keeps its
// stored role, as in MemStore.
const completeSQL = `
UPDATE desk_followups
SET version = version + 1, status = $5, ready_at = $6, due = $7, ticket_id = $8, rule = $9, subject = $10,
    owner = $11, closed_at = $12, updated_at = $13, lease_owner = '', lease_token = NULL,
    lease_expires = $14, body = $15
WHERE id = $1 AND desk = $2 AND status = 'claimed' AND lease_owner = $3 AND lease_token = $4 AND lease_expires > $16
RETURNING version`

// Complete implements followup.Store.
func (s *Followups) Complete(ctx context.Context, t *followup.Task, held followup.Lease, now time.Time) error {
	if err := sqlstore.CheckTask(t); err != nil {
		return err
	}
	if t.Status == followup.Claimed {
		return &followup.InputError{Field: "task status", Reason: fmt.Sprintf("task %s: a completion leaves the task final or pending, not claimed", t.ID)}
	}
	c, body, err := sqlstore.Completed(t)
	if err != nil {
		return fmt.Errorf("postgres: encode task %s: %w", t.ID, err)
	}
	var version int64
	err = s.db.QueryRow(ctx, completeSQL, t.ID, t.Desk, held.Owner, held.Token, c.Status, c.Ready, c.Due, c.Ticket,
		c.Rule, c.Subject, c.Owner, c.Closed, c.Updated, c.LeaseExpires, body, sqlstore.Nanos(now)).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		cur, gerr := s.Get(ctx, t.Desk, t.ID)
		if gerr != nil {
			return gerr
		}
		if lerr := sqlstore.CheckLease(cur, held, now); lerr != nil {
			return lerr
		}
		// The lease was live when read again: the row changed between
		// the two statements. Report it as lost; the caller reclaims.
		return &followup.LeaseError{Task: t.ID, Owner: held.Owner, Holder: cur.Lease.Owner, Status: cur.Status}
	}
	if err != nil {
		return fmt.Errorf("postgres: complete task %s: %w", t.ID, err)
	}
	t.Version = version
	t.Lease = followup.Lease{}
	return nil
}

// Completion is one entry of a batch: the task after its outcome, the
// lease it was claimed under (followup.Completion).
type Completion = followup.Completion

// Followups groups completions: followup.Queue batches the completions
// of concurrent workers through CompleteBatch.
var _ followup.BatchCompleter = (*Followups)(nil)

// CompleteBatch records many outcomes in one transaction and one round
// trip, each under the same rule as Complete: a completion whose lease
// is not live at now is refused with its *followup.LeaseError (or
// ErrNotFound) in errs[i] and changes nothing, while the others are
// written; one with a Version is also refused, with ErrConflict, when
// the task is at another version. When CompleteBatch returns a nil error
// every entry with a nil errs[i] is durable (committed); on a non-nil
// error nothing is.
func (s *Followups) CompleteBatch(ctx context.Context, items []Completion, now time.Time) (errs []error, err error) {
	_, errs, err = s.WorkBatch(ctx, "", nil, items, now)
	return errs, err
}

// Followups serves a queue's rounds: followup.Queue sends the claims and
// completions of its workers together through WorkBatch.
var _ followup.BatchWorker = (*Followups)(nil)

// completeBatchSQL writes a batch of outcomes, each only while its lease
// is live at $16 and, with a version, while the task is at it.
const completeBatchSQL = `
UPDATE desk_followups AS f
SET version = f.version + 1, status = x.status, ready_at = x.ready, due = x.due, ticket_id = x.ticket,
    rule = x.rule, subject = x.subject, owner = x.owner, closed_at = x.closed, updated_at = x.updated,
    lease_owner = '', lease_token = NULL, lease_expires = $15, body = x.body
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::bigint[], $7::bigint[], $8::uuid[],
            $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[], $14::text[], $17::bigint[])
     AS x (id, desk, lease_owner, lease_token, status, ready, due, ticket, rule, subject, owner, closed, updated, body, version)
WHERE f.desk = x.desk AND f.id = x.id AND f.status = 'claimed' AND f.lease_owner = x.lease_owner
  AND f.lease_token = x.lease_token AND f.lease_expires > $16 AND (x.version = 0 OR f.version = x.version)
RETURNING f.id, f.version`

// completions holds a batch of outcomes as the arguments of
// completeBatchSQL; index maps a task to its entry, errs holds the
// entries refused before the statement.
type completions struct {
	args  []any
	index map[uuid.UUID]int
	errs  []error
}

func completionsOf(items []Completion, now time.Time) (*completions, error) {
	n := len(items)
	c := &completions{index: make(map[uuid.UUID]int, n), errs: make([]error, n)}
	ids := make([]uuid.UUID, n)
	desks := make([]string, n)
	owners := make([]string, n)
	tokens := make([]uuid.UUID, n)
	statuses := make([]string, n)
	readies := make([]*int64, n)
	dues := make([]int64, n)
	tickets := make([]*uuid.UUID, n)
	rules := make([]string, n)
	subjects := make([]string, n)
	ownerCols := make([]string, n)
	closeds := make([]int64, n)
	updateds := make([]int64, n)
	bodies := make([]string, n)
	versions := make([]int64, n)
	for i, it := range items {
		t := it.Task
		switch {
		case t == nil:
			c.errs[i] = &followup.InputError{Field: "task", Reason: "nil task"}
			continue
		case t.Status == followup.Claimed:
			c.errs[i] = &followup.InputError{Field: "task status", Reason: fmt.Sprintf("task %s: a completion leaves the task final or pending, not claimed", t.ID)}
			continue
		}
		if err := sqlstore.CheckTask(t); err != nil {
			c.errs[i] = err
			continue
		}
		if _, dup := c.index[t.ID]; dup {
			c.errs[i] = &followup.InputError{Field: "task", Reason: fmt.Sprintf("task %s twice in one batch", t.ID)}
			continue
		}
		cols, body, err := sqlstore.Completed(t)
		if err != nil {
			return nil, fmt.Errorf("postgres: encode task %s: %w", t.ID, err)
		}
		c.index[t.ID] = i
		ids[i], desks[i], owners[i], tokens[i] = t.ID, t.Desk, it.Held.Owner, it.Held.Token
		statuses[i], readies[i], dues[i], tickets[i] = cols.Status, cols.Ready, cols.Due, cols.Ticket
		rules[i], subjects[i], ownerCols[i], closeds[i], updateds[i] = cols.Rule, cols.Subject, cols.Owner, cols.Closed, cols.Updated
		bodies[i], versions[i] = string(body), it.Version
	}
	c.args = []any{ids, desks, owners, tokens, statuses, readies, dues, tickets, rules, subjects,
		ownerCols, closeds, updateds, bodies, int64(sqlstore.ZeroNanos), sqlstore.Nanos(now), versions}
	return c, nil
}

// settle reads the rows completeBatchSQL returned and gives every entry
// it did not write its reason, reading the stored task.
func (s *Followups) settle(ctx context.Context, c *completions, items []Completion, written map[uuid.UUID]int64, now time.Time) {
	for id, i := range c.index {
		if v, ok := written[id]; ok {
			items[i].Task.Version = v
			items[i].Task.Lease = followup.Lease{}
			continue
		}
		cur, err := s.Get(ctx, items[i].Task.Desk, id)
		switch {
		case err != nil:
			c.errs[i] = err
		case sqlstore.CheckLease(cur, items[i].Held, now) != nil:
			c.errs[i] = sqlstore.CheckLease(cur, items[i].Held, now)
		case items[i].Version != 0 && cur.Version != items[i].Version:
			c.errs[i] = fmt.Errorf("%w: task %s is at version %d, not %d; it changed since it was read", followup.ErrConflict, id, cur.Version, items[i].Version)
		default:
			// The lease was live when read again: the row changed between
			// the two statements. Report it as lost; the caller reclaims.
			c.errs[i] = &followup.LeaseError{Task: id, Owner: items[i].Held.Owner, Holder: cur.Lease.Owner, Status: cur.Status}
		}
	}
}

// batchSender is a DB that pipelines statements (a pool, a connection
// or a transaction of pgx).
type batchSender interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// WorkBatch implements followup.BatchWorker: the completions (one
// statement) and the claims (one statement each) go in one pipelined
// round trip and one transaction, so a round of a queue's workers costs
// one commit. Entries that are refused are then explained one by one.
func (s *Followups) WorkBatch(ctx context.Context, desk string, claims []followup.Claim, done []Completion, now time.Time) (claimed [][]*followup.Task, errs []error, err error) {
	for _, c := range claims {
		if err := sqlstore.CheckClaim(c); err != nil {
			return nil, nil, err
		}
	}
	var c *completions
	if len(done) > 0 {
		if c, err = completionsOf(done, now); err != nil {
			return nil, nil, err
		}
	}
	if len(claims) == 0 && (c == nil || len(c.index) == 0) {
		if c == nil {
			return nil, make([]error, len(done)), nil
		}
		return nil, c.errs, nil
	}
	b := &pgx.Batch{}
	if c != nil && len(c.index) > 0 {
		b.Queue(completeBatchSQL, c.args...)
	}
	// The claims of one role at one time share a statement.
	type claimGroup struct {
		at []int // the claims' places in claims
		cs []followup.Claim
	}
	var groups []*claimGroup
	for i, cl := range claims {
		var g *claimGroup
		for _, h := range groups {
			if h.cs[0].Role == cl.Role && h.cs[0].Now.Equal(cl.Now) {
				g = h
				break
			}
		}
		if g == nil {
			g = &claimGroup{}
			groups = append(groups, g)
		}
		g.at, g.cs = append(g.at, i), append(g.cs, cl)
	}
	for _, g := range groups {
		st, args := claimStatement(desk, g.cs)
		b.Queue(st, args...)
	}
	written := make(map[uuid.UUID]int64, len(done))
	claimed = make([][]*followup.Task, len(claims))
	run := func(bs batchSender) error {
		br := bs.SendBatch(ctx, b)
		if c != nil && len(c.index) > 0 {
			rows, err := br.Query()
			if err != nil {
				br.Close()
				return err
			}
			for rows.Next() {
				var id uuid.UUID
				var v int64
				if err := rows.Scan(&id, &v); err != nil {
					rows.Close()
					br.Close()
					return err
				}
				written[id] = v
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				br.Close()
				return err
			}
		}
		for _, g := range groups {
			rows, err := br.Query()
			if err != nil {
				br.Close()
				return err
			}
			got, err := scanClaimed(rows, len(g.cs))
			if err != nil {
				br.Close()
				return err
			}
			for k, i := range g.at {
				claimed[i] = got[k]
			}
		}
		return br.Close()
	}
	if bs, ok := raw(s.db).(batchSender); ok {
		err = unavailable(run(bs))
	} else {
		err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error { return run(tx) })
	}
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: work batch of %s: %w", desk, err)
	}
	if c == nil {
		return claimed, nil, nil
	}
	s.settle(ctx, c, done, written, now)
	return claimed, c.errs, nil
}

// Update implements followup.Store.
func (s *Followups) Update(ctx context.Context, t *followup.Task) error {
	if err := sqlstore.CheckTask(t); err != nil {
		return err
	}
	next, c, body, err := sqlstore.Updated(t)
	if err != nil {
		return fmt.Errorf("postgres: encode task %s: %w", t.ID, err)
	}
	tag, err := s.db.Exec(ctx, `
UPDATE desk_followups
SET version = version + 1, status = $4, role = $5, ready_at = $6, due = $7, ticket_id = $8, rule = $9, subject = $10,
    owner = $11, closed_at = $12, updated_at = $13, lease_owner = $14, lease_token = $15, lease_expires = $16, body = $17
WHERE id = $1 AND desk = $2 AND version = $3`,
		t.ID, t.Desk, t.Version, c.Status, c.Role, c.Ready, c.Due, c.Ticket, c.Rule, c.Subject, c.Owner,
		c.Closed, c.Updated, c.LeaseOwner, c.LeaseToken, c.LeaseExpires, body)
	if err != nil {
		return fmt.Errorf("postgres: update task %s: %w", t.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return sqlstore.StaleUpdate(ctx, s.Get, t)
	}
	t.Version = next.Version
	return nil
}

// List implements followup.Store.
func (s *Followups) List(ctx context.Context, desk string, f followup.Filter) ([]*followup.Task, error) {
	return sqlstore.ListTasks(ctx, executor{s.db}, "postgres", sqlstore.Numbered, func(id uuid.UUID) any { return id }, scanTask, desk, f)
}
