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

// group runs the requests of concurrent callers in batches: the first
// caller to find no batch in flight runs every request queued so far,
// in one call of run, and the callers that arrive meanwhile queue theirs
// for the next one. Nothing waits for a batch to fill: a lone caller runs
// at once, and under load a batch holds what arrived during the previous
// round trip. Each caller gets its own request's result. A batch runs
// with its first caller's context values but not its cancellation: the
// other callers' requests ride on it.
type group[Req, Res any] struct {
	run func(ctx context.Context, reqs []Req) ([]Res, error)

	mu      sync.Mutex
	queued  []*groupCall[Req, Res]
	running bool // a batch is in flight
}

type groupCall[Req, Res any] struct {
	req  Req
	done chan groupResult[Res]
}

// groupResult ends a wait: the request's result, or lead: the waiter
// runs the next batch (its own request is in it).
type groupResult[Res any] struct {
	res  Res
	err  error
	lead bool
}

func (g *group[Req, Res]) do(ctx context.Context, req Req) (Res, error) {
	call := &groupCall[Req, Res]{req: req, done: make(chan groupResult[Res], 1)}
	g.mu.Lock()
	if g.running {
		g.queued = append(g.queued, call)
		g.mu.Unlock()
		r := <-call.done
		if !r.lead {
			return r.res, r.err
		}
		g.mu.Lock() // handed the lead: running stays true
	} else {
		g.running = true
	}
	batch := append([]*groupCall[Req, Res]{call}, g.queued...)
	g.queued = nil
	g.mu.Unlock()
	g.runBatch(context.WithoutCancel(ctx), batch)
	// Hand the lead to the first caller queued meanwhile, or stop.
	g.mu.Lock()
	if len(g.queued) > 0 {
		next := g.queued[0]
		g.queued = g.queued[1:]
		next.done <- groupResult[Res]{lead: true}
	} else {
		g.running = false
	}
	g.mu.Unlock()
	r := <-call.done
	return r.res, r.err
}

func (g *group[Req, Res]) runBatch(ctx context.Context, batch []*groupCall[Req, Res]) {
	reqs := make([]Req, len(batch))
	for i, c := range batch {
		reqs[i] = c.req
	}
	res, err := g.run(ctx, reqs)
	for i, c := range batch {
		var r groupResult[Res]
		r.err = err
		if err == nil && i < len(res) {
			r.res = res[i]
		}
		c.done <- r
	}
}

// newCompletionGroup groups completions through bc, judged at now().
func newCompletionGroup(bc BatchCompleter, now func() time.Time) *group[Completion, error] {
	return &group[Completion, error]{run: func(ctx context.Context, items []Completion) ([]error, error) {
		return bc.CompleteBatch(ctx, items, now())
	}}
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
