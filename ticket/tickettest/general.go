package tickettest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// testGeneralFields: a general desk's ticket fields (subject,
// description, priority, tags, the email channel) are stored, read back,
// changed through the service and found by the priority and tag
// filters; a priority outside the desk's set and bad text are
// ErrInvalid and change nothing.
func testGeneralFields(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	now := T0
	p := ticket.PropertyDesk()
	p.DefaultPriority = ticket.PriorityNormal
	svc := deskService(t, s, &p, &now)
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	mail, err := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Email,
		Subject: "  Invoice 2026-03 is wrong ", Description: "The March invoice charges twice.",
		Priority: ticket.PriorityHigh, Tags: []string{"Billing", "vip", "billing"}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone})
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Get(ctx, mail.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Channel != ticket.Email || got.Subject != "Invoice 2026-03 is wrong" || got.Description != "The March invoice charges twice." ||
		got.Priority != ticket.PriorityHigh || !slices.Equal(got.Tags, []string{"billing", "vip"}) {
		t.Fatalf("stored %q %q %q %q %v", got.Channel, got.Subject, got.Description, got.Priority, got.Tags)
	}
	if p, _ := svc.Get(ctx, plain.ID); p.Priority != ticket.PriorityNormal || p.Tags != nil {
		t.Fatalf("a request without priority or tags: %q %v, want the default priority and no tags", p.Priority, p.Tags)
	}
	list := func(f ticket.Filter) []int64 {
		t.Helper()
		l, err := svc.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var n []int64
		for _, x := range l {
			n = append(n, x.Number)
		}
		return n
	}
	if n := list(ticket.Filter{Priorities: []ticket.Priority{ticket.PriorityHigh, ticket.PriorityUrgent}}); !slices.Equal(n, []int64{mail.Number}) {
		t.Errorf("high or urgent: %v, want [%d]", n, mail.Number)
	}
	if n := list(ticket.Filter{Tags: []string{"VIP", "billing"}}); !slices.Equal(n, []int64{mail.Number}) {
		t.Errorf("tags vip and billing: %v, want [%d]", n, mail.Number)
	}
	if n := list(ticket.Filter{Tags: []string{"bill"}}); len(n) != 0 {
		t.Errorf("tag bill (a prefix of billing): %v, want none", n)
	}
	now = now.Add(time.Minute)
	tk, err := svc.SetPriority(ctx, agent, mail.Ref(), ticket.PriorityUrgent, "customer is blocked")
	if err != nil || tk.Priority != ticket.PriorityUrgent {
		t.Fatalf("SetPriority: %v, %v", tk, err)
	}
	tk, err = svc.Tag(ctx, agent, tk.Ref(), []string{"refund"}, []string{"vip"})
	if err != nil || !slices.Equal(tk.Tags, []string{"billing", "refund"}) {
		t.Fatalf("Tag: %v, %v", tk, err)
	}
	tk, err = svc.Describe(ctx, agent, tk.Ref(), "Invoice 2026-03 charged twice", got.Description)
	if err != nil || tk.Subject != "Invoice 2026-03 charged twice" {
		t.Fatalf("Describe: %v, %v", tk, err)
	}
	if n := list(ticket.Filter{Priorities: []ticket.Priority{ticket.PriorityUrgent}, Tags: []string{"refund"}}); !slices.Equal(n, []int64{mail.Number}) {
		t.Errorf("urgent with refund: %v, want [%d]", n, mail.Number)
	}
	if n := list(ticket.Filter{Tags: []string{"vip"}}); len(n) != 0 {
		t.Errorf("vip after its removal: %v, want none", n)
	}
	h, err := svc.History(ctx, mail.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h[0].Data["priority"] != "high" || h[0].Data["tags"] != "billing,vip" || h[1].Data["from"] != "high" || h[2].Data["added"] != "refund" {
		t.Errorf("history data: %v %v %v", h[0].Data, h[1].Data, h[2].Data)
	}
	for _, e := range h {
		for _, v := range e.Data {
			if v == got.Subject || v == got.Description {
				t.Errorf("event %s publishes the subject or description", e.Action)
			}
		}
	}
	for name, in := range map[string]ticket.Intake{
		"unknown priority": {Kind: ticket.Inquiry, Channel: ticket.Email, Priority: "critical"},
		"NUL subject":      {Kind: ticket.Inquiry, Channel: ticket.Email, Subject: "a\x00b"},
		"bad description":  {Kind: ticket.Inquiry, Channel: ticket.Email, Description: "\xff"},
		"comma tag":        {Kind: ticket.Inquiry, Channel: ticket.Email, Tags: []string{"a,b"}},
		"empty tag":        {Kind: ticket.Inquiry, Channel: ticket.Email, Tags: []string{" "}},
	} {
		if _, err := svc.Receive(ctx, agent, in); !errors.Is(err, ticket.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := svc.SetPriority(ctx, agent, ticket.Ref{ID: mail.ID}, "critical", ""); !errors.Is(err, ticket.ErrInvalid) {
		t.Errorf("SetPriority to an unknown priority: %v, want ErrInvalid", err)
	}
	if n := list(ticket.Filter{}); len(n) != 2 {
		t.Errorf("refused requests were stored: %d tickets, want 2", len(n))
	}
}
