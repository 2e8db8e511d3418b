package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
)

// Rosters is the roster.Store on SQLite.
type Rosters struct{ s *Store }

var _ roster.Store = (*Rosters)(nil)

const (
	kindAssignment = "assignment"
	kindSwap       = "swap"
	kindAway       = "away"
	kindDuty       = "duty"
)

func rosterBegin(ctx context.Context, desk string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if desk == "" {
		return &roster.InvalidError{Field: "desk", Reason: "empty desk"}
	}
	return nil
}

// rosterRow is one record as stored.
type rosterRow struct {
	id                    uuid.UUID
	desk, kind, agent     string
	start, end, requested int64
	version               int64
	body                  []byte
}

func assignmentRow(a roster.Assignment) (rosterRow, error) {
	b, err := json.Marshal(a)
	return rosterRow{id: a.ID, desk: a.Desk, kind: kindAssignment, agent: a.Agent,
		start: nanos(a.Start), end: nanos(a.End), requested: zeroNanos, body: b}, err
}

func dutyRow(d roster.Duty) (rosterRow, error) {
	b, err := json.Marshal(d)
	return rosterRow{id: d.ID, desk: d.Desk, kind: kindDuty, agent: d.Agent,
		start: nanos(d.Start), end: nanos(d.End), requested: zeroNanos, body: b}, err
}

func swapRow(s roster.Swap) (rosterRow, error) {
	b, err := json.Marshal(s)
	return rosterRow{id: s.ID, desk: s.Desk, kind: kindSwap, agent: s.From,
		start: nanos(s.SlotStart), end: nanos(s.SlotStart), requested: nanos(s.RequestedAt), version: s.Version, body: b}, err
}

func awayRow(a roster.Away) (rosterRow, error) {
	b, err := json.Marshal(a)
	end := int64(openNanos)
	if !a.Open() {
		end = nanos(a.Until)
	}
	return rosterRow{id: a.ID, desk: a.Desk, kind: kindAway, agent: a.Agent,
		start: nanos(a.From), end: end, requested: zeroNanos, version: a.Version, body: b}, err
}

