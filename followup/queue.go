package followup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/ticket"
)

// Tickets is the part of ticket.Service that follow-ups use; a
// *ticket.Service satisfies it. Queue records revisit outcomes through
// it; TicketSync reads complaint severities through it.
type Tickets interface {
	Get(ctx context.Context, id uuid.UUID) (*ticket.Ticket, error)
	RecordRevisit(ctx context.Context, by ticket.Actor, ref ticket.Ref, o ticket.RevisitOutcome) (*ticket.Ticket, error)
	// Authorize reports whether by may perform action on the ticket
	// (ticket.ErrForbidden when not), writing nothing.
	Authorize(ctx context.Context, by ticket.Actor, action ticket.Action, id uuid.UUID) error
}

// QueueConfig configures a Queue. Only Desk is required.
type QueueConfig struct {
	Desk string
	// Tickets, when set, receives revisit outcomes (RecordRevisit): a
	// reached revisit passes, a problem found fails and reopens the
	// ticket with the written rework notice due (T13).
	Tickets Tickets
	// Calendar places retries and chained follow-ups in contact hours,
	// e.g. the desk's calendar.Calendar; nil means
	// DefaultContactHours(Location).
	Calendar Calendar
	// Location is the desk's zone, for the default contact hours; one of
	// Calendar and Location is required (no silent UTC).
	Location *time.Location
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// NewID makes lease tokens; nil means UUIDv7.
	NewID func() uuid.UUID
	// Lease is how long a claim holds a task; 0 means 15 minutes.
	Lease time.Duration
	// Scale is the top satisfaction score (K4); 0 means 5.
	Scale int
	// Logger receives failures that are not the caller's (a store
	// error), with IDs only (S1); nil means no logging.
	Logger *slog.Logger
	// Observer receives a report of every claim, completion and lease
	// expiry; nil means none, and no cost.
	Observer observe.Observer
	// Bounds are the largest inputs the queue accepts; a zero field means
	// its default (DefaultBounds).
	Bounds Bounds
}

// Queue hands a desk's due tasks to workers and records their outcomes.
// It is safe for concurrent use; several queues (several processes) may
// share one Store.
type Queue struct {
	store   Store
	desk    string
	tickets Tickets
	cal     Calendar
	now     func() time.Time
	newID   func() uuid.UUID
	lease   time.Duration
	scale   int
	log     *slog.Logger
	obs     observe.Observer
	watch   bool                      // obs or log set: operations are reported
	batch   *group[Completion, error] // nil: completions are written one by one
	work    *group[workReq, workRes]  // the store is a BatchWorker: claims and completions share rounds
	claimed *claimedSet               // with work: the tasks as claimed, until completed
	bounds  Bounds
}

// NewQueue returns the queue of one desk.
func NewQueue(store Store, cfg QueueConfig) (*Queue, error) {
	if store == nil {
		return nil, invalid("store", "a store is required; use NewMemStore for the in-memory default")
	}
	if cfg.Desk == "" {
		return nil, invalid("desk", "name the desk the queue works for")
	}
	if cfg.Lease < 0 || cfg.Scale < 0 {
		return nil, invalid("queue config", "lease %s and scale %d cannot be negative", cfg.Lease, cfg.Scale)
	}
	bounds, err := cfg.Bounds.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := bounds.name("desk", cfg.Desk); err != nil {
		return nil, err
	}
	cal, err := deskCalendar(cfg.Calendar, cfg.Location)
	if err != nil {
		return nil, err
	}
	q := &Queue{bounds: bounds, store: store, desk: cfg.Desk, tickets: cfg.Tickets, cal: cal,
		now: cfg.Now, newID: cfg.NewID, lease: cfg.Lease, scale: cfg.Scale,
		log: cfg.Logger, obs: cfg.Observer, watch: cfg.Logger != nil || cfg.Observer != nil}
	if q.log == nil {
		q.log = slog.New(slog.DiscardHandler)
	}
	if q.now == nil {
		q.now = time.Now
	}
	if q.newID == nil {
		q.newID = newV7
	}
	if q.lease == 0 {
		q.lease = 15 * time.Minute
	}
	if q.scale == 0 {
		q.scale = 5
	}
	if bw, ok := store.(BatchWorker); ok {
		q.work = newWorkGroup(bw, q.desk, q.now)
		q.claimed = newClaimedSet()
	} else if bc, ok := store.(BatchCompleter); ok {
		q.batch = newCompletionGroup(bc, q.now)
	}
	return q, nil
}

