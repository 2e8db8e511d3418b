package followup

import (
	"context"
	"sync"
	"time"
)

// Completion is one entry of a batch of completions: the task after its
// outcome, and the lease it was claimed under.
type Completion struct {
	Task *Task
	Held Lease
}

// BatchCompleter is a Store that records many completions in one round
// trip (one statement and one commit in the SQL adapters). Queue groups
// the completions of concurrent workers through it.
//
// Each entry is judged as Store.Complete judges it, at now: errs[i] is
// nil when entry i was written (its Task.Version is then set), or the
// error Complete would have returned for it (a *LeaseError, ErrNotFound,
// ErrInvalid), and that entry changed nothing. A non-nil err means that
// nothing of the batch was written.
type BatchCompleter interface {
	CompleteBatch(ctx context.Context, items []Completion, now time.Time) (errs []error, err error)
}

// batcher groups the completions of concurrent Queue.Complete calls
// into CompleteBatch calls: the first caller to find no batch in flight
// writes every completion queued so far, in one round trip, and the
// callers that arrive meanwhile queue theirs for the next one. Nothing
// waits for a batch to fill: a lone worker writes at once, and under load
// a batch holds what arrived during the previous round trip. Each caller
// gets its own entry's result.
type batcher struct {
	store BatchCompleter
	now   func() time.Time

	mu      sync.Mutex
	queued  []*completionReq
	writing bool
}

type completionReq struct {
	c    Completion
	done chan completionResult
}

// completionResult ends a wait: the entry's result, or lead: the waiter
// writes the next batch (its own entry is in it).
type completionResult struct {
	err  error
	lead bool
}

// complete writes c through a batch and returns its result. The batch
// is written with ctx's values but not its cancellation: other callers'
// completions ride on it.
func (b *batcher) complete(ctx context.Context, c Completion) error {
	req := &completionReq{c: c, done: make(chan completionResult, 1)}
	b.mu.Lock()
	b.queued = append(b.queued, req)
	if b.writing {
		b.mu.Unlock()
		r := <-req.done
		if !r.lead {
			return r.err
		}
	} else {
		b.writing = true
		b.mu.Unlock()
	}
	// This caller writes the queued batch, which holds its own entry.
	b.mu.Lock()
	batch := b.queued
	b.queued = nil
	b.mu.Unlock()
	b.write(context.WithoutCancel(ctx), batch)
	// Hand the next batch to the first caller queued meanwhile, or end.
	b.mu.Lock()
	if len(b.queued) > 0 {
		b.queued[0].done <- completionResult{lead: true}
	} else {
		b.writing = false
	}
	b.mu.Unlock()
	return (<-req.done).err
}

func (b *batcher) write(ctx context.Context, batch []*completionReq) {
	items := make([]Completion, len(batch))
	for i, r := range batch {
		items[i] = r.c
	}
	errs, err := b.store.CompleteBatch(ctx, items, b.now())
	for i, r := range batch {
		e := err
		if e == nil && i < len(errs) {
			e = errs[i]
		}
		r.done <- completionResult{err: e}
	}
}

// BatchCreator is a Store that creates many tasks in one round trip
// (derivation catch-up, an import). Each task is judged as Store.Create
// judges it: errs[i] is nil when ts[i] was created at version 1 (its
// Version is then set), or the error Create would have returned for it
// (a *DuplicateError, ErrInvalid), and that task changed nothing. A
// non-nil err means that nothing was created.
type BatchCreator interface {
	CreateBatch(ctx context.Context, ts []*Task) (errs []error, err error)
}

// CreateTasks creates ts in store: in one round trip when the store is a
// BatchCreator, else one Create after another. errs[i] is ts[i]'s result
// (a *DuplicateError for a task already stored: an import run twice
// creates nothing twice); a non-nil err stops it.
func CreateTasks(ctx context.Context, store Store, ts []*Task) (errs []error, err error) {
	if bc, ok := store.(BatchCreator); ok {
		return bc.CreateBatch(ctx, ts)
	}
	errs = make([]error, len(ts))
	for i, t := range ts {
		if err := ctx.Err(); err != nil {
			return errs, err
		}
		errs[i] = store.Create(ctx, t)
	}
	return errs, nil
}
