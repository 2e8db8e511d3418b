package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/ticket"
)

// The hand-written SQL below works on the adapter's table and writes
// what a Queue's completion writes, but is written here, not taken from
// the adapter: a single-statement claim with FOR UPDATE SKIP LOCKED per
// worker, and completions batched by one completer.

// zeroNanos is how the table stores "no time" (a released lease).
const zeroNanos = math.MinInt64

// sqlClaim leases the earliest ready task of the desk to one worker and
// returns its row.
const sqlClaim = `
UPDATE desk_followups SET status = 'claimed', version = version + 1, lease_owner = $3, lease_token = $4,
    lease_expires = $5, ready_at = $5, owner = $3, updated_at = $2
WHERE desk = $1 AND id = (
    SELECT id FROM desk_followups WHERE desk = $1 AND ready_at IS NOT NULL AND ready_at <= $2
    ORDER BY ready_at, due, id LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id, version, body`

// sqlComplete writes a batch of outcomes, each only while its lease is
// live: done, one more version, no longer ready, closed, the outcome's
// author as owner, the lease released, the body with the outcome.
const sqlComplete = `
UPDATE desk_followups AS f SET status = 'done', version = f.version + 1, ready_at = NULL, closed_at = x.at,
    updated_at = x.at, owner = x.owner, lease_owner = '', lease_token = NULL, lease_expires = $6, body = x.body
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $8::bigint[]) AS x (id, token, owner, body, at)
WHERE f.desk = $7 AND f.id = x.id AND f.status = 'claimed' AND f.lease_token = x.token AND f.lease_expires > $5
RETURNING f.id`

// sqlDone is one worker's completion waiting for the completer.
type sqlDone struct {
	id, token uuid.UUID
	owner     string
	body      string
	at        int64 // when the outcome was recorded
	err       chan error
}

// completer writes the completions sent to it: every completion queued
// while the previous batch was written goes in the next one, one
// statement and one commit, and each worker gets its own result.
func completer(ctx context.Context, p *pgxpool.Pool, in chan *sqlDone) {
	for first := range in {
		batch := []*sqlDone{first}
	drain:
		for {
			select {
			case d, ok := <-in:
				if !ok {
					break drain
				}
				batch = append(batch, d)
			default:
				break drain
			}
		}
		ids := make([]uuid.UUID, len(batch))
		tokens := make([]uuid.UUID, len(batch))
		owners := make([]string, len(batch))
		bodies := make([]string, len(batch))
		ats := make([]int64, len(batch))
		for i, d := range batch {
			ids[i], tokens[i], owners[i], bodies[i], ats[i] = d.id, d.token, d.owner, d.body, d.at
		}
		written := map[uuid.UUID]bool{}
		rows, err := p.Query(ctx, sqlComplete, ids, tokens, owners, bodies, time.Now().UnixNano(), int64(zeroNanos), desk, ats)
		if err == nil {
			for rows.Next() {
				var id uuid.UUID
				if err = rows.Scan(&id); err != nil {
					break
				}
				written[id] = true
			}
			rows.Close()
			if err == nil {
				err = rows.Err()
			}
		}
		for _, d := range batch {
			switch {
			case err != nil:
				d.err <- err
			case !written[d.id]:
				d.err <- fmt.Errorf("task %s: lease lost", d.id)
			default:
				d.err <- nil
			}
		}
	}
}

// withOutcome is a claimed task's body with a reached outcome by owner
// added, as a completion stores it.
func withOutcome(body []byte, owner string, at time.Time) (string, error) {
	o, err := json.Marshal(followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: owner, Role: ticket.RoleAgent}, At: at})
	if err != nil {
		return "", err
	}
	closed, err := json.Marshal(at)
	if err != nil {
		return "", err
	}
	if len(body) < 2 || body[len(body)-1] != '}' {
		return "", fmt.Errorf("body %q is no JSON object", body)
	}
	return fmt.Sprintf(`%s,"Attempts":1,"Outcome":%s,"Synced":true,"ClosedAt":%s}`, body[:len(body)-1], o, closed), nil
}

// sqlWork runs n follow-ups through the hand-written SQL: 8 workers,
// each claiming one task and waiting for its completion's commit, as
// queueWork's workers do. Creating them is not timed.
func sqlWork(tb testing.TB, s *postgres.Store, p *pgxpool.Pool, n int) time.Duration {
	ctx := context.Background()
	create(tb, s, tasks(n))
	in := make(chan *sqlDone, workers)
	go completer(ctx, p, in)
	defer close(in)
	return runWorkers(tb, n, func(w int) (int, error) {
		owner := fmt.Sprint("w", w)
		now := time.Now()
		d := &sqlDone{token: uuid.New(), owner: owner, err: make(chan error, 1)}
		var version int64
		var body []byte
		err := p.QueryRow(ctx, sqlClaim, desk, now.UnixNano(), owner, d.token, now.Add(15*time.Minute).UnixNano()).Scan(&d.id, &version, &body)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		at := time.Now()
		d.at = at.UnixNano()
		if d.body, err = withOutcome(body, owner, at); err != nil {
			return 0, err
		}
		in <- d
		return 1, <-d.err
	})
}

// BenchmarkClaimSQL: followup.Queue workers against the hand-written
// SQL of sqlWork, the same number of tasks, alternating rounds.
// tasks/s is the Queue's rate, sql-tasks/s the hand-written one's.
func BenchmarkClaimSQL(b *testing.B) {
	const n, rounds = 3000, 4
	s, p := deskStore(b)
	interleave(b, n, rounds, "sql-tasks/s",
		func() time.Duration { return queueWork(b, s, n) },
		func() time.Duration { return sqlWork(b, s, p, n) })
}

// TestSQLBaselineSameEffect: a task done by the hand-written SQL reads
// back through the adapter as a task done by the Queue does: done, at
// the same version, reached by its worker, closed, synced, its lease
// released.
func TestSQLBaselineSameEffect(t *testing.T) {
	s, p := deskStore(t)
	ctx := context.Background()
	const n = 16
	queueWork(t, s, n)
	sqlWork(t, s, p, n)
	done, err := s.Followups().List(ctx, desk, followup.Filter{Statuses: []followup.Status{followup.Done}})
	if err != nil || len(done) != 2*n {
		t.Fatalf("%d done, %v; want %d", len(done), err, 2*n)
	}
	type effect struct {
		Status          followup.Status
		Version         int64
		Attempts        int
		Result          followup.Result
		ByWorker, Lease bool
		Closed, Synced  bool
	}
	seen := map[effect]int{}
	for _, task := range done {
		e := effect{Status: task.Status, Version: task.Version, Attempts: task.Attempts, Lease: task.Lease != followup.Lease{},
			Closed: !task.ClosedAt.IsZero() && task.ClosedAt.Equal(task.UpdatedAt), Synced: task.Synced}
		if task.Outcome != nil {
			e.Result, e.ByWorker = task.Outcome.Result, len(task.Outcome.By.ID) > 1 && task.Outcome.By.ID[0] == 'w'
		}
		seen[e]++
	}
	want := effect{Status: followup.Done, Version: 3, Attempts: 1, Result: followup.Reached, ByWorker: true, Closed: true, Synced: true}
	if len(seen) != 1 || seen[want] != 2*n {
		t.Errorf("effects %+v, want all %+v", seen, want)
	}
}
