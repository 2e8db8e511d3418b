package ticket_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// A version 1 document (before subject, priority and tags) still reads
// and imports; a written document is version 2 and reads back with the
// new fields.
func TestDocument_v1StillReads(t *testing.T) {
	v1 := `{"schema":"servicedesk.tickets/v1","desk":"north","records":[{"ticket":{"id":"0190d4a4-8f5e-7000-8000-000000000001",
"desk":"north","number":7,"version":1,"kind":"inquiry","channel":"phone","state":"received","escalation":{"level":0},
"parent":"00000000-0000-0000-0000-000000000000","revisit":{"required":false,"done":false,"passed":false},
"reply_by":"0001-01-01T00:00:00Z","appointment":"0001-01-01T00:00:00Z","received_at":"2026-03-02T09:00:00Z",
"updated_at":"2026-03-02T09:00:00Z","answered_at":"0001-01-01T00:00:00Z","closed_at":"0001-01-01T00:00:00Z"},
"history":[{"id":"0190d4a4-8f5e-7000-8000-000000000002","desk":"north","ticket":"0190d4a4-8f5e-7000-8000-000000000001",
"seq":1,"action":"receive","actor":"li","role":"agent","at":"2026-03-02T09:00:00Z","from":"","to":"received","kind":"inquiry"}]}]}`
	doc, err := ticket.ReadDocument(strings.NewReader(v1))
	if err != nil {
		t.Fatalf("v1 document: %v", err)
	}
	tk := doc.Records[0].Ticket
	if tk.Number != 7 || tk.Subject != "" || tk.Priority != "" || tk.Tags != nil {
		t.Fatalf("v1 ticket read as %+v", tk)
	}
	svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north"})
	if err != nil {
		t.Fatal(err)
	}
	lead := ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}
	if _, err := svc.Import(context.Background(), lead, doc.Records[0]); err != nil {
		t.Fatalf("importing a v1 record: %v", err)
	}
	got, err := svc.Receive(context.Background(), ticket.Actor{ID: "li", Role: ticket.RoleAgent}, ticket.Intake{
		Kind: ticket.Inquiry, Channel: ticket.Email, Subject: "Parking", Priority: ticket.PriorityHigh, Tags: []string{"parking"}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ticket.WriteDocument(&buf, "north", []ticket.Record{{Ticket: got}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"schema": "servicedesk.tickets/v2"`) {
		t.Fatalf("written document is not v2:\n%s", buf.String())
	}
	back, err := ticket.ReadDocument(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := back.Records[0].Ticket; b.Subject != "Parking" || b.Priority != ticket.PriorityHigh || b.Tags[0] != "parking" || b.Channel != ticket.Email {
		t.Fatalf("v2 round trip: %+v", b)
	}
	if _, err := ticket.ReadDocument(strings.NewReader(`{"schema":"servicedesk.tickets/v3","records":[]}`)); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("v3 document: %v, want ErrInvalid", err)
	}
}

// TestErase/S1_personal_text_removed_whole: under Policy.PersonalText a
// ticket's subject and description are removed whole, not only the
// customer's values in them; without it only the values go.
func TestErase(t *testing.T) {
	for _, whole := range []bool{true, false} {
		name := "S1_personal_text_removed_whole"
		if !whole {
			name = "S1_personal_values_scrubbed_from_text"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			p := ticket.PropertyDesk()
			p.PersonalText = whole
			svc, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north", Policy: &p, Now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }})
			if err != nil {
				t.Fatal(err)
			}
			tk, err := svc.Receive(ctx, ticket.Actor{ID: "li", Role: ticket.RoleAgent}, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Email,
				Subject: "Question from Wang Fang", Description: "My daughter starts school in May; reach me at 13912345678.",
				Customer: &ticket.Customer{ID: "c1", Name: "Wang Fang", Phone: "13912345678"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Erase(ctx, ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}, "c1"); err != nil {
				t.Fatal(err)
			}
			got, _ := svc.Get(ctx, tk.ID)
			wantS, wantD := ticket.Erased, ticket.Erased
			if !whole {
				wantS, wantD = "Question from "+ticket.Erased, "My daughter starts school in May; reach me at "+ticket.Erased+"."
			}
			if got.Subject != wantS || got.Description != wantD {
				t.Fatalf("after erasure: %q / %q, want %q / %q", got.Subject, got.Description, wantS, wantD)
			}
		})
	}
}