func newV7() uuid.UUID {
	if id, err := uuid.NewV7(); err == nil {
		return id
	}
	return uuid.New()
}

// Desk returns the queue's desk.
func (q *Queue) Desk() string { return q.desk }

// WithStore returns a queue that works on store with this queue's desk,
// calendar, lease, clock, IDs, logger, observer and tickets: a shallow
// copy that shares them, made without checking anything again. Use it to
// act inside the caller's database transaction, with a store bound to it
// (for example postgres.Store.WithTx(tx).Followups()): the task writes
// then commit or roll back with the caller's own. The tickets the queue
// reports revisit outcomes to stay the configured ones; WithTickets
// binds those too. A nil store is a programming error and panics.
func (q *Queue) WithStore(store Store) *Queue {
	if store == nil {
		panic("followup: WithStore of a nil store")
	}
	c := *q
	c.store = store
	// A transaction's work is its caller's own: never grouped with others'.
	// Its completions are written without a round's version check, so
	// they start from the stored task, never from the task as this
	// queue's Claim kept it (an erasure may have scrubbed it since).
	c.batch, c.work, c.claimed = nil, nil, nil
	return &c
}

// write stores a completion worked out from the stored task at version:
// in the queue's next round when the store is a BatchWorker (the write
// then also requires the task to be still at version), through the
// completion batcher when it groups completions (BatchCompleter), each
// judged at the batch's time; else on its own.
//
// With c set and a BatchWorker store, the claim c rides in the same
// round as the completion: rode reports it, and claimed holds what it
// took (kept in the claimed set), whatever the completion's result. A
// failed round writes nothing and claims nothing (rode is false).
func (q *Queue) write(ctx context.Context, next *Task, held Lease, version int64, now time.Time, c *Claim) (claimed []*Task, rode bool, err error) {
	var gerr error
	switch {
	case q.work != nil:
		var r workRes
		r, gerr = q.work.do(ctx, workReq{done: &Completion{Task: next, Held: held, Version: version}, claim: c})
		if gerr == nil && c != nil {
			claimed, rode = q.claimed.keep(r.tasks, q.now()), true
		}
		err = r.err
	case q.batch != nil:
		err, gerr = q.batch.do(ctx, Completion{Task: next, Held: held})
	default:
		return nil, false, q.store.Complete(ctx, next, held, now)
	}
	if gerr != nil {
		return nil, false, gerr
	}
	return claimed, rode, err
}

// WithTickets returns a shallow copy of the queue that reports revisit
// outcomes to tickets (for example a ticket.Service bound to the same
// transaction with its WithStore); nil means none, as in QueueConfig.
func (q *Queue) WithTickets(tickets Tickets) *Queue {
	c := *q
	c.tickets = tickets
	return &c
}

// Claim leases up to n due tasks to the worker, earliest first; role ""
// takes any role's tasks. The lease lasts the configured time; a worker
// that does not complete in time loses the task to the next claimer.
func (q *Queue) Claim(ctx context.Context, worker string, role ticket.Role, n int) (ts []*Task, err error) {
	if q.watch {
		defer q.observed(ctx, observe.Claim, claimKind(role), time.Now(), &ts, &err)
	}
	c, err := q.newClaim(worker, role, n)
	if err != nil {
		return nil, err
	}
	return q.claim(ctx, c)
}

