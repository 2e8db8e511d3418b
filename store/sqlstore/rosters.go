package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/roster"
)

// Roster records of every kind share one table, desk_roster, and one ID
// space, as roster.Store requires.
const (
	KindAssignment = "assignment"
	KindSwap       = "swap"
	KindAway       = "away"
	KindDuty       = "duty"
)

// RosterRow is one roster record as stored: the columns queries use and
// the record itself as JSON.
type RosterRow struct {
	ID                    uuid.UUID
	Desk, Kind, Agent     string
	Start, End, Requested int64 // Nanos
	Version               int64
	Body                  []byte
}

// RosterDialect is what an adapter supplies to the shared roster store:
// its handle, placeholders, ID encoding, byte-order collation and its
// way of inserting a batch all or none.
type RosterDialect struct {
	Name string   // the adapter, prefixed to errors
	DB   Executor // the store's handle (a pool, or the caller's transaction)
	Bind func(string) string
	ID   func(uuid.UUID) any // a UUID as the adapter's id column takes it
	// Agent orders agent names by bytes, as roster.Store requires
	// (PostgreSQL: agent COLLATE "C"; SQLite: agent).
	Agent string
	// Insert adds rows, all or none, and reports false when an ID is
	// already stored.
	Insert func(ctx context.Context, rows []RosterRow) (bool, error)
}

// Rosters is a roster.Store over a RosterDialect: validation, row
// mapping, the versioning contract and conflict classification, once
// for every adapter.
type Rosters struct{ d RosterDialect }

var _ roster.Store = (*Rosters)(nil)

// NewRosters returns the roster store of an adapter.
func NewRosters(d RosterDialect) *Rosters { return &Rosters{d: d} }

func rosterBegin(ctx context.Context, desk string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if desk == "" {
		return &roster.InputError{Field: "desk", Reason: "empty desk"}
	}
	return nil
}

// rosterBeginRead also refuses a desk no store can hold, as the
// in-memory store does, rather than pass it to the driver.
func rosterBeginRead(ctx context.Context, desk string) error {
	if err := rosterBegin(ctx, desk); err != nil {
		return err
	}
	return roster.CheckText("desk", desk)
}

func assignmentRow(a roster.Assignment) (RosterRow, error) {
	b, err := json.Marshal(a)
	return RosterRow{ID: a.ID, Desk: a.Desk, Kind: KindAssignment, Agent: a.Agent,
		Start: Nanos(a.Start), End: Nanos(a.End), Requested: ZeroNanos, Body: b}, err
}

func dutyRow(d roster.Duty) (RosterRow, error) {
	b, err := json.Marshal(d)
	return RosterRow{ID: d.ID, Desk: d.Desk, Kind: KindDuty, Agent: d.Agent,
		Start: Nanos(d.Start), End: Nanos(d.End), Requested: ZeroNanos, Body: b}, err
}

func swapRow(s roster.Swap) (RosterRow, error) {
	b, err := json.Marshal(s)
	return RosterRow{ID: s.ID, Desk: s.Desk, Kind: KindSwap, Agent: s.From,
		Start: Nanos(s.SlotStart), End: Nanos(s.SlotStart), Requested: Nanos(s.RequestedAt), Version: s.Version, Body: b}, err
}

func awayRow(a roster.Away) (RosterRow, error) {
	b, err := json.Marshal(a)
	end := int64(OpenNanos)
	if !a.Open() {
		end = Nanos(a.Until)
	}
	return RosterRow{ID: a.ID, Desk: a.Desk, Kind: KindAway, Agent: a.Agent,
		Start: Nanos(a.From), End: end, Requested: ZeroNanos, Version: a.Version, Body: b}, err
}

