package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/store"
	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/ticket"
)

// gateStore holds every Create until the gate opens: the intakes
// written alone at first (no group was being written) then wait, as a
// slow commit would, while the others queue into groups.
type gateStore struct {
	ticket.Store
	gate chan struct{}
}

func (s gateStore) Create(ctx context.Context, t *ticket.Ticket, h []ticket.Event) error {
	<-s.gate
	return s.Store.Create(ctx, t, h)
}

// CreateBatch waits for the gate too; the gated store is a
// ticket.BatchCreator.
func (s gateStore) CreateBatch(ctx context.Context, ts []*ticket.Ticket, hs [][]ticket.Event) error {
	<-s.gate
	return s.Store.(ticket.BatchCreator).CreateBatch(ctx, ts, hs)
}

// receiptBatch is the writer's batch hook type.
type receiptBatch = func(ctx context.Context, svc *ticket.Service, rs []ticket.Receipt) ([]*ticket.Ticket, []error, error)

// countedBatch is ReceiveBatch that records each batch's size.
func countedBatch(mu *sync.Mutex, sizes *[]int) receiptBatch {
	return func(ctx context.Context, svc *ticket.Service, rs []ticket.Receipt) ([]*ticket.Ticket, []error, error) {
		mu.Lock()
		*sizes = append(*sizes, len(rs))
		mu.Unlock()
		return svc.ReceiveBatch(ctx, rs)
	}
}

// groupDesk is a ticket service on a gated memory store for the group
// tests.
func groupDesk(t *testing.T, store ticket.Store, newID func() uuid.UUID) (*ticket.Service, chan struct{}) {
	t.Helper()
	pol := ticket.PropertyDesk()
	gate := make(chan struct{})
	svc, err := ticket.New(gateStore{store, gate}, ticket.Config{Desk: "harbour-view", Policy: &pol, NewID: newID})
	if err != nil {
		t.Fatal(err)
	}
	return svc, gate
}

// openGate opens the gate once k callers queue behind the writers.
func openGate(t *testing.T, g *intakeGroup, gate chan struct{}, k int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		g.mu.Lock()
		queued := len(g.queue)
		g.mu.Unlock()
		if queued >= k || time.Now().After(deadline) {
			close(gate)
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// receiveAll sends n intakes (groupIntake(i), changed by spoil when it
// is given) through g at once, opens the gate once half of them queue,
// and returns each caller's answer.
func receiveAll(t *testing.T, g *intakeGroup, svc *ticket.Service, gate chan struct{}, n int,
	spoil func(i int, in *ticket.Intake)) ([]*ticket.Ticket, []error) {
	t.Helper()
	got, errs := make([]*ticket.Ticket, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			in := groupIntake(i)
			if spoil != nil {
				spoil(i, &in)
			}
			got[i], errs[i] = g.receive(context.Background(), svc, groupAgent, in)
		})
	}
	openGate(t, g, gate, n/2)
	wg.Wait()
	return got, errs
}

var groupAgent = ticket.Actor{ID: "li", Role: ticket.RoleAgent}

func groupIntake(n int) ticket.Intake {
	return ticket.Intake{Kind: ticket.Repair, Category: "leak", Channel: ticket.Phone,
		Fields: map[string]string{"location": fmt.Sprint("3-", n), "item": "pipe", "person": "x", "phone": "138"}}
}