// newClaim checks a worker's claim and makes it. A claim the store would
// refuse is refused here: in a round it would fail the round, and the
// other workers' completions with it.
func (q *Queue) newClaim(worker string, role ticket.Role, n int) (*Claim, error) {
	if err := q.bounds.name("worker", worker); err != nil {
		return nil, err
	}
	if err := q.bounds.name("role", string(role)); err != nil {
		return nil, err
	}
	c := &Claim{Owner: worker, Token: q.newID(), For: q.lease, Role: role, Limit: n, Now: q.now()}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// claim runs c alone.
func (q *Queue) claim(ctx context.Context, c *Claim) ([]*Task, error) {
	if q.work == nil {
		return q.store.Claim(ctx, q.desk, *c)
	}
	r, err := q.work.do(ctx, workReq{claim: c})
	if err != nil {
		return nil, err
	}
	return q.claimed.keep(r.tasks, q.now()), nil
}

// Get returns one of the desk's tasks.
func (q *Queue) Get(ctx context.Context, id uuid.UUID) (*Task, error) {
	return q.store.Get(ctx, q.desk, id)
}

// List returns the desk's tasks matching f.
func (q *Queue) List(ctx context.Context, f Filter) ([]*Task, error) {
	if err := q.bounds.filter(&f); err != nil {
		return nil, err
	}
	return q.store.List(ctx, q.desk, f)
}

// maxRereads bounds how often Complete reads a task again that changed
// under a live lease between its read and its write (an erasure, a
// sync): such changes are rare, and one that keeps coming is returned
// as the ErrConflict it is.
const maxRereads = 3

// Complete records the outcome of a claimed task: t is the task as
// Claim returned it (its Lease proves the claim). The outcome is checked
// against the task (F4 checklist and signature, F9 grade, K4 scale)
// before anything is written; a refused outcome changes nothing. On a
// store that groups completions (BatchCompleter), the completions of
// concurrent callers share a round trip; each caller still gets its own
// result, and the lease is judged when the batch is written. On a
// BatchWorker, a task this queue's Claim handed out is completed from
// the task as it was claimed, with no read first: the write requires the
// task to be still at that version under the live lease, and a task that
// changed meanwhile (an erasure scrubbed it, say) is read and worked out
// again. Changes the caller made to t itself are not written.
//
//   - Reached: the task is Done. A revisit task passes the ticket's
//     revisit. With FollowAgain, a rule with Repeat derives the next
//     follow-up of the chain (F1).
//   - NotReached: another attempt after the rule's pause, in contact
//     hours, until the attempts are used up; then Unreachable (F10).
//   - ProblemFound: the task is Problem; a revisit task fails the
//     ticket's revisit, which reopens it with the written rework notice
//     due (T13).
//   - Withdrawn: the task is Cancelled.
//
// An expired, stolen or used lease is ErrLeaseLost and records nothing.
// The task is stored before the ticket is told: if telling it fails, the
// returned task is completed, Synced is false, the error says why, and
// SyncAll or SyncTicket (or TicketSync when the ticket reaches its
// revisit) records it later.
func (q *Queue) Complete(ctx context.Context, t *Task, o Outcome) (_ *Task, err error) {
	if q.watch {
		defer q.observed(ctx, observe.Complete, string(o.Result), time.Now(), nil, &err)
	}
	next, _, _, err := q.complete(ctx, t, o, nil)
	return next, err
}

// CompleteAndClaim records the outcome of a claimed task, as Complete
// does, and claims the worker's next tasks (up to n, of role; "" takes
// any role's), as Claim does, in one call: on a store that is a
// BatchWorker (the PostgreSQL adapter), the completion and the claim
// share one round, one transaction and one commit, so a worker that goes
// on working waits for one commit per task instead of two. On any other
// store it is Complete, then Claim.
//
// Each part keeps its own guarantees. The completion is stored before the
// call returns, or done is nil and err says why (an expired, stolen or
// used lease is ErrLeaseLost and records nothing); it fails only this
// task, and the claim is made anyway: next holds the tasks now leased to
// the worker, also when err is not nil, and the worker should work them.
// A worker, role or n the queue refuses is ErrInvalid before anything is
// written, the completion included. When the ticket could not be told of
// a final revisit outcome, done is the completed task and err says why,
// as with Complete.
func (q *Queue) CompleteAndClaim(ctx context.Context, t *Task, o Outcome, worker string, role ticket.Role, n int) (done *Task, next []*Task, err error) {
	c, err := q.newClaim(worker, role, n)
	if err != nil {
		return nil, nil, err
	}
	var cerr error
	if q.watch {
		start := time.Now()
		defer func() {
			q.observed(ctx, observe.Complete, string(o.Result), start, nil, &err)
			q.observed(ctx, observe.Claim, claimKind(role), start, &next, &cerr)
		}()
	}
	done, next, rode, err := q.complete(ctx, t, o, c)
	if !rode {
		// The completion did not reach a round that carried the claim (a
		// store that is no BatchWorker, an outcome refused, a round that
		// failed): the claim runs alone.
		c.Now = q.now()
		if next, cerr = q.claim(ctx, c); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}
	return done, next, err
}

// complete is Complete; with c set, the claim c rides in the round of
// the first write (rode), and claimed is what it took.
func (q *Queue) complete(ctx context.Context, t *Task, o Outcome, c *Claim) (_ *Task, claimed []*Task, rode bool, err error) {
	if t == nil {
		return nil, nil, false, invalid("task", "nil task")
	}
	o = o.clone()
	if err := q.bounds.outcome(&o); err != nil {
		return nil, nil, false, err
	}
	// The task as this queue's Claim stored it, when it handed t out:
	// the write then requires the task to be still at that version, so
	// no read comes first. Otherwise, or when the task changed since, the
	// stored task is read.
	cur := q.claimed.take(t)
	var next *Task
	for try := 0; ; try++ {
		if cur == nil {
			if cur, err = q.store.Get(ctx, q.desk, t.ID); err != nil {
				return nil, claimed, rode, err
			}
		}
		if next, err = q.completeFrom(ctx, cur, t.Lease, o); err != nil {
			return nil, claimed, rode, err
		}
		var got []*Task
		var carried bool
		got, carried, err = q.write(ctx, next, t.Lease, cur.Version, next.UpdatedAt, c)
		if carried {
			claimed, rode, c = got, true, nil // a write again claims nothing more
		}
		if err == nil {
			break
		}
		if try < maxRereads && q.work != nil && errors.Is(err, ErrConflict) && !errors.Is(err, ErrLeaseLost) {
			cur = nil // changed under a live lease: work it out again
			continue
		}
		return nil, claimed, rode, err
	}
	if next.Status.Final() && !next.Synced {
		if _, err := q.sync(ctx, next); err != nil {
			return next, claimed, rode, fmt.Errorf("task %s is completed; recording it on ticket %s failed, SyncTicket retries: %w", next.ID, next.Ticket, err)
		}
	}
	return next.Clone(), claimed, rode, nil
}

// completeFrom checks outcome o against cur, the stored task claimed
// under held, and returns the task after it, storing the next follow-up
// of a Repeat chain first.
func (q *Queue) completeFrom(ctx context.Context, cur *Task, held Lease, o Outcome) (*Task, error) {
	now := q.now()
	if err := checkLease(cur, held, now); err != nil {
		return nil, err
	}
	if err := o.check(cur, q.scale); err != nil {
		return nil, err
	}
	if err := q.mayRecord(ctx, cur, o); err != nil {
		return nil, err
	}
	o.At = now
	next := cur.Clone()
	next.Attempts++
	next.Status = o.status(next)
	next.Outcome = &o
	next.UpdatedAt = now
	if next.Status == Pending {
		from := now.Add(next.RetryAfter)
		if err := next.place(from, next.Due, q.cal, false); err != nil {
			next.NotBefore = from // no contact time within a year: keep the pause only
			if next.Due.Before(from) {
				next.Due = from
			}
		}
	} else {
		next.ClosedAt = now
		next.Synced = !next.Revisit || next.Ticket == uuid.Nil || next.Status == Unreachable
	}
	if next.Status == Done && o.FollowAgain && next.Repeat > 0 {
		// The next follow-up is stored first: a crash between the two
		// writes then leaves an extra call, never a forgotten one; its ID
		// comes from this task's, so a second completion adds nothing.
		if _, err := q.chain(ctx, next, now); err != nil {
			return nil, err
		}
	}
	return next, nil
}

// mayRecord refuses, before anything is written, an outcome of a
// ticket's revisit that the ticket would refuse to take: the completing
// actor's role may not record revisits (ticket.ActRevisitPass or
// ActRevisitFail). Completed anyway, the task would be final and the
// ticket would wait in revisit for good.
func (q *Queue) mayRecord(ctx context.Context, t *Task, o Outcome) error {
	if q.tickets == nil || !t.Revisit || t.Ticket == uuid.Nil {
		return nil
	}
	var action ticket.Action
	switch o.Result {
	case Reached:
		action = ticket.ActRevisitPass
	case ProblemFound:
		action = ticket.ActRevisitFail
	default:
		return nil // no outcome goes to the ticket
	}
	if err := q.tickets.Authorize(ctx, o.By, action, t.Ticket); err != nil {
		if errors.Is(err, ticket.ErrForbidden) {
			return fmt.Errorf("%w: task %s is the revisit of ticket %s, and %s may not record it: %w", ErrForbidden, t.ID, t.Ticket, o.By, err)
		}
		return err
	}
	return nil
}

// Release records on its ticket the outcome of a final revisit task that
// the ticket refused to take (the worker's role was not allowed to
// record revisits when the task was completed without that check, or the
// desk's authorizer changed since), so that a ticket never waits in
// revisit for good. A lead (an actor the ticket allows to record
// revisits: by default a shift lead, QA or the director) records the
// task's result in their own name; the note names the task, the worker
// who made the follow-up and the lead's reason. The task is then marked
// synced. Release is the documented way out for a ticket that Report
// lists as unrecorded or that SyncAll cannot move; a task already synced
// or still open is ErrConflict.
func (q *Queue) Release(ctx context.Context, lead ticket.Actor, id uuid.UUID, reason string) (*Task, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, invalid("reason", "say why task %s is released by a lead", id)
	}
	if err := q.bounds.note("reason", reason); err != nil {
		return nil, err
	}
	if err := q.bounds.actor("lead", lead); err != nil {
		return nil, err
	}
	if q.tickets == nil {
		return nil, invalid("queue", "the queue has no Tickets to record the outcome on")
	}
	t, err := q.store.Get(ctx, q.desk, id)
	if err != nil {
		return nil, err
	}
	if !t.Status.Final() || t.Outcome == nil || !t.Revisit || t.Ticket == uuid.Nil || t.Synced {
		return nil, fmt.Errorf("%w: task %s is %s (synced %v); only a final, unrecorded revisit is released", ErrConflict, id, t.Status, t.Synced)
	}
	tk, err := q.tickets.Get(ctx, t.Ticket)
	if err != nil {
		return nil, err
	}
	if tk.State == ticket.Revisit && (t.Status == Done || t.Status == Problem) {
		o := ticket.RevisitOutcome{Passed: t.Status == Done,
			Note: fmt.Sprintf("%s; followed up by %s, released by %s: %s", revisitNote(t), t.Outcome.By, lead, reason)}
		if _, err := q.tickets.RecordRevisit(ctx, lead, ticket.Ref{ID: t.Ticket}, o); err != nil {
			return nil, err
		}
	}
	t.Synced = true
	if err := q.store.Update(ctx, t); err != nil {
		return nil, err
	}
	return t.Clone(), nil
}

