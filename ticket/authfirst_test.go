package ticket_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// denyOne refuses every action to one actor and allows the rest.
type denyOne string

func (d denyOne) Authorize(by ticket.Actor, action ticket.Action, _ *ticket.Ticket) error {
	if by.ID == string(d) {
		return fmt.Errorf("%s may not %s", by.ID, action)
	}
	return nil
}

// TestAuthorizeFirst: the service asks the authorizer before it looks at
// the input, so a forbidden actor with a bad body gets ErrForbidden and
// learns nothing about the body; an allowed actor with the same body
// gets ErrInvalid (which shows the body is really bad). Nothing is
// written either way.
func TestAuthorizeFirst(t *testing.T) {
	store := ticket.NewMemStore()
	svc, err := ticket.New(store, ticket.Config{Desk: "north", Authorizer: denyOne("mallory")})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := svc.Receive(ctx, agent, repairIntake())
	if err != nil {
		t.Fatal(err)
	}
	ref := tk.Ref()
	long := strings.Repeat("x", 1<<20)
	calls := []struct {
		name string
		call func(by ticket.Actor) error
	}{
		{"Receive_empty_intake", func(by ticket.Actor) error { _, err := svc.Receive(ctx, by, ticket.Intake{}); return err }},
		{"Receive_oversized_subject", func(by ticket.Actor) error {
			in := repairIntake()
			in.Subject = long
			_, err := svc.Receive(ctx, by, in)
			return err
		}},
		{"Link_oversized_subject", func(by ticket.Actor) error {
			in := repairIntake()
			in.Subject = long
			_, err := svc.Link(ctx, by, ref, in)
			return err
		}},
		{"Complete_no_fields", func(by ticket.Actor) error { _, err := svc.Complete(ctx, by, ref, nil); return err }},
		{"Handover_to_nobody", func(by ticket.Actor) error { _, err := svc.Handover(ctx, by, ref, " ", ""); return err }},
		{"SetPriority_unnamed", func(by ticket.Actor) error { _, err := svc.SetPriority(ctx, by, ref, "", ""); return err }},
		{"Resolve_no_summary", func(by ticket.Actor) error { _, err := svc.Resolve(ctx, by, ref, " "); return err }},
		{"Progress_no_apology", func(by ticket.Actor) error { _, err := svc.Progress(ctx, by, ref, ticket.Progress{}); return err }},
		{"RecordRevisit_failed_without_note", func(by ticket.Actor) error {
			_, err := svc.RecordRevisit(ctx, by, ref, ticket.RevisitOutcome{})
			return err
		}},
		{"Classify_unknown_severity", func(by ticket.Actor) error {
			_, err := svc.Classify(ctx, by, ref, ticket.ComplaintInfo{Class: "x", Severity: "bogus"})
			return err
		}},
		{"Note_oversized", func(by ticket.Actor) error { _, err := svc.Note(ctx, by, ref, long); return err }},
		{"Describe_oversized", func(by ticket.Actor) error { _, err := svc.Describe(ctx, by, ref, long, ""); return err }},
	}
	mallory := ticket.Actor{ID: "mallory", Role: ticket.RoleDirector}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			err := c.call(mallory)
			if !errors.Is(err, ticket.ErrForbidden) || errors.Is(err, ticket.ErrInvalid) {
				t.Errorf("forbidden actor, bad body: %v; want ErrForbidden, not ErrInvalid", err)
			}
			if err := c.call(agent); !errors.Is(err, ticket.ErrInvalid) {
				t.Errorf("allowed actor, same body: %v; want ErrInvalid", err)
			}
			got, err := svc.Get(ctx, tk.ID)
			if err != nil || got.Version != tk.Version {
				t.Errorf("a refused call changed the ticket: version %d, %v; want %d", got.Version, err, tk.Version)
			}
		})
	}
}
