package roster

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Store persists a desk's roster. It holds plain data so that a SQL
// adapter can implement it with one table per record type. Every method
// takes the desk, or a record carrying it, and sees only that desk: a
// record of another desk is ErrNotFound, never returned by a list.
//
// Contract shared by all methods:
//   - ctx is honoured: a cancelled context returns ctx.Err() (possibly
//     wrapped) and changes nothing.
//   - An empty desk, a nil ID or a record failing its Validate method is
//     ErrInvalid and changes nothing. Validate refuses text that no store
//     can hold alike (invalid UTF-8, a NUL character; see Bounds), so
//     every store refuses the same records; length bounds are the
//     Service's (Config.Bounds).
//   - Returned records are copies; changing them does not change the store.
//   - Time ranges are half-open [from, to); "overlapping" means
//     start < to && end > from.
//   - Implementations are safe for concurrent use.
//   - Instants must round-trip to the microsecond (SQL timestamptz is
//     enough; the Service writes times truncated to microseconds). The
//     zone of a returned time.Time does not matter: the package compares
//     instants and keeps the calendar day in Assignment.Date.
//
// Assignments and duties are immutable once added. Swaps and away periods
// are mutable and versioned (optimistic concurrency): saving a record
// with Version 0 creates it (ErrConflict if the ID exists in any desk);
// saving with Version n > 0 replaces the stored record if and only if its
// stored version is n (ErrConflict, as *ConflictError, otherwise;
// ErrNotFound if it does not exist in this desk). The saved record is
// returned with Version n+1 (1 after creation).
type Store interface {
	// AddAssignments inserts all of as, all in the desk, or none: an ID
	// already stored is ErrConflict, an assignment of another desk
	// ErrInvalid.
	AddAssignments(ctx context.Context, desk string, as []Assignment) error
	// Assignment returns one assignment or ErrNotFound.
	Assignment(ctx context.Context, desk string, id uuid.UUID) (Assignment, error)
	// Assignments lists the assignments overlapping [from, to), ordered by
	// Start, then Agent, then ID (byte order).
	Assignments(ctx context.Context, desk string, from, to time.Time) ([]Assignment, error)

	// SaveSwap creates or updates a swap (see the versioning contract).
	SaveSwap(ctx context.Context, s Swap) (Swap, error)
	// Swap returns one swap or ErrNotFound.
	Swap(ctx context.Context, desk string, id uuid.UUID) (Swap, error)
	// Swaps lists swaps whose SlotStart is in [from, to), ordered by
	// SlotStart, then RequestedAt, then ID.
	Swaps(ctx context.Context, desk string, from, to time.Time) ([]Swap, error)

	// SaveAway creates or updates a leave or offline period (see the
	// versioning contract).
	SaveAway(ctx context.Context, a Away) (Away, error)
	// Away returns one away period or ErrNotFound.
	Away(ctx context.Context, desk string, id uuid.UUID) (Away, error)
	// Aways lists away periods overlapping [from, to) (an open period
	// extends forever), ordered by From, then Agent, then ID.
	Aways(ctx context.Context, desk string, from, to time.Time) ([]Away, error)

	// AddDuty inserts a duty cover; an ID already stored is ErrConflict.
	AddDuty(ctx context.Context, d Duty) error
	// Duties lists duty covers overlapping [from, to), ordered by Start,
	// then Agent, then ID.
	Duties(ctx context.Context, desk string, from, to time.Time) ([]Duty, error)
}
