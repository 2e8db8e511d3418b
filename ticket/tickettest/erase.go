package tickettest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// testErase: erasing a customer (S1) leaves none of their values in
// anything the store holds (tickets, every history event and outbox
// entry, every table of an adapter that is a Dumper): not in personal
// fields, and not in free text either (category, complaint class,
// non-personal attributes, attachment names and URIs, subject and
// description, notes, the
// category every event copies, the erase event itself); a case linked
// from theirs (T17) is erased too. The trail stays: who, when, which
// action, from and to.
func testErase(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	now := T0
	p := ticket.PropertyDesk()
	p.Attributes = map[string]ticket.AttrSpec{
		"remark":  {Type: ticket.AttrString},
		"id_card": {Type: ticket.AttrString, Personal: true},
	}
	svc := deskService(t, s, &p, &now)
	agent := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
	lead := ticket.Actor{ID: "zhou", Role: ticket.RoleShiftLead}
	must := func(tk *ticket.Ticket, err error) *ticket.Ticket {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	tk := must(svc.Receive(ctx, agent, ticket.Intake{
		Kind: ticket.Complaint, Category: "noise from 王建国's neighbour", Channel: ticket.Email,
		Subject: "Noise complaint from 王建国", Description: "Please call 13912345678; I live at Block 7 Room 1203.",
		Fields:    map[string]string{"person": "王建国", "phone": "13912345678", "place": "Block 7 Room 1203", "event": "noise at Block 7 Room 1203", "time": "night"},
		Complaint: &ticket.ComplaintInfo{Class: "noise (王建国)", Severity: ticket.Normal},
		Customer:  &ticket.Customer{ID: "crm-42", Name: "王建国", Phone: "13912345678", Address: "Block 7 Room 1203"},
		Attrs:     map[string]string{"remark": "call 13912345678 after six", "id_card": "110101199001011234"},
		Attachments: []ticket.Attachment{{Name: "recording 13912345678.mp3", URI: "https://files.example/王建国/1.mp3",
			ContentType: "audio/mpeg", Size: 1, SHA256: strings.Repeat("ef", 32), Kind: "recording"}},
	}))
	now = now.Add(time.Minute)
	tk = must(svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Department: "security", Note: "王建国 is waiting"}))
	child := must(svc.Link(ctx, agent, tk.Ref(), ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone,
		Fields: map[string]string{"event": "王建国 asks about parking at Block 7 Room 1203"}}))
	other := must(svc.Receive(ctx, agent, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone,
		Fields: map[string]string{"person": "Zhang", "event": "fees"}, Customer: &ticket.Customer{ID: "crm-7", Name: "Zhang"}}))
	secrets := []string{"王建国", "13912345678", "Block 7 Room 1203", "110101199001011234"}
	before := dumpAll(t, s, "north")
	for _, v := range secrets {
		if !strings.Contains(before, v) {
			t.Fatalf("test setup: %q is not stored", v)
		}
	}
	trail := func() string {
		var b strings.Builder
		for _, x := range []*ticket.Ticket{tk, child, other} {
			h, err := svc.History(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range h {
				if e.Action != ticket.ActErase {
					b.WriteString(strings.Join([]string{e.ID.String(), string(e.Action), e.Actor, string(e.Role), e.At.UTC().String(), string(e.From), string(e.To)}, " ") + "\n")
				}
			}
		}
		return b.String()
	}
	trailBefore := trail()
	now = now.Add(time.Minute)
	n, err := svc.Erase(ctx, lead, "crm-42")
	if err != nil || n != 2 {
		t.Fatalf("Erase = %d, %v; want the complaint and its linked case", n, err)
	}
	after := dumpAll(t, s, "north")
	for _, v := range secrets {
		if i := strings.Index(after, v); i >= 0 {
			t.Errorf("%q is still stored after the erasure: …%s…", v, after[max(0, i-160):min(len(after), i+len(v)+60)])
		}
	}
	if got := trail(); got != trailBefore {
		t.Errorf("the erasure changed the trail:\n%s\nwant\n%s", got, trailBefore)
	}
	if o, _ := svc.Get(ctx, other.ID); o.Customer.Name != "Zhang" || o.Fields["person"] != "Zhang" {
		t.Errorf("another customer's ticket changed: %+v", o.Customer)
	}
	if n, err := svc.Erase(ctx, lead, "crm-42"); err != nil || n != 0 {
		t.Errorf("erasing again = %d, %v; want nothing left", n, err)
	}
}

// testRedact: erasure rewrites notes and data of past events in the
// history and the outbox, nothing else, and appends its own event.
func testRedact(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	tk, ev := NewTicket("north", 1)
	ev.Note = "secret 555-0100"
	ev.Data["phone"] = "555-0100"
	MustCreate(t, s, tk, ev)
	v2, e2 := Next(tk, ticket.Dispatched, "call 555-0100")
	if err := s.Update(ctx, v2, e2); err != nil {
		t.Fatal(err)
	}
	v3, e3 := Next(v2, ticket.Dispatched, "erased")
	v3.Fields = map[string]string{}
	r1 := ev.Clone()
	r1.Note, r1.Data = "secret [erased]", map[string]string{"channel": "phone", "phone": "[erased]"}
	r2 := e2.Clone()
	r2.Note = "call [erased]"
	stale := v3.Clone()
	stale.Version = 2
	staleEv := e3
	staleEv.Seq = 2
	if err := s.Redact(ctx, stale, []ticket.Event{r1}, staleEv); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("stale redact: %v, want ErrConflict", err)
	}
	ghost := r1
	ghost.ID = uuid.New()
	if err := s.Redact(ctx, v3, []ticket.Event{r2, ghost}, e3); !errors.Is(err, ticket.ErrNotFound) {
		t.Fatalf("redacting an event the ticket lacks: %v, want ErrNotFound", err)
	}
	if h, _ := s.History(ctx, "north", tk.ID); len(h) != 2 || h[1].Note != "call 555-0100" {
		t.Fatalf("a refused redact changed the history: %+v", h)
	}
	if err := s.Redact(ctx, v3, []ticket.Event{r1, r2}, e3); err != nil {
		t.Fatal(err)
	}
	h, _ := s.History(ctx, "north", tk.ID)
	if len(h) != 3 || h[0].Note != "secret [erased]" || h[0].Data["phone"] != "[erased]" || h[1].Note != "call [erased]" || h[2].ID != e3.ID {
		t.Fatalf("history after redact %+v", h)
	}
	if h[0].Action != ev.Action || !h[0].At.Equal(ev.At) || h[0].Actor != ev.Actor || h[1].From != e2.From || h[1].To != e2.To {
		t.Fatal("redact changed the trail")
	}
	pend, _ := s.Pending(ctx, "c", "north", 10)
	if len(pend) != 3 {
		t.Fatalf("outbox has %d events", len(pend))
	}
	for _, p := range pend {
		if p.Note == "secret 555-0100" || p.Note == "call 555-0100" || p.Data["phone"] == "555-0100" {
			t.Fatalf("outbox still holds the erased value: %+v", p)
		}
	}
	got, _ := s.Get(ctx, "north", tk.ID)
	if got.Version != 3 || len(got.Fields) != 0 {
		t.Fatalf("ticket after redact: v%d fields %v", got.Version, got.Fields)
	}
}
