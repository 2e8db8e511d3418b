// Command consumer is a CRM's first program against the desk, built
// outside the repository from modules fetched by version (.ci/consumer
// copies it into a new module and runs `go get`). It receives,
// dispatches and resolves a leak repair on PostgreSQL, lets the
// resident accept it and derives the follow-ups from the ticket outbox.
// It exits non-zero when any step fails.
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/store/postgres"
	"github.com/servicedesk-go/desk/ticket"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "consumer:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	printModules()
	dsn := os.Getenv("DESK_TEST_POSTGRES")
	if dsn == "" {
		return fmt.Errorf("DESK_TEST_POSTGRES is not set")
	}
	// A schema of its own, dropped at the end.
	admin, err := postgres.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer admin.Close()
	schema := fmt.Sprintf("consumer_%d", time.Now().UnixNano())
	if _, err := admin.DB().Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return err
	}
	defer admin.DB().Exec(context.WithoutCancel(ctx), "DROP SCHEMA "+schema+" CASCADE")
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	store, err := postgres.Open(ctx, u.String())
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}

	const desk = "harbour-view"
	tickets, err := ticket.New(store.Tickets(), ticket.Config{Desk: desk})
	if err != nil {
		return err
	}
	hours := followup.DefaultContactHours(time.UTC)
	deriver, err := followup.NewDeriver(store.Followups(), followup.DeriverConfig{Desk: desk, Rules: followup.PropertyRules(1), Calendar: hours})
	if err != nil {
		return err
	}
	queue, err := followup.NewQueue(store.Followups(), followup.QueueConfig{Desk: desk, Tickets: tickets, Calendar: hours})
	if err != nil {
		return err
	}
	sync, err := followup.NewTicketSync(tickets, deriver, queue, tickets)
	if err != nil {
		return err
	}

	li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	zhao := ticket.Actor{ID: "zhao", Role: ticket.RoleRepairLead}
	tk, err := tickets.Receive(ctx, li, ticket.Intake{Kind: ticket.Repair, Category: followup.Leak, Channel: ticket.Phone,
		Fields: map[string]string{ticket.FieldPerson: "resident 3-201", ticket.FieldPhone: "ref:201",
			ticket.FieldLocation: "3-201", ticket.FieldItem: "pipe"}})
	if err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	fmt.Printf("ticket %d %s, owner %s\n", tk.Number, tk.State, tk.Owner)
	steps := []struct {
		name string
		do   func() (*ticket.Ticket, error)
	}{
		{"dispatch", func() (*ticket.Ticket, error) {
			return tickets.Dispatch(ctx, li, tk.Ref(), ticket.Assignment{Assignee: zhao.ID})
		}},
		{"resolve", func() (*ticket.Ticket, error) { return tickets.Resolve(ctx, zhao, tk.Ref(), "joint replaced") }},
		{"answer", func() (*ticket.Ticket, error) { return tickets.Answer(ctx, li, tk.Ref(), "told the resident") }},
		{"accept", func() (*ticket.Ticket, error) { return tickets.Accept(ctx, li, tk.Ref(), "accepted") }},
	}
	for _, s := range steps {
		if tk, err = s.do(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Printf("ticket %d %s (%s)\n", tk.Number, tk.State, s.name)
	}

	n, err := sync.Drain(ctx)
	if err != nil {
		return fmt.Errorf("derive follow-ups: %w", err)
	}
	tasks, err := queue.List(ctx, followup.Filter{Ticket: tk.ID})
	if err != nil {
		return err
	}
	fmt.Printf("%d outbox events handled, %d follow-ups derived\n", n, len(tasks))
	if len(tasks) == 0 {
		return fmt.Errorf("no follow-up derived for ticket %d", tk.Number)
	}
	for _, t := range tasks {
		fmt.Printf("follow-up %s for %s, %s, due %s\n", t.Rule, t.Role, t.Status, t.Due.Format("2006-01-02 15:04"))
	}
	return nil
}

// printModules shows the versions of the project's modules this binary
// was built from.
func printModules() {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	for _, d := range bi.Deps {
		if strings.HasPrefix(d.Path, "github.com/servicedesk-go/desk") {
			how := d.Version
			if d.Replace != nil {
				how += " replaced by " + d.Replace.Path // must not happen
			}
			fmt.Printf("module %s %s\n", d.Path, how)
		}
	}
}
