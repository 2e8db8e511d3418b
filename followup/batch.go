package followup

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Completion is one entry of a batch of completions: the task after its
// outcome, and the lease it was claimed under.
type Completion struct {
	Task *Task
	Held Lease
	// Version, when not 0, is the stored version the outcome was worked
	// out from. A BatchWorker writes the entry only while the task is
	// still at that version; a task changed since (an erasure scrubbed
	// it, say) under a lease that is still live is refused with an
	// ErrConflict that is not a *LeaseError, and the caller works the
	// outcome out again from the stored task. 0 checks the lease only.
	Version int64
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
// for the next one. A batch holds what arrived during the previous round
// trip; with fill set, it also waits (at most as long as the previous
// batch took) for the callers that were in the previous round to come
// back, so that workers that alternate requests meet in one round
// instead of splitting into two that take turns. A lone caller never
// waits. Each caller gets its own request's result. A batch runs with its
// first caller's context values but not its cancellation: the other
// callers' requests ride on it.
type group[Req, Res any] struct {
	run  func(ctx context.Context, reqs []Req) ([]Res, error)
	fill bool

	mu      sync.Mutex
	queued  []*groupCall[Req, Res]
	running bool // a batch is in flight
	// With fill: the callers of the previous round (its batch and those
	// queued during it), how long it took, and a signal of arrivals.
	callers int
	took    time.Duration
	arrived chan struct{}
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
		if g.fill {
			select {
			case g.arrived <- struct{}{}:
			default:
			}
		}
		g.mu.Unlock()
		r := <-call.done
		if !r.lead {
			return r.res, r.err
		}
		g.mu.Lock() // handed the lead: running stays true
	} else {
		g.running = true
	}
	if g.fill {
		g.await()
	}
	batch := append([]*groupCall[Req, Res]{call}, g.queued...)
	g.queued = nil
	g.mu.Unlock()
	start := time.Now()
	g.runBatch(context.WithoutCancel(ctx), batch)
	// Hand the lead to the first caller queued meanwhile, or stop.
	g.mu.Lock()
	g.callers, g.took = len(batch)+len(g.queued), time.Since(start)
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

// await holds the lead (g.mu locked) until as many callers are queued as
// took part in the previous round, or for as long as that round took.
func (g *group[Req, Res]) await() {
	if len(g.queued)+1 >= g.callers || g.took <= 0 {
		return
	}
	if g.arrived == nil {
		g.arrived = make(chan struct{}, 1)
	}
	timer := time.NewTimer(g.took)
	defer timer.Stop()
	for len(g.queued)+1 < g.callers {
		g.mu.Unlock()
		select {
		case <-g.arrived:
			g.mu.Lock()
		case <-timer.C:
			g.mu.Lock()
			return
		}
	}
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

// BatchWorker is a BatchCompleter that also claims for many workers in
// the same round trip: Queue sends the claims and the completions of
// its concurrent workers together, one WorkBatch at a time, so the
// workers of a queue share one statement round and one commit instead
// of one commit each.
//
// WorkBatch writes in one transaction: first the completions, each
// judged as CompleteBatch judges it (errs[i] is entry i's result, and a
// BatchWorker honours Completion.Version in CompleteBatch too), then the
// claims in order, each as Store.Claim of desk with its own owner, token
// and lease (claimed[i] holds what claims[i] took; an earlier claim takes
// earlier tasks). A non-nil err means that nothing was written: no
// claim and no completion.
type BatchWorker interface {
	BatchCompleter
	WorkBatch(ctx context.Context, desk string, claims []Claim, done []Completion, now time.Time) (claimed [][]*Task, errs []error, err error)
}

// BatchCreator is a Store that creates many tasks in one round trip
// (derivation catch-up, an import). Each task is judged as Store.Create
// judges it: errs[i] is nil when ts[i] was created at version 1 (its
// Version is then set), or the error Create would have returned for it
// (a *DuplicateError, ErrInvalid), and that task changed nothing. A
// non-nil err means that nothing was created. Unlike
// ticket.BatchCreator (all or none, for gapless case numbers), one
// refused task does not stop the others: a task stored already is the
// usual case of a derivation caught up twice.
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

// workReq is one request of a BatchWorker round: a claim (Now is set
// when the round runs), a completion, or both (a worker that completes
// a task and claims its next in the same round).
type workReq struct {
	claim *Claim
	done  *Completion
}

// workRes is a request's result: the tasks its claim took, and its
// completion's error.
type workRes struct {
	tasks []*Task
	err   error
}

// newWorkGroup runs the claims and completions of a queue's workers in
// rounds through bw, judged at now() when the round runs.
func newWorkGroup(bw BatchWorker, desk string, now func() time.Time) *group[workReq, workRes] {
	return &group[workReq, workRes]{fill: true, run: func(ctx context.Context, reqs []workReq) ([]workRes, error) {
		at := now()
		var claims []Claim
		var done []Completion
		var claimAt, doneAt []int
		for i, r := range reqs {
			if r.done != nil {
				done, doneAt = append(done, *r.done), append(doneAt, i)
			}
			if r.claim != nil {
				c := *r.claim
				c.Now = at
				claims, claimAt = append(claims, c), append(claimAt, i)
			}
		}
		got, errs, err := bw.WorkBatch(ctx, desk, claims, done, at)
		if err != nil {
			return nil, err
		}
		res := make([]workRes, len(reqs))
		for k, i := range claimAt {
			if k < len(got) {
				res[i].tasks = got[k]
			}
		}
		for k, i := range doneAt {
			if k < len(errs) {
				res[i].err = errs[k]
			}
		}
		return res, nil
	}}
}

// claimedSet keeps the tasks a queue's Claim handed out, as stored,
// until they are completed, so that a completion needs no read first.
// A task whose lease ran out without a completion is dropped at the next
// sweep, which runs when the set has doubled since the last one.
type claimedSet struct {
	mu    sync.Mutex
	tasks map[claimKey]*Task
	sweep int // sweep when the set reaches this size
}

type claimKey struct{ id, token uuid.UUID }

// minSweep is the size from which a claimedSet sweeps: below it,
// leftovers of expired leases cost less to keep than to look for (a
// throughput choice, not a rule).
const minSweep = 1024

func newClaimedSet() *claimedSet {
	return &claimedSet{tasks: make(map[claimKey]*Task), sweep: minSweep}
}

// keep records the claimed tasks and returns copies for the caller.
func (s *claimedSet) keep(ts []*Task, now time.Time) []*Task {
	if len(ts) == 0 {
		return ts
	}
	out := make([]*Task, len(ts))
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, t := range ts {
		s.tasks[claimKey{t.ID, t.Lease.Token}] = t
		out[i] = t.Clone()
	}
	if len(s.tasks) >= s.sweep {
		for k, t := range s.tasks {
			if !now.Before(t.Lease.Expires) {
				delete(s.tasks, k)
			}
		}
		s.sweep = max(minSweep, 2*len(s.tasks))
	}
	return out
}

// take returns and forgets the task as claimed under t's lease; nil when
// the set does not hold it (another queue claimed it, or it was taken).
func (s *claimedSet) take(t *Task) *Task {
	if s == nil {
		return nil
	}
	k := claimKey{t.ID, t.Lease.Token}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.tasks[k]
	if !ok {
		return nil
	}
	delete(s.tasks, k)
	if c.Lease.Owner != t.Lease.Owner || !c.Lease.Expires.Equal(t.Lease.Expires) || c.Desk != t.Desk {
		return nil
	}
	return c
}
