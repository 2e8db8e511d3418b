package followup_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
)

func TestQueueWithStore(t *testing.T) {
	ctx := context.Background()
	home, other := followup.NewMemStore(), followup.NewMemStore()
	delivered := time.Date(2026, 1, 31, 16, 0, 0, 0, time.UTC)
	later := delivered.AddDate(0, 0, 8) // the 7-day call is ready
	d, err := followup.NewDeriver(other, followup.DeriverConfig{Desk: "dealer", Rules: followup.DealerRules(1), Calendar: followup.DefaultContactHours(time.UTC), Now: func() time.Time { return delivered }})
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := d.Derive(ctx, followup.Trigger{Kind: followup.VehicleDelivery, Key: "delivery:VIN1", Subject: "customer:1", At: delivered})
	if err != nil || len(tasks) == 0 {
		t.Fatalf("derive: %d tasks, %v", len(tasks), err)
	}
	role := tasks[0].Role
	q, err := followup.NewQueue(home, followup.QueueConfig{Desk: "dealer", Calendar: followup.DefaultContactHours(time.UTC), Lease: 3 * time.Minute, Now: func() time.Time { return later }})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := q.Claim(ctx, "w1", role, 10); err != nil || len(got) != 0 {
		t.Fatalf("plain queue claimed %d from its own empty store (%v)", len(got), err)
	}
	bound := q.WithStore(other)
	got, err := bound.Claim(ctx, "w1", role, 10)
	if err != nil || len(got) == 0 {
		t.Fatalf("bound queue claimed %d (%v)", len(got), err)
	}
	// The lease length and clock are the configured ones.
	if want := later.Add(3 * time.Minute); !got[0].Lease.Expires.Equal(want) {
		t.Fatalf("lease until %v, want %v", got[0].Lease.Expires, want)
	}
	if bound.Desk() != "dealer" || q.WithTickets(ticketsStub{}) == q {
		t.Fatal("WithStore/WithTickets: desk lost or the same queue returned")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("WithStore(nil) did not panic")
		}
	}()
	q.WithStore(nil)
}

type ticketsStub struct{ followup.Tickets }

// Inside the caller's transaction, the queue is bound per transaction
// to a store on it (with a database adapter, store.WithTx(tx).Followups()).
func ExampleQueue_WithStore() {
	ctx := context.Background()
	delivered := time.Date(2026, 1, 31, 16, 0, 0, 0, time.UTC)
	now := delivered.AddDate(0, 0, 8)
	q, _ := followup.NewQueue(followup.NewMemStore(), followup.QueueConfig{Desk: "dealer", Calendar: followup.DefaultContactHours(time.UTC), Now: func() time.Time { return now }})

	txStore := followup.NewMemStore() // stands for postgres.Store.WithTx(tx).Followups()
	d, _ := followup.NewDeriver(txStore, followup.DeriverConfig{Desk: "dealer", Rules: followup.DealerRules(1), Calendar: followup.DefaultContactHours(time.UTC)})
	tasks, _ := d.Derive(ctx, followup.Trigger{Kind: followup.VehicleDelivery, Key: "delivery:VIN1", Subject: "customer:1", At: delivered})

	plain, _ := q.Claim(ctx, "li", tasks[0].Role, 10)
	bound, err := q.WithStore(txStore).Claim(ctx, "li", tasks[0].Role, 10)
	fmt.Println(len(plain), len(bound), err)
	// Output: 0 1 <nil>
}