// insert adds rows, all or none: it reports false when an ID is taken.
func (s *Rosters) insert(ctx context.Context, rows []rosterRow) (bool, error) {
	taken := false
	err := s.s.atomic(ctx, func(db DB) error {
		for _, r := range rows {
			res, err := db.ExecContext(ctx, `INSERT INTO desk_roster (id, desk, kind, start_at, end_at, agent, requested_at, version, body)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				r.id.String(), r.desk, r.kind, r.start, r.end, r.agent, r.requested, r.version, string(r.body))
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

var errTaken = errors.New("id taken")

// AddAssignments implements roster.Store.
func (s *Rosters) AddAssignments(ctx context.Context, desk string, as []roster.Assignment) error {
	if err := rosterBegin(ctx, desk); err != nil {
		return err
	}
	seen := make(map[uuid.UUID]bool, len(as))
	rows := make([]rosterRow, 0, len(as))
	for _, a := range as {
		if err := a.Validate(); err != nil {
			return err
		}
		if a.Desk != desk {
			return &roster.InvalidError{Field: "assignment.desk", Reason: fmt.Sprintf("assignment %s belongs to desk %q, not %q", a.ID, a.Desk, desk)}
		}
		if seen[a.ID] {
			return fmt.Errorf("assignment %s twice in one call: %w", a.ID, roster.ErrConflict)
		}
		seen[a.ID] = true
		r, err := assignmentRow(a)
		if err != nil {
			return fmt.Errorf("sqlite: encode assignment %s: %w", a.ID, err)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	ok, err := s.insert(ctx, rows)
	if err != nil {
		return fmt.Errorf("sqlite: add assignments: %w", err)
	}
	if !ok {
		return fmt.Errorf("an assignment ID is already stored: %w", roster.ErrConflict)
	}
	return nil
}

// one reads one record of a kind into v.
func (s *Rosters) one(ctx context.Context, desk, kind string, id uuid.UUID, v any) error {
	var body []byte
	var version int64
	err := s.s.db.QueryRowContext(ctx, `SELECT version, body FROM desk_roster WHERE id = ? AND desk = ? AND kind = ?`, id.String(), desk, kind).Scan(&version, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %s: %w", kind, id, roster.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlite: get %s %s: %w", kind, id, err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("sqlite: decode %s %s: %w", kind, id, err)
	}
	return nil
}

// list reads the records of a kind in the documented order; cond holds
// the span condition on $3 and $4 (from, to).
func list[T any](ctx context.Context, s *Rosters, desk, kind, cond, order string, from, to time.Time) ([]T, error) {
	if err := rosterBegin(ctx, desk); err != nil {
		return nil, err
	}
	rows, err := s.s.db.QueryContext(ctx, `SELECT body FROM desk_roster WHERE desk = ?1 AND kind = ?2 AND `+cond+` ORDER BY `+order,
		desk, kind, nanos(from), nanos(to))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list %ss: %w", kind, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("sqlite: list %ss: %w", kind, err)
		}
		var v T
		if err := json.Unmarshal(body, &v); err != nil {
			return nil, fmt.Errorf("sqlite: decode %s: %w", kind, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list %ss: %w", kind, err)
	}
	return out, nil
}

// Spans are half-open: overlapping [from, to) means start < to and end > from.
const (
	overlapCond = `start_at < ?4 AND end_at > ?3`
	byStart     = `start_at, agent, id`
)

// Assignment implements roster.Store.
func (s *Rosters) Assignment(ctx context.Context, desk string, id uuid.UUID) (roster.Assignment, error) {
	var a roster.Assignment
	if err := rosterBegin(ctx, desk); err != nil {
		return a, err
	}
	if err := s.one(ctx, desk, kindAssignment, id, &a); err != nil {
		return roster.Assignment{}, err
	}
	return a, nil
}

// Assignments implements roster.Store.
func (s *Rosters) Assignments(ctx context.Context, desk string, from, to time.Time) ([]roster.Assignment, error) {
	return list[roster.Assignment](ctx, s, desk, kindAssignment, overlapCond, byStart, from, to)
}

// save applies the versioning contract of swaps and away periods in one
// conditional statement.
func (s *Rosters) save(ctx context.Context, r rosterRow) (int64, error) {
	if err := rosterBegin(ctx, r.desk); err != nil {
		return 0, err
	}
	if r.version < 0 {
		return 0, &roster.InvalidError{Field: r.kind + ".version", Reason: fmt.Sprintf("negative version %d", r.version)}
	}
	next := r.version + 1
	var out error
	err := s.s.atomic(ctx, func(db DB) error {
		var have int64
		err := db.QueryRowContext(ctx, `SELECT version FROM desk_roster WHERE id = ? AND desk = ? AND kind = ?`,
			r.id.String(), r.desk, r.kind).Scan(&have)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		switch {
		case r.version == 0 && found:
			out = &roster.ConflictError{Kind: r.kind, ID: r.id.String(), Have: have}
		case r.version == 0:
			res, err := db.ExecContext(ctx, `INSERT INTO desk_roster (id, desk, kind, start_at, end_at, agent, requested_at, version, body)
VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (id) DO NOTHING`,
				r.id.String(), r.desk, r.kind, r.start, r.end, r.agent, r.requested, string(r.body))
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				out = &roster.ConflictError{Kind: r.kind, ID: r.id.String()}
				return err
			}
		case !found:
			out = fmt.Errorf("%s %s: %w", r.kind, r.id, roster.ErrNotFound)
		case have != r.version:
			out = &roster.ConflictError{Kind: r.kind, ID: r.id.String(), Want: r.version, Have: have}
		default:
			_, err := db.ExecContext(ctx, `UPDATE desk_roster SET start_at = ?, end_at = ?, agent = ?, requested_at = ?,
    version = ?, body = ? WHERE id = ? AND desk = ? AND kind = ?`,
				r.start, r.end, r.agent, r.requested, next, string(r.body), r.id.String(), r.desk, r.kind)
			return err
		}
		if out != nil {
			return out
		}
		return nil
	})
	if out != nil {
		return 0, out
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: save %s %s: %w", r.kind, r.id, err)
	}
	return next, nil
}

// SaveSwap implements roster.Store.
func (s *Rosters) SaveSwap(ctx context.Context, sw roster.Swap) (roster.Swap, error) {
	if err := sw.Validate(); err != nil {
		return roster.Swap{}, err
	}
	want := sw.Version
	stored := sw
	stored.Version = want + 1
	r, err := swapRow(stored)
	if err != nil {
		return roster.Swap{}, fmt.Errorf("sqlite: encode swap %s: %w", sw.ID, err)
	}
	r.version = want
	if _, err := s.save(ctx, r); err != nil {
		return roster.Swap{}, err
	}
	return stored, nil
}

// Swap implements roster.Store.
func (s *Rosters) Swap(ctx context.Context, desk string, id uuid.UUID) (roster.Swap, error) {
	var sw roster.Swap
	if err := rosterBegin(ctx, desk); err != nil {
		return sw, err
	}
	if err := s.one(ctx, desk, kindSwap, id, &sw); err != nil {
		return roster.Swap{}, err
	}
	return sw, nil
}

// Swaps implements roster.Store.
func (s *Rosters) Swaps(ctx context.Context, desk string, from, to time.Time) ([]roster.Swap, error) {
	return list[roster.Swap](ctx, s, desk, kindSwap, `start_at >= ?3 AND start_at < ?4`, `start_at, requested_at, id`, from, to)
}

// SaveAway implements roster.Store.
func (s *Rosters) SaveAway(ctx context.Context, a roster.Away) (roster.Away, error) {
	if err := a.Validate(); err != nil {
		return roster.Away{}, err
	}
	want := a.Version
	stored := a
	stored.Version = want + 1
	r, err := awayRow(stored)
	if err != nil {
		return roster.Away{}, fmt.Errorf("sqlite: encode away %s: %w", a.ID, err)
	}
	r.version = want
	if _, err := s.save(ctx, r); err != nil {
		return roster.Away{}, err
	}
	return stored, nil
}

// Away implements roster.Store.
func (s *Rosters) Away(ctx context.Context, desk string, id uuid.UUID) (roster.Away, error) {
	var a roster.Away
	if err := rosterBegin(ctx, desk); err != nil {
		return a, err
	}
	if err := s.one(ctx, desk, kindAway, id, &a); err != nil {
		return roster.Away{}, err
	}
	return a, nil
}

// Aways implements roster.Store.
func (s *Rosters) Aways(ctx context.Context, desk string, from, to time.Time) ([]roster.Away, error) {
	return list[roster.Away](ctx, s, desk, kindAway, overlapCond, byStart, from, to)
}

// AddDuty implements roster.Store.
func (s *Rosters) AddDuty(ctx context.Context, d roster.Duty) error {
	if err := rosterBegin(ctx, d.Desk); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	r, err := dutyRow(d)
	if err != nil {
		return fmt.Errorf("sqlite: encode duty %s: %w", d.ID, err)
	}
	ok, err := s.insert(ctx, []rosterRow{r})
	if err != nil {
		return fmt.Errorf("sqlite: add duty %s: %w", d.ID, err)
	}
	if !ok {
		return fmt.Errorf("duty %s already stored: %w", d.ID, roster.ErrConflict)
	}
	return nil
}

// Duties implements roster.Store.
func (s *Rosters) Duties(ctx context.Context, desk string, from, to time.Time) ([]roster.Duty, error) {
	return list[roster.Duty](ctx, s, desk, kindDuty, overlapCond, byStart, from, to)
}