// T2: concurrent intakes are written in groups, each caller answered
// with its own ticket once its group was written; a caller whose intake
// is refused (bad input) gets its own error and the others of its group
// are written; no group exceeds the bound.
func TestIntakeGroup(t *testing.T) {
	t.Run("T2_concurrent_intakes_written_in_groups_each_answered_with_its_own", func(t *testing.T) {
		svc, gate := groupDesk(t, ticket.NewMemStore(), nil)
		var mu sync.Mutex
		var sizes []int
		g := &intakeGroup{max: 8, groups: 2, batch: countedBatch(&mu, &sizes)}
		const n = 60
		got, errs := receiveAll(t, g, svc, gate, n, func(i int, in *ticket.Intake) {
			if i%10 == 3 {
				in.Kind = "no-such-kind"
			}
		})
		ids := map[uuid.UUID]bool{}
		for i := range n {
			if i%10 == 3 {
				if errs[i] == nil {
					t.Errorf("intake %d of an unknown kind was accepted", i)
				}
				continue
			}
			if errs[i] != nil || got[i] == nil {
				t.Fatalf("intake %d: %v", i, errs[i])
			}
			if got[i].Fields["location"] != fmt.Sprint("3-", i) {
				t.Errorf("intake %d answered with another caller's ticket (%s)", i, got[i].Fields["location"])
			}
			ids[got[i].ID] = true
		}
		if len(ids) != n-n/10 {
			t.Errorf("%d distinct tickets, want %d", len(ids), n-n/10)
		}
		grouped := false
		for _, s := range sizes {
			if s > 8 {
				t.Errorf("a group of %d, bound 8", s)
			}
			grouped = grouped || s > 1
		}
		if !grouped {
			t.Errorf("no group had more than one intake: %v", sizes)
		}
		if g.writers != 0 || len(g.queue) != 0 {
			t.Errorf("after the last answer: %d writers, %d queued", g.writers, len(g.queue))
		}
	})
}