// chain derives the next follow-up of a Repeat rule: claimable from
// half the interval, due within the interval of this call (F1).
func (q *Queue) chain(ctx context.Context, prev *Task, now time.Time) (*Task, error) {
	n := prev.Clone()
	base := strings.TrimSuffix(prev.Key, "#"+strconv.Itoa(prev.Seq))
	n.Seq = prev.Seq + 1
	n.Key = base + "#" + strconv.Itoa(n.Seq)
	n.ID = TaskID(prev.Desk, n.Key, prev.Rule)
	n.Version, n.Status, n.Attempts = 0, Pending, 0
	n.Lease, n.Outcome, n.Synced, n.ClosedAt = Lease{}, nil, false, time.Time{}
	n.TriggeredAt, n.CreatedAt, n.UpdatedAt = now, now, now
	if err := n.place(now.Add(prev.Repeat/2), now.Add(prev.Repeat), q.cal, false); err != nil {
		return nil, err
	}
	ts, err := createAll(ctx, q.store, []*Task{n}, nil)
	if err != nil {
		return nil, err
	}
	return ts[0], nil
}

// Cancel withdraws an open task that is no longer needed, claimed or
// not (a claimed task's lease ends: its worker's completion is then
// ErrLeaseLost). Cancelling a final task is ErrConflict.
func (q *Queue) Cancel(ctx context.Context, id uuid.UUID, by ticket.Actor, note string) (*Task, error) {
	if strings.TrimSpace(note) == "" {
		return nil, invalid("note", "say why task %s is cancelled", id)
	}
	if err := q.bounds.note("note", note); err != nil {
		return nil, err
	}
	if err := q.bounds.actor("actor", by); err != nil {
		return nil, err
	}
	for range 8 {
		t, err := q.store.Get(ctx, q.desk, id)
		if err != nil {
			return nil, err
		}
		if t.Status.Final() {
			return nil, fmt.Errorf("%w: task %s is already %s", ErrConflict, id, t.Status)
		}
		now := q.now()
		t.Status, t.ClosedAt, t.UpdatedAt = Cancelled, now, now
		t.Outcome = &Outcome{Result: Withdrawn, By: by, Channel: t.Channel, Note: note, At: now}
		t.Synced = true
		err = q.store.Update(ctx, t)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return t, nil
	}
	return nil, fmt.Errorf("%w: task %s kept changing; try again", ErrConflict, id)
}