// AddAssignments implements roster.Store.
func (s *Rosters) AddAssignments(ctx context.Context, desk string, as []roster.Assignment) error {
	if err := rosterBegin(ctx, desk); err != nil {
		return err
	}
	seen := make(map[uuid.UUID]bool, len(as))
	rows := make([]RosterRow, 0, len(as))
	for _, a := range as {
		if err := a.Validate(); err != nil {
			return err
		}
		if a.Desk != desk {
			return &roster.InputError{Field: "assignment.desk", Reason: fmt.Sprintf("assignment %s belongs to desk %q, not %q", a.ID, a.Desk, desk)}
		}
		if seen[a.ID] {
			return fmt.Errorf("assignment %s twice in one call: %w", a.ID, roster.ErrConflict)
		}
		seen[a.ID] = true
		r, err := assignmentRow(a)
		if err != nil {
			return fmt.Errorf("%s: encode assignment %s: %w", s.d.Name, a.ID, err)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	ok, err := s.d.Insert(ctx, rows)
	if err != nil {
		return fmt.Errorf("%s: add assignments: %w", s.d.Name, err)
	}
	if !ok {
		return fmt.Errorf("an assignment ID is already stored: %w", roster.ErrConflict)
	}
	return nil
}

// one reads one record of a kind into v.
func (s *Rosters) one(ctx context.Context, desk, kind string, id uuid.UUID, v any) error {
	if err := rosterBeginRead(ctx, desk); err != nil {
		return err
	}
	var body []byte
	var version int64
	err := s.d.DB.QueryRow(ctx, s.d.Bind(`SELECT version, body FROM desk_roster WHERE id = $1 AND desk = $2 AND kind = $3`),
		s.d.ID(id), desk, kind).Scan(&version, &body)
	if errors.Is(err, ErrNoRows) {
		return fmt.Errorf("%s %s: %w", kind, id, roster.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: get %s %s: %w", s.d.Name, kind, id, err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: decode %s %s: %w", s.d.Name, kind, id, err)
	}
	return nil
}

// list reads the records of a kind in the documented order; cond holds
// the span condition on $3 and $4 (from, to).
func list[T any](ctx context.Context, s *Rosters, desk, kind, cond, order string, from, to time.Time) ([]T, error) {
	if err := rosterBeginRead(ctx, desk); err != nil {
		return nil, err
	}
	rows, err := s.d.DB.Query(ctx, s.d.Bind(`SELECT body FROM desk_roster WHERE desk = $1 AND kind = $2 AND `+cond+` ORDER BY `+order),
		desk, kind, Nanos(from), Nanos(to))
	if err != nil {
		return nil, fmt.Errorf("%s: list %ss: %w", s.d.Name, kind, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var body []byte
		if err := rows.Scan(&body); err != nil {
			return nil, fmt.Errorf("%s: list %ss: %w", s.d.Name, kind, err)
		}
		var v T
		if err := json.Unmarshal(body, &v); err != nil {
			return nil, fmt.Errorf("%s: decode %s: %w", s.d.Name, kind, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: list %ss: %w", s.d.Name, kind, err)
	}
	return out, nil
}

// overlap is the span condition of half-open spans: overlapping
// [from, to) means start < to and end > from.
const overlap = `start_at < $4 AND end_at > $3`

func (s *Rosters) byStart() string { return `start_at, ` + s.d.Agent + `, id` }

// Assignment implements roster.Store.
func (s *Rosters) Assignment(ctx context.Context, desk string, id uuid.UUID) (roster.Assignment, error) {
	var a roster.Assignment
	if err := s.one(ctx, desk, KindAssignment, id, &a); err != nil {
		return roster.Assignment{}, err
	}
	return a, nil
}

// Assignments implements roster.Store.
func (s *Rosters) Assignments(ctx context.Context, desk string, from, to time.Time) ([]roster.Assignment, error) {
	return list[roster.Assignment](ctx, s, desk, KindAssignment, overlap, s.byStart(), from, to)
}

// save applies the versioning contract of swaps and away periods with
// conditional statements: an insert that does nothing when the ID is
// taken, an update that does nothing unless the stored version is the
// one the caller read; reading the stored version then tells a conflict
// from a record that is not there.
func (s *Rosters) save(ctx context.Context, r RosterRow) error {
	if err := rosterBegin(ctx, r.Desk); err != nil {
		return err
	}
	if r.Version < 0 {
		return &roster.InputError{Field: r.Kind + ".version", Reason: fmt.Sprintf("negative version %d", r.Version)}
	}
	id, body := s.d.ID(r.ID), string(r.Body)
	stored := func() (int64, error) {
		var have int64
		err := s.d.DB.QueryRow(ctx, s.d.Bind(`SELECT version FROM desk_roster WHERE id = $1 AND desk = $2 AND kind = $3`),
			id, r.Desk, r.Kind).Scan(&have)
		return have, err
	}
	if r.Version == 0 {
		n, err := s.d.DB.Exec(ctx, s.d.Bind(`INSERT INTO desk_roster (id, desk, kind, start_at, end_at, agent, requested_at, version, body)
VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) ON CONFLICT DO NOTHING`),
			id, r.Desk, r.Kind, r.Start, r.End, r.Agent, r.Requested, body)
		if err != nil {
			return fmt.Errorf("%s: save %s %s: %w", s.d.Name, r.Kind, r.ID, err)
		}
		if n == 0 {
			ce := &roster.ConflictError{Kind: r.Kind, ID: r.ID.String()}
			ce.Have, _ = stored()
			return ce
		}
		return nil
	}
	n, err := s.d.DB.Exec(ctx, s.d.Bind(`UPDATE desk_roster SET start_at = $4, end_at = $5, agent = $6, requested_at = $7,
    version = $8 + 1, body = $9
WHERE id = $1 AND desk = $2 AND kind = $3 AND version = $8`),
		id, r.Desk, r.Kind, r.Start, r.End, r.Agent, r.Requested, r.Version, body)
	if err != nil {
		return fmt.Errorf("%s: save %s %s: %w", s.d.Name, r.Kind, r.ID, err)
	}
	if n == 1 {
		return nil
	}
	have, err := stored()
	if errors.Is(err, ErrNoRows) {
		return fmt.Errorf("%s %s: %w", r.Kind, r.ID, roster.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: save %s %s: %w", s.d.Name, r.Kind, r.ID, err)
	}
	return &roster.ConflictError{Kind: r.Kind, ID: r.ID.String(), Want: r.Version, Have: have}
}

// saveVersioned stores v at its version plus one under the versioning
// contract and returns what was stored.
func saveVersioned[T any](ctx context.Context, s *Rosters, kind string, id uuid.UUID, want int64, stored T, row func(T) (RosterRow, error)) (T, error) {
	var zero T
	r, err := row(stored)
	if err != nil {
		return zero, fmt.Errorf("%s: encode %s %s: %w", s.d.Name, kind, id, err)
	}
	r.Version = want
	if err := s.save(ctx, r); err != nil {
		return zero, err
	}
	return stored, nil
}

// SaveSwap implements roster.Store.
func (s *Rosters) SaveSwap(ctx context.Context, sw roster.Swap) (roster.Swap, error) {
	if err := sw.Validate(); err != nil {
		return roster.Swap{}, err
	}
	stored := sw
	stored.Version = sw.Version + 1
	return saveVersioned(ctx, s, KindSwap, sw.ID, sw.Version, stored, swapRow)
}

// Swap implements roster.Store.
func (s *Rosters) Swap(ctx context.Context, desk string, id uuid.UUID) (roster.Swap, error) {
	var sw roster.Swap
	if err := s.one(ctx, desk, KindSwap, id, &sw); err != nil {
		return roster.Swap{}, err
	}
	return sw, nil
}

// Swaps implements roster.Store.
func (s *Rosters) Swaps(ctx context.Context, desk string, from, to time.Time) ([]roster.Swap, error) {
	return list[roster.Swap](ctx, s, desk, KindSwap, `start_at >= $3 AND start_at < $4`, `start_at, requested_at, id`, from, to)
}

// SaveAway implements roster.Store.
func (s *Rosters) SaveAway(ctx context.Context, a roster.Away) (roster.Away, error) {
	if err := a.Validate(); err != nil {
		return roster.Away{}, err
	}
	stored := a
	stored.Version = a.Version + 1
	return saveVersioned(ctx, s, KindAway, a.ID, a.Version, stored, awayRow)
}

// Away implements roster.Store.
func (s *Rosters) Away(ctx context.Context, desk string, id uuid.UUID) (roster.Away, error) {
	var a roster.Away
	if err := s.one(ctx, desk, KindAway, id, &a); err != nil {
		return roster.Away{}, err
	}
	return a, nil
}

// Aways implements roster.Store.
func (s *Rosters) Aways(ctx context.Context, desk string, from, to time.Time) ([]roster.Away, error) {
	return list[roster.Away](ctx, s, desk, KindAway, overlap, s.byStart(), from, to)
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
		return fmt.Errorf("%s: encode duty %s: %w", s.d.Name, d.ID, err)
	}
	ok, err := s.d.Insert(ctx, []RosterRow{r})
	if err != nil {
		return fmt.Errorf("%s: add duty %s: %w", s.d.Name, d.ID, err)
	}
	if !ok {
		return fmt.Errorf("duty %s already stored: %w", d.ID, roster.ErrConflict)
	}
	return nil
}

// Duties implements roster.Store.
func (s *Rosters) Duties(ctx context.Context, desk string, from, to time.Time) ([]roster.Duty, error) {
	return list[roster.Duty](ctx, s, desk, KindDuty, overlap, s.byStart(), from, to)
}
