package postgres

import (
	"context"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/store/sqlstore"
)

// newRosters returns the roster.Store on PostgreSQL: the shared one of
// store/sqlstore in PostgreSQL's dialect, inserting a batch in one
// statement.
func newRosters(db DB) *sqlstore.Rosters {
	return sqlstore.NewRosters(sqlstore.RosterDialect{
		Name: "postgres", DB: executor{db}, Bind: sqlstore.Dollar,
		ID:    func(id uuid.UUID) any { return id },
		Agent: `agent COLLATE "C"`,
		Insert: func(ctx context.Context, rows []sqlstore.RosterRow) (bool, error) {
			return insertRosterRows(ctx, db, rows)
		},
	})
}

const insertRosterSQL = `INSERT INTO desk_roster (id, desk, kind, start_at, end_at, agent, requested_at, version, body)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::bigint[], $8::bigint[], $9::jsonb[])
ON CONFLICT DO NOTHING`

// insertRosterRows adds rows in one statement, all or none: it reports
// false when an ID is taken.
func insertRosterRows(ctx context.Context, db DB, rows []sqlstore.RosterRow) (bool, error) {
	n := len(rows)
	ids, desks, kinds, agents := make([]uuid.UUID, n), make([]string, n), make([]string, n), make([]string, n)
	starts, ends, reqs, versions := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	bodies := make([]string, n)
	for i, r := range rows {
		ids[i], desks[i], kinds[i], agents[i] = r.ID, r.Desk, r.Kind, r.Agent
		starts[i], ends[i], reqs[i], versions[i], bodies[i] = r.Start, r.End, r.Requested, r.Version, string(r.Body)
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer rollback(ctx, tx)
	tag, err := tx.Exec(ctx, insertRosterSQL, ids, desks, kinds, starts, ends, agents, reqs, versions, bodies)
	if uniqueViolation(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if tag.RowsAffected() != int64(n) {
		return false, nil // rolled back: all or none
	}
	return true, tx.Commit(ctx)
}
