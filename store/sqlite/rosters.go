package sqlite

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/store/sqlstore"
)

// newRosters returns the roster.Store on SQLite: the shared one of
// store/sqlstore in SQLite's dialect, inserting a batch row by row in
// one transaction (SQLite has one writer at a time).
func newRosters(s *Store) *sqlstore.Rosters {
	return sqlstore.NewRosters(sqlstore.RosterDialect{
		Name: "sqlite", DB: executor{s.db}, Bind: sqlstore.Question,
		ID:    func(id uuid.UUID) any { return id.String() },
		Agent: `agent`, // TEXT compares by bytes (BINARY collation)
		Insert: func(ctx context.Context, rows []sqlstore.RosterRow) (bool, error) {
			return s.insertRosterRows(ctx, rows)
		},
	})
}

var errTaken = errors.New("id taken")

// insertRosterRows adds rows, all or none: it reports false when an ID
// is taken.
func (s *Store) insertRosterRows(ctx context.Context, rows []sqlstore.RosterRow) (bool, error) {
	taken := false
	err := s.atomic(ctx, func(db DB) error {
		for _, r := range rows {
			res, err := db.ExecContext(ctx, `INSERT INTO desk_roster (id, desk, kind, start_at, end_at, agent, requested_at, version, body)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				r.ID.String(), r.Desk, r.Kind, r.Start, r.End, r.Agent, r.Requested, r.Version, string(r.Body))
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				taken = err == nil
				return errors.Join(err, errTaken)
			}
		}
		return nil
	})
	if taken {
		return false, nil
	}
	return err == nil, err
}
