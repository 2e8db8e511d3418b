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
// worker, and one completer that writes the completions of a round in
// one statement and claims each completing worker's next task in the
// same transaction (one pipelined batch, one commit), as a Queue's
// CompleteAndClaim does.

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

// sqlTask is a task claimed by the hand-written SQL.
type sqlTask struct {
	id    uuid.UUID
	token uuid.UUID
	body  []byte
}

// sqlDone is one worker's completion waiting for the completer, with
// the claim of the worker's next task.
type sqlDone struct {
	id, token uuid.UUID
	owner     string
	body      string
	at        int64     // when the outcome was recorded
	next      uuid.UUID // the next claim's token
	res       chan sqlResult
}

// sqlResult is a completion's result and the worker's next task (nil
// when none was ready).
type sqlResult struct {
	next *sqlTask
	err  error
}

// sqlClaimOne claims one task for owner in its own statement (a worker's
// first claim); nil when none is ready.
func sqlClaimOne(ctx context.Context, p *pgxpool.Pool, owner string) (*sqlTask, error) {
	now := time.Now()
	t := &sqlTask{token: uuid.New()}
	var version int64
	err := p.QueryRow(ctx, sqlClaim, desk, now.UnixNano(), owner, t.token, now.Add(15*time.Minute).UnixNano()).Scan(&t.id, &version, &t.body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// completer writes the completions sent to it: every completion queued
// while the previous round was written goes in the next one, and a round
// short of one completion per worker waits for the rest at most as long
// as the previous round took (without it, 8 workers split into two
// halves that take turns). A round is one pipelined batch in one
// implicit transaction: the completions in one statement, then one claim
// per completing worker, one commit; each worker gets its own result and
// next task.
func completer(ctx context.Context, p *pgxpool.Pool, in chan *sqlDone) {
	var took time.Duration
	for first := range in {
		batch := []*sqlDone{first}
		wait := time.NewTimer(took)
	fill:
		for len(batch) < workers {
			select {
			case d, ok := <-in:
				if !ok {
					break fill
				}
				batch = append(batch, d)
			case <-wait.C:
				break fill
			}
		}
		wait.Stop()
		start := time.Now()
		ids := make([]uuid.UUID, len(batch))
		tokens := make([]uuid.UUID, len(batch))
		owners := make([]string, len(batch))
		bodies := make([]string, len(batch))
		ats := make([]int64, len(batch))
		for i, d := range batch {
			ids[i], tokens[i], owners[i], bodies[i], ats[i] = d.id, d.token, d.owner, d.body, d.at
		}
		now := time.Now()
		var round pgx.Batch
		round.Queue(sqlComplete, ids, tokens, owners, bodies, now.UnixNano(), int64(zeroNanos), desk, ats)
		for _, d := range batch {
			round.Queue(sqlClaim, desk, now.UnixNano(), d.owner, d.next, now.Add(15*time.Minute).UnixNano())
		}
		written := map[uuid.UUID]bool{}
		next := make([]*sqlTask, len(batch))
		br := p.SendBatch(ctx, &round)
		rows, err := br.Query()
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
		for i, d := range batch {
			if err != nil {
				break
			}
			t := &sqlTask{token: d.next}
			var version int64
			switch e := br.QueryRow().Scan(&t.id, &version, &t.body); {
			case errors.Is(e, pgx.ErrNoRows):
			case e != nil:
				err = e
			default:
				next[i] = t
			}
		}
		if cerr := br.Close(); err == nil {
			err = cerr // the commit's result
		}
		took = time.Since(start)
		for i, d := range batch {
			switch {
			case err != nil:
				d.res <- sqlResult{err: err}
			case !written[d.id]:
				d.res <- sqlResult{next: next[i], err: fmt.Errorf("task %s: lease lost", d.id)}
			default:
				d.res <- sqlResult{next: next[i]}
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
// each holding one task at a time and waiting for its completion's
// commit, which also claims its next task, as queueWork's workers do.
// Creating them is not timed.
func sqlWork(tb testing.TB, s *postgres.Store, p *pgxpool.Pool, n int) time.Duration {
	ctx := context.Background()
	create(tb, s, tasks(n))
	in := make(chan *sqlDone, workers)
	go completer(ctx, p, in)
	defer close(in)
	held := make([]*sqlTask, workers) // worker w's claimed task; only w touches held[w]
	return runWorkers(tb, n, func(w int) (int, error) {
		owner := fmt.Sprint("w", w)
		if held[w] == nil {
			t, err := sqlClaimOne(ctx, p, owner)
			if err != nil || t == nil {
				return 0, err
			}
			held[w] = t
		}
		t := held[w]
		at := time.Now()
		d := &sqlDone{id: t.id, token: t.token, owner: owner, at: at.UnixNano(), next: uuid.New(), res: make(chan sqlResult, 1)}
		var err error
		if d.body, err = withOutcome(t.body, owner, at); err != nil {
			return 0, err
		}
		in <- d
		r := <-d.res
		held[w] = r.next
		if r.err != nil {
			return 0, r.err
		}
		return 1, nil
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
