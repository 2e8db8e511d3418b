package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/servicedesk-go/desk/store"
	"github.com/servicedesk-go/desk/store/postgres"
)

// pgIntakeWriter writes a group of intakes in one round trip: each
// intake runs in its own goroutine with the library's PostgreSQL ticket
// store, on a connection (pipeDB) that holds the creating statement
// back until every intake of the group has either reached it or been
// refused; the statements then go to the server as one pgx batch. A
// batch outside a transaction block is one implicit transaction,
// committed at its end: all of the group or none of it.
func pgIntakeWriter(st *postgres.Store) IntakeWriter {
	return func(ctx context.Context, group []*intakeCall) ([]bool, error) {
		p := &pipeDB{open: len(group), all: make(chan struct{}), sent: make(chan struct{})}
		tickets := postgres.New(p).Tickets()
		members := make([]*pipeMember, len(group))
		var wg sync.WaitGroup
		for i, c := range group {
			m := &pipeMember{}
			members[i] = m
			mctx := context.WithValue(ctx, pipeKey{}, m)
			wg.Go(func() {
				c.t, c.err = c.svc.WithStore(tickets).Receive(mctx, c.by, c.in)
				p.leave(m)
			})
		}
		<-p.all
		var err error
		if len(p.rows) > 0 {
			b := &pgx.Batch{}
			for _, r := range p.rows {
				b.Queue(r.sql, r.args...).QueryRow(func(row pgx.Row) error {
					r.err, r.scanned = row.Scan(r.dest...), true
					return r.err
				})
			}
			err = st.DB().SendBatch(ctx, b).Close()
			if err != nil && pgconn.SafeToRetry(err) {
				err = fmt.Errorf("crm: intake group not sent: %w", err)
			} else if err != nil && !isServerError(err) {
				// Sent, but no answer: the group may have committed.
				err = &commitUnknownError{store.Unavailable(err)}
			}
		}
		p.mu.Lock()
		p.done = true
		close(p.sent)
		p.mu.Unlock()
		wg.Wait()
		stored := make([]bool, len(group))
		for i, m := range members {
			stored[i] = m.parked
			if m.parked && group[i].err != nil && err == nil {
				err = group[i].err // one intake's store error voids the group
			}
		}
		return stored, err
	}
}

// isServerError reports whether PostgreSQL answered the batch with an
// error: it then rolled the implicit transaction back.
func isServerError(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) || errors.Is(err, pgx.ErrNoRows)
}

// pipeDB is a postgres.DB whose QueryRow waits, in Scan, until every
// member of the group has either queued its statement or finished; the
// group's writer then sends them all in one batch. It serves only the
// one creating statement of each intake: anything else is refused, and
// the group is then written intake by intake.
type pipeDB struct {
	mu   sync.Mutex
	rows []*pipeRow
	open int           // members neither parked in Scan nor finished
	all  chan struct{} // closed when open reaches 0
	sent chan struct{} // closed when the batch ran
	done bool          // sent is closed
}

// errUngrouped is pipeDB's answer to a statement it does not group.
var errUngrouped = errors.New("crm: intake group: statement not groupable")

type pipeKey struct{}

// pipeMember is one intake's goroutine.
type pipeMember struct{ parked, left bool }

type pipeRow struct {
	p    *pipeDB
	m    *pipeMember
	sql  string
	args []any
	dest []any
	err  error
	// scanned is set by the batch once it read the statement's row.
	scanned bool
}

// leave marks a member that finished without (or after) its statement.
func (p *pipeDB) leave(m *pipeMember) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !m.parked && !m.left {
		m.left = true
		p.count()
	}
}

func (p *pipeDB) count() {
	p.open--
	if p.open == 0 {
		close(p.all)
	}
}

func (p *pipeDB) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	m, _ := ctx.Value(pipeKey{}).(*pipeMember)
	return &pipeRow{p: p, m: m, sql: sql, args: args}
}

func (r *pipeRow) Scan(dest ...any) error {
	p := r.p
	p.mu.Lock()
	if r.m == nil || r.m.parked || r.m.left || p.done {
		p.mu.Unlock()
		return errUngrouped
	}
	r.m.parked, r.dest = true, dest
	p.rows = append(p.rows, r)
	p.count()
	p.mu.Unlock()
	<-p.sent
	if r.err == nil && !r.scanned {
		// The batch failed before it reached this statement.
		return fmt.Errorf("%w: the batch did not reach it", errUngrouped)
	}
	return r.err
}

func (p *pipeDB) Exec(context.Context, string, ...any) (pgconn.CommandTag, error) {
	return pgconn.CommandTag{}, errUngrouped
}

func (p *pipeDB) Query(context.Context, string, ...any) (pgx.Rows, error) {
	return nil, errUngrouped
}

func (p *pipeDB) Begin(context.Context) (pgx.Tx, error) { return nil, errUngrouped }
