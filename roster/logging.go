package roster

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"
)

// loggedStore logs the store failures that are not the caller's
// (refusals such as ErrNotFound or ErrOverlap are not), with the desk and
// the operation only: roster records name agents, not customers, but
// notes are free text (S1).
type loggedStore struct {
	Store
	log *slog.Logger
}

func (l loggedStore) failed(ctx context.Context, op, desk string, err error) error {
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) && !errors.Is(err, ErrInvalid) &&
		!errors.Is(err, ErrOverlap) && !errors.Is(err, ErrSwapState) && !errors.Is(err, ErrForbidden) {
		l.log.ErrorContext(ctx, "roster: store "+op+" failed", "desk", desk, "err", err)
	}
	return err
}

func (l loggedStore) AddAssignments(ctx context.Context, desk string, as []Assignment) error {
	return l.failed(ctx, "add assignments", desk, l.Store.AddAssignments(ctx, desk, as))
}

func (l loggedStore) Assignment(ctx context.Context, desk string, id uuid.UUID) (Assignment, error) {
	a, err := l.Store.Assignment(ctx, desk, id)
	return a, l.failed(ctx, "read assignment", desk, err)
}

func (l loggedStore) Assignments(ctx context.Context, desk string, from, to time.Time) ([]Assignment, error) {
	as, err := l.Store.Assignments(ctx, desk, from, to)
	return as, l.failed(ctx, "list assignments", desk, err)
}

func (l loggedStore) SaveSwap(ctx context.Context, s Swap) (Swap, error) {
	out, err := l.Store.SaveSwap(ctx, s)
	return out, l.failed(ctx, "save swap", s.Desk, err)
}

func (l loggedStore) Swap(ctx context.Context, desk string, id uuid.UUID) (Swap, error) {
	s, err := l.Store.Swap(ctx, desk, id)
	return s, l.failed(ctx, "read swap", desk, err)
}

func (l loggedStore) Swaps(ctx context.Context, desk string, from, to time.Time) ([]Swap, error) {
	s, err := l.Store.Swaps(ctx, desk, from, to)
	return s, l.failed(ctx, "list swaps", desk, err)
}

func (l loggedStore) SaveAway(ctx context.Context, a Away) (Away, error) {
	out, err := l.Store.SaveAway(ctx, a)
	return out, l.failed(ctx, "save away", a.Desk, err)
}

func (l loggedStore) Away(ctx context.Context, desk string, id uuid.UUID) (Away, error) {
	a, err := l.Store.Away(ctx, desk, id)
	return a, l.failed(ctx, "read away", desk, err)
}

func (l loggedStore) Aways(ctx context.Context, desk string, from, to time.Time) ([]Away, error) {
	a, err := l.Store.Aways(ctx, desk, from, to)
	return a, l.failed(ctx, "list aways", desk, err)
}

func (l loggedStore) AddDuty(ctx context.Context, d Duty) error {
	return l.failed(ctx, "add duty", d.Desk, l.Store.AddDuty(ctx, d))
}
