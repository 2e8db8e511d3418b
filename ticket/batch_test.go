package ticket_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/ticket"
)

// plainStore hides MemStore's CreateBatch: a store that is not a
// ticket.BatchCreator. failAt makes its n-th Create (1-based) fail.
type plainStore struct {
	ticket.Store
	mu      sync.Mutex
	creates int
	failAt  int
}

var errStoreDown = errors.New("store down")

func (p *plainStore) Create(ctx context.Context, t *ticket.Ticket, h []ticket.Event) error {
	p.mu.Lock()
	p.creates++
	fail := p.creates == p.failAt
	p.mu.Unlock()
	if fail {
		return errStoreDown
	}
	return p.Store.Create(ctx, t, h)
}

// failingBatch is a BatchCreator whose CreateBatch fails.
type failingBatch struct{ *ticket.MemStore }

func (failingBatch) CreateBatch(context.Context, []*ticket.Ticket, [][]ticket.Event) error {
	return errStoreDown
}

// mixedReceipts: an agent's repair, an intake of an unknown kind, an
// unattended web form, an actor without an ID, a lead's inquiry.
func mixedReceipts() []ticket.Receipt {
	bad := repairIntake()
	bad.Kind = "teleport"
	form := inquiryIntake()
	form.Unattended = true
	return []ticket.Receipt{
		{By: agent, Intake: repairIntake()},
		{By: agent, Intake: bad},
		{By: webform, Intake: form},
		{By: ticket.Actor{Role: ticket.RoleAgent}, Intake: repairIntake()},
		{By: lead, Intake: inquiryIntake()},
	}
}

func TestReceiveBatch(t *testing.T) {
	t.Run("T2_accepted_intakes_take_consecutive_numbers_refusals_stand_apart", func(t *testing.T) {
		d := newDesk(t, nil)
		first := d.receive(agent2, repairIntake())
		tickets, errs, err := d.svc.ReceiveBatch(ctx, mixedReceipts())
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []error{nil, ticket.ErrInvalid, nil, ticket.ErrInvalid, nil} {
			if (want == nil) != (errs[i] == nil) || (want != nil && !errors.Is(errs[i], want)) {
				t.Errorf("receipt %d: %v, want %v", i, errs[i], want)
			}
			if (tickets[i] != nil) != (want == nil) {
				t.Errorf("receipt %d: ticket %v, want one exactly when accepted", i, tickets[i])
			}
		}
		for i, n := range map[int]int64{0: 2, 2: 3, 4: 4} {
			tk := tickets[i]
			if tk.Number != n || tk.Version != 1 || tk.State != ticket.Received {
				t.Errorf("receipt %d: number %d version %d %s, want number %d", i, tk.Number, tk.Version, tk.State, n)
			}
			stored, err := d.svc.Get(ctx, tk.ID)
			if err != nil || stored.Number != n {
				t.Errorf("receipt %d stored as %+v, %v", i, stored, err)
			}
		}
		if tickets[0].Owner != agent.ID || tickets[4].Owner != lead.ID {
			t.Errorf("T1 owners %q, %q; want the receiving actors", tickets[0].Owner, tickets[4].Owner)
		}
		if tickets[2].Owner != "" {
			t.Errorf("T19: the unattended form has owner %q", tickets[2].Owner)
		}
		if next := d.receive(agent, repairIntake()); next.Number != 5 || first.Number != 1 {
			t.Errorf("numbers around the batch: %d before, %d after; want 1 and 5", first.Number, next.Number)
		}
		pending, err := d.store.Pending(ctx, "followup", "north", 10)
		if err != nil || len(pending) != 5 {
			t.Fatalf("outbox: %d events, %v; want 5", len(pending), err)
		}
	})
	t.Run("T2_a_store_failure_writes_nothing_of_the_batch", func(t *testing.T) {
		d := newDesk(t, nil)
		svc := d.svc.WithStore(failingBatch{d.store})
		tickets, errs, err := svc.ReceiveBatch(ctx, mixedReceipts())
		if !errors.Is(err, errStoreDown) {
			t.Fatalf("err = %v, want the store's failure", err)
		}
		for i, tk := range tickets {
			if tk != nil {
				t.Errorf("receipt %d has a ticket although nothing was written", i)
			}
		}
		if errs[0] != nil || errs[1] == nil {
			t.Errorf("errs hold the refusals only: %v", errs)
		}
		if list, _ := d.svc.List(ctx, ticket.Filter{}); len(list) != 0 {
			t.Errorf("%d tickets stored", len(list))
		}
	})
	t.Run("T2_other_stores_create_one_by_one_and_stop_at_a_failure", func(t *testing.T) {
		d := newDesk(t, nil)
		p := &plainStore{Store: d.store, failAt: 2}
		tickets, errs, err := d.svc.WithStore(p).ReceiveBatch(ctx, mixedReceipts())
		if !errors.Is(err, errStoreDown) {
			t.Fatalf("err = %v, want the store's failure", err)
		}
		if tickets[0] == nil || tickets[0].Number != 1 || tickets[2] != nil || tickets[4] != nil {
			t.Errorf("tickets %v: want only the first stored", tickets)
		}
		if errs[1] == nil || errs[3] == nil || errs[2] != nil {
			t.Errorf("errs %v: want the two refusals only", errs)
		}
		if list, _ := d.svc.List(ctx, ticket.Filter{}); len(list) != 1 {
			t.Errorf("%d tickets stored, want 1", len(list))
		}
		p.failAt = 0
		tickets, _, err = d.svc.WithStore(p).ReceiveBatch(ctx, mixedReceipts())
		if err != nil || tickets[0].Number != 2 || tickets[2].Number != 3 || tickets[4].Number != 4 {
			t.Fatalf("one by one: %v, %v", tickets, err)
		}
	})
	t.Run("T2_every_receipt_is_observed", func(t *testing.T) {
		var mu sync.Mutex
		var got []string
		svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north",
			Observer: observe.Func(func(_ context.Context, r observe.Report) {
				mu.Lock()
				got = append(got, r.Kind+":"+r.Outcome)
				mu.Unlock()
			})})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.ReceiveBatch(ctx, mixedReceipts()); err != nil {
			t.Fatal(err)
		}
		want := []string{"receive:ok", "receive:invalid", "receive:ok", "receive:invalid", "receive:ok"}
		if len(got) != len(want) {
			t.Fatalf("reports %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("report %d: %s, want %s", i, got[i], want[i])
			}
		}
	})
	t.Run("T2_batches_and_single_intakes_at_once_keep_numbers_gapless", func(t *testing.T) {
		d := newDesk(t, nil)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, _, err := d.svc.ReceiveBatch(ctx, mixedReceipts()); err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() {
				if _, err := d.svc.Receive(ctx, agent, repairIntake()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		list, err := d.svc.List(ctx, ticket.Filter{})
		if err != nil || len(list) != 8*3+8 {
			t.Fatalf("%d tickets, %v; want %d", len(list), err, 8*3+8)
		}
		for i, tk := range list {
			if tk.Number != int64(i+1) {
				t.Fatalf("position %d has number %d", i, tk.Number)
			}
		}
	})
}