// A group the store refuses is written again intake by intake, so no
// caller fails because of another's intake; a group the store was
// unavailable for (its commit is in doubt) is reported failed to its
// callers and not written again (it may have committed).
func TestIntakeGroupFailure(t *testing.T) {
	t.Run("T2_a_refused_group_written_alone_a_group_in_doubt_not_again", func(t *testing.T) {
		for _, doubt := range []bool{false, true} {
			svc, gate := groupDesk(t, ticket.NewMemStore(), nil)
			var groups atomic.Int64
			g := &intakeGroup{max: 16, groups: 1, batch: func(ctx context.Context, svc *ticket.Service, rs []ticket.Receipt) ([]*ticket.Ticket, []error, error) {
				groups.Add(1)
				err := errors.New("the store refused the group")
				if doubt {
					err = store.Unavailable(err)
				}
				return make([]*ticket.Ticket, len(rs)), make([]error, len(rs)), err
			}}
			const n = 20
			_, errs := receiveAll(t, g, svc, gate, n, nil)
			stored, err := svc.List(context.Background(), ticket.Filter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			failed := 0
			for _, e := range errs {
				if e != nil {
					failed++
				}
			}
			if groups.Load() == 0 {
				t.Fatalf("doubt=%v: every intake was written alone; the test shows nothing", doubt)
			}
			if !doubt && (failed != 0 || len(stored) != n) {
				t.Errorf("refused groups: %d callers failed, %d tickets stored; want 0 and %d", failed, len(stored), n)
			}
			if doubt && failed+len(stored) != n {
				t.Errorf("groups in doubt: %d callers failed and %d tickets stored of %d intakes", failed, len(stored), n)
			}
		}
	})
}

// On PostgreSQL the grouped intakes are written with ReceiveBatch, one
// statement each group: every acknowledged ticket is stored, case numbers are distinct
// and gapless (T2), a refused intake leaves its group intact, and a
// group with a duplicate ticket ID (the store refuses it) is written
// intake by intake, so only the duplicate fails.
func TestGroupedIntakePostgres(t *testing.T) {
	t.Run("T2_groups_on_postgres_keep_numbers_distinct_and_gapless", func(t *testing.T) {
		url := freshPostgres(t)
		ctx := context.Background()
		st, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var dupMu sync.Mutex
		dup := uuid.Nil // the next ID handed out twice
		ids := func() uuid.UUID {
			dupMu.Lock()
			defer dupMu.Unlock()
			if dup != uuid.Nil {
				id := dup
				dup = uuid.Nil
				return id
			}
			return ticket.NewV7()
		}
		svc, gate := groupDesk(t, st.Tickets(), ids)
		var mu sync.Mutex
		var sizes []int
		g := &intakeGroup{max: 16, groups: 2, batch: countedBatch(&mu, &sizes)}
		first, err := svc.WithStore(st.Tickets()).Receive(ctx, groupAgent, groupIntake(0))
		if err != nil {
			t.Fatal(err)
		}
		dupMu.Lock()
		dup = first.ID
		dupMu.Unlock()
		const n = 80
		got, errs := receiveAll(t, g, svc, gate, n, func(i int, in *ticket.Intake) {
			if i%20 == 7 {
				in.Channel = ""
			}
		})
		numbers := map[int64]bool{first.Number: true}
		conflicts := 0
		for i := range n {
			switch {
			case i%20 == 7:
				var in *ticket.InputError
				if !errors.As(errs[i], &in) {
					t.Errorf("intake %d without a channel: %v, want an input error", i, errs[i])
				}
			case errors.Is(errs[i], ticket.ErrConflict):
				conflicts++
			case errs[i] != nil:
				t.Errorf("intake %d: %v", i, errs[i])
			default:
				stored, err := svc.Get(ctx, got[i].ID)
				if err != nil || stored.Number != got[i].Number || stored.Fields["location"] != fmt.Sprint("3-", i) {
					t.Errorf("acknowledged ticket %d: stored %v, %v", i, stored, err)
				}
				if numbers[got[i].Number] {
					t.Errorf("case number %d given twice", got[i].Number)
				}
				numbers[got[i].Number] = true
			}
		}
		if conflicts > 1 {
			t.Errorf("%d intakes failed with a conflict; only the one with the duplicate ID may", conflicts)
		}
		for k := int64(1); k <= int64(len(numbers)); k++ {
			if !numbers[k] {
				t.Errorf("case numbers have a gap at %d (of %d)", k, len(numbers))
			}
		}
		grouped := false
		for _, k := range sizes {
			grouped = grouped || k > 1
		}
		if !grouped {
			t.Error("no group had more than one intake: the test shows nothing")
		}
	})
}

// T14: a group whose write panics (a bug somewhere below; the service's
// recoverer answers that request 500 and goes on serving) still answers
// the other callers of the group, with an error, and hands on to the
// next: those callers waited for ever, and with its writer lost so
// every later intake queued behind nobody.
func TestIntakeGroupPanic(t *testing.T) {
	t.Run("T14_a_panicking_group_answers_its_callers_and_later_intakes_are_written", func(t *testing.T) {
		svc, gate := groupDesk(t, ticket.NewMemStore(), nil)
		var panicked atomic.Bool
		g := &intakeGroup{max: 16, groups: 1, batch: func(ctx context.Context, svc *ticket.Service, rs []ticket.Receipt) ([]*ticket.Ticket, []error, error) {
			if !panicked.Swap(true) {
				panic("a bug in the batch write")
			}
			return svc.ReceiveBatch(ctx, rs)
		}}
		const n = 12
		answered := make(chan struct{})
		var errs [n]error
		var recovered atomic.Int64
		go func() {
			defer close(answered)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					defer func() {
						if recover() != nil { // as the service's recoverer does
							recovered.Add(1)
						}
					}()
					_, errs[i] = g.receive(context.Background(), svc, groupAgent, groupIntake(i))
				})
			}
			openGate(t, g, gate, n/2)
			wg.Wait()
		}()
		select {
		case <-answered:
		case <-time.After(time.Minute):
			t.Fatal("callers of a group whose write panicked are still waiting after a minute")
		}
		if !panicked.Load() || recovered.Load() != 1 {
			t.Fatalf("panicked %v, %d requests recovered: the test shows nothing", panicked.Load(), recovered.Load())
		}
		if _, err := g.receive(context.Background(), svc, groupAgent, groupIntake(n)); err != nil {
			t.Errorf("an intake after the panic: %v", err)
		}
		if g.writers != 0 || len(g.queue) != 0 {
			t.Errorf("after the last answer: %d writers, %d queued", g.writers, len(g.queue))
		}
	})
}