// SyncAll records every outcome of the desk's revisit tasks that a
// ticket has not taken yet (after a crash between the task write and the
// ticket write, say) and reports how many it recorded. It scans the
// desk's finished tasks: run it at start-up or now and then, not per
// call.
func (q *Queue) SyncAll(ctx context.Context) (int, error) {
	if q.tickets == nil {
		return 0, nil
	}
	ts, err := q.store.List(ctx, q.desk, Filter{Statuses: []Status{Done, Problem}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range ts {
		if t.Synced || !t.Revisit {
			continue
		}
		ok, err := q.sync(ctx, t)
		if err != nil {
			return n, fmt.Errorf("task %s of ticket %s: %w", t.ID, t.Ticket, err)
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// SyncTicket records on the ticket the outcomes of its revisit tasks
// that are not recorded yet, and reports how many it recorded. A ticket
// that does not wait for a revisit yet (the customer has not accepted)
// keeps them for later.
func (q *Queue) SyncTicket(ctx context.Context, id uuid.UUID) (int, error) {
	if q.tickets == nil {
		return 0, nil
	}
	ts, err := q.store.List(ctx, q.desk, Filter{Ticket: id, Statuses: []Status{Done, Problem}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range ts {
		if t.Synced {
			continue
		}
		ok, err := q.sync(ctx, t)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// sync records a final revisit task's outcome on its ticket and marks
// the task synced. It reports whether the ticket took the outcome.
func (q *Queue) sync(ctx context.Context, t *Task) (bool, error) {
	// Only a final outcome of a ticket's revisit is recorded: a customer
	// not reached yet is tried again, and the ticket keeps waiting.
	if q.tickets == nil || t.Synced || t.Outcome == nil || !t.Status.Final() || !t.Revisit || t.Ticket == uuid.Nil {
		return false, nil
	}
	tk, err := q.tickets.Get(ctx, t.Ticket)
	if err != nil {
		return false, err
	}
	recorded := false
	switch {
	case tk.Resolution != nil && tk.Resolution.At.After(t.TriggeredAt):
		// The ticket was resolved again since this task was derived (a
		// rework): the outcome is stale and the new resolution gets its
		// own revisit.
	case tk.State == ticket.Revisit:
		o := ticket.RevisitOutcome{Passed: t.Status == Done, Note: revisitNote(t)}
		if _, err := q.tickets.RecordRevisit(ctx, t.Outcome.By, ticket.Ref{ID: t.Ticket}, o); err != nil {
			return false, err
		}
		recorded = true
	case tk.State == ticket.Cancelled, tk.State == ticket.Closed && t.Status == Done:
		// The ticket no longer waits for this outcome: nothing to record.
	default:
		// Not waiting for a revisit yet (the customer has not accepted),
		// or closed without a revisit while this one found a problem:
		// kept for SyncTicket, and listed by the report for a lead to
		// reopen the ticket.
		return false, nil
	}
	t.Synced = true
	if err := q.store.Update(ctx, t); err != nil && !errors.Is(err, ErrConflict) {
		return recorded, err
	}
	return recorded, nil
}

func revisitNote(t *Task) string {
	note := fmt.Sprintf("followup %s (%s)", t.ID, t.Rule)
	if t.Outcome.Note != "" {
		note += ": " + t.Outcome.Note
	}
	return note
}
