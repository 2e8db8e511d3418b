package observe_test

import (
	"context"
	"fmt"

	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/ticket"
)

// Counting ticket actions by outcome with a function as the Observer.
func ExampleFunc() {
	counts := map[string]int{}
	obs := observe.Func(func(_ context.Context, r observe.Report) {
		counts[string(r.Op)+" "+r.Kind+" "+r.Outcome]++
	})
	svc, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north", Observer: obs})
	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	ctx := context.Background()
	tk, _ := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	svc.Note(ctx, li, tk.Ref(), "called back")
	svc.Resolve(ctx, li, tk.Ref(), "told") // tk is a version behind the note: a conflict
	fmt.Println(counts)
	// Output:
	// map[action note ok:1 action receive ok:1 action resolve conflict:1]
}
