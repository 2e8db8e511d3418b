package ticket_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

var director = ticket.Actor{ID: "dir-gao", Role: ticket.RoleDirector}

func customerIntake() ticket.Intake {
	in := repairIntake()
	in.Fields["person"] = "王建国"
	in.Fields["phone"] = "13912345678"
	in.Fields["location"] = "Block 7 Room 1203"
	in.Customer = &ticket.Customer{ID: "crm-42", Name: "王建国", Phone: "13912345678", Address: "Block 7 Room 1203", Grade: "A"}
	in.Note = "王建国 called from 13912345678 about Block 7 Room 1203"
	in.Attachments = []ticket.Attachment{{Name: "signature-wang.png", URI: "s3://desk/sig/wang-1203.png", ContentType: "image/png",
		Size: 2048, SHA256: strings.Repeat("ab", 32), Kind: "signature", Personal: true}}
	return in
}

// dump returns everything the store keeps for the desk as JSON: tickets,
// histories and every outbox entry.
func (d *desk) dump() string {
	d.t.Helper()
	var b strings.Builder
	all, err := d.svc.List(ctx, ticket.Filter{})
	if err != nil {
		d.t.Fatal(err)
	}
	for _, tk := range all {
		h, _ := d.svc.History(ctx, tk.ID)
		json.NewEncoder(&b).Encode(ticket.Record{Ticket: tk, History: h})
	}
	out, err := d.store.Pending(ctx, "dump-"+uuid.NewString(), "", 1<<20)
	if err != nil {
		d.t.Fatal(err)
	}
	json.NewEncoder(&b).Encode(out)
	return b.String()
}

func TestCustomerData(t *testing.T) {
	t.Run("S1_erasure_leaves_no_trace_and_keeps_the_trail", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, customerIntake())
		d.wait(time.Minute)
		tk = d.must(d.svc.Complete(ctx, agent, tk.Ref(), map[string]string{"phone": "13912345678"}))
		tk = d.must(d.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID, Note: "call 王建国 first"}))
		tk = d.must(d.svc.Resolve(ctx, plumber, tk.Ref(), "fixed the tap at Block 7 Room 1203"))
		other := d.receive(agent, inquiryIntake()) // another customer's ticket stays as it is
		before := d.dump()
		secrets := []string{"王建国", "13912345678", "Block 7 Room 1203", "s3://desk/sig/wang-1203.png", "signature-wang.png"}
		for _, s := range secrets {
			if !strings.Contains(before, s) {
				t.Fatalf("test setup: %q is not stored before erasure", s)
			}
		}
		exp, err := d.svc.Export(ctx, "crm-42")
		if err != nil || len(exp) != 1 || exp[0].Ticket.Customer.Name != "王建国" || len(exp[0].History) != 4 {
			t.Fatalf("export before erasure: %v %v", exp, err)
		}
		hBefore, _ := d.svc.History(ctx, tk.ID)

		if _, err := d.svc.Erase(ctx, agent, "crm-42"); !errors.Is(err, ticket.ErrForbidden) {
			t.Fatalf("an agent erasing: %v, want ErrForbidden", err)
		}
		n, err := d.svc.Erase(ctx, director, "crm-42")
		if err != nil || n != 1 {
			t.Fatalf("Erase = %d, %v", n, err)
		}
		after := d.dump()
		for _, s := range secrets {
			if strings.Contains(after, s) {
				t.Errorf("%q is still stored after erasure", s)
			}
		}
		hAfter, _ := d.svc.History(ctx, tk.ID)
		if len(hAfter) != len(hBefore)+1 {
			t.Fatalf("history %d → %d events, want one erase event more", len(hBefore), len(hAfter))
		}
		for i, e := range hBefore {
			a := hAfter[i]
			if a.ID != e.ID || a.Action != e.Action || a.Actor != e.Actor || a.Role != e.Role || !a.At.Equal(e.At) || a.From != e.From || a.To != e.To {
				t.Fatalf("erasure changed the trail at event %d: %+v → %+v", i+1, e, a)
			}
		}
		last := hAfter[len(hAfter)-1]
		if last.Action != ticket.ActErase || last.Actor != director.ID || last.Data["customer"] != "crm-42" {
			t.Fatalf("erasure not recorded: %+v", last)
		}
		got, _ := d.svc.Get(ctx, tk.ID)
		if got.Customer == nil || !got.Customer.Erased || got.Customer.ID != "crm-42" || got.Customer.Grade != "A" || len(got.Attachments) != 0 {
			t.Fatalf("customer after erasure %+v, attachments %v", got.Customer, got.Attachments)
		}
		if got.Fields["item"] != "kitchen pipe" {
			t.Fatalf("a non-personal field was erased: %v", got.Fields)
		}
		if o, _ := d.svc.Get(ctx, other.ID); o.Fields["person"] != "Wang" {
			t.Fatalf("another customer's ticket changed: %v", o.Fields)
		}
		if n, err := d.svc.Erase(ctx, director, "crm-42"); err != nil || n != 0 {
			t.Fatalf("second erasure = %d, %v; want nothing left to erase", n, err)
		}
	})
	t.Run("S1_export_by_customer", func(t *testing.T) {
		d := newDesk(t, nil)
		d.receive(agent, customerIntake())
		d.receive(agent, inquiryIntake())
		d.receive(agent, customerIntake())
		exp, err := d.svc.Export(ctx, "crm-42")
		if err != nil || len(exp) != 2 {
			t.Fatalf("export %d records, %v; want 2", len(exp), err)
		}
		if _, err := d.svc.Export(ctx, ""); !errors.Is(err, ticket.ErrInvalid) {
			t.Fatalf("export without customer: %v", err)
		}
	})
}

func TestAttributes(t *testing.T) {
	p := ticket.PropertyDesk()
	p.Attributes = map[string]ticket.AttrSpec{
		"floor":    {Type: ticket.AttrInt},
		"vip":      {Type: ticket.AttrBool},
		"deadline": {Type: ticket.AttrTime},
		"building": {Type: ticket.AttrEnum, Values: []string{"A", "B"}},
		"remark":   {Type: ticket.AttrString},
		"id_card":  {Type: ticket.AttrString, Personal: true},
	}
	d := newDesk(t, &p)
	in := repairIntake()
	in.Attrs = map[string]string{"floor": " 12", "vip": "TRUE", "deadline": "2026-03-05T10:00:00+08:00", "building": "A"}
	tk := d.receive(agent, in)
	want := map[string]string{"floor": "12", "vip": "true", "deadline": "2026-03-05T02:00:00Z", "building": "A"}
	for k, v := range want {
		if tk.Attrs[k] != v {
			t.Errorf("attr %s = %q, want canonical %q", k, tk.Attrs[k], v)
		}
	}
	bad := []map[string]string{{"floor": "twelve"}, {"vip": "maybe"}, {"deadline": "tomorrow"}, {"building": "C"}, {"colour": "red"}}
	for _, b := range bad {
		if _, err := d.svc.SetAttrs(ctx, agent, tk.Ref(), b); !errors.Is(err, ticket.ErrInvalid) {
			t.Errorf("SetAttrs(%v): %v, want ErrInvalid", b, err)
		}
		in := repairIntake()
		in.Attrs = b
		if _, err := d.svc.Receive(ctx, agent, in); !errors.Is(err, ticket.ErrInvalid) {
			t.Errorf("Receive with %v: %v, want ErrInvalid", b, err)
		}
	}
	d.unchanged(tk.ID, 1)
	tk = d.must(d.svc.SetAttrs(ctx, agent, tk.Ref(), map[string]string{"vip": "", "remark": "dog in the flat"}))
	if _, ok := tk.Attrs["vip"]; ok || tk.Attrs["remark"] != "dog in the flat" {
		t.Fatalf("attrs after set %v", tk.Attrs)
	}
}

func TestAttachments(t *testing.T) {
	d := newDesk(t, nil)
	tk := d.receive(agent, repairIntake())
	good := ticket.Attachment{Name: "before.jpg", URI: "https://files.example/r/1.jpg", ContentType: "image/jpeg", Size: 1000, SHA256: strings.Repeat("0f", 32), Kind: "photo"}
	tk = d.must(d.svc.Attach(ctx, plumber, tk.Ref(), good))
	if len(tk.Attachments) != 1 || tk.Attachments[0].AddedBy != plumber.ID || !tk.Attachments[0].AddedAt.Equal(d.now) {
		t.Fatalf("attachments %+v", tk.Attachments)
	}
	if _, err := d.svc.Attach(ctx, plumber, tk.Ref(), good); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("the same file twice: %v", err)
	}
	for name, mod := range map[string]func(*ticket.Attachment){
		"no_name":    func(a *ticket.Attachment) { a.Name = "" },
		"relative":   func(a *ticket.Attachment) { a.URI = "photos/1.jpg" },
		"bad_type":   func(a *ticket.Attachment) { a.ContentType = "jpeg" },
		"bad_sha":    func(a *ticket.Attachment) { a.SHA256 = "xyz" },
		"negative":   func(a *ticket.Attachment) { a.Size = -1 },
		"short_hash": func(a *ticket.Attachment) { a.SHA256 = "abcd" },
	} {
		a := good
		a.URI = "https://files.example/r/" + name
		mod(&a)
		if _, err := d.svc.Attach(ctx, plumber, tk.Ref(), a); !errors.Is(err, ticket.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	d.unchanged(tk.ID, 2)
}

func TestQueries(t *testing.T) {
	d := newDesk(t, nil)
	var ids []uuid.UUID
	for i := range 12 {
		in := inquiryIntake()
		if i%3 == 0 {
			in = ticket.Intake{Kind: ticket.Complaint, Channel: ticket.Phone, Fields: map[string]string{"event": "x"},
				Complaint: &ticket.ComplaintInfo{Class: []string{"noise", "fees"}[i%2], Severity: []ticket.Severity{ticket.Minor, ticket.Major}[i%2]}}
		}
		if i%4 == 0 {
			in.Customer = &ticket.Customer{ID: "crm-7"}
		}
		ids = append(ids, d.receive(agent, in).ID)
		d.wait(time.Hour)
	}
	count := func(f ticket.Filter) int {
		l, err := d.svc.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(l)
	}
	checks := []struct {
		name string
		f    ticket.Filter
		want int
	}{
		{"customer", ticket.Filter{Customer: "crm-7"}, 3},
		{"class", ticket.Filter{Classes: []string{"noise"}}, 2},
		{"severity", ticket.Filter{Severities: []ticket.Severity{ticket.Major}}, 2},
		{"received_range", ticket.Filter{ReceivedFrom: t0.Add(2 * time.Hour), ReceivedBefore: t0.Add(5 * time.Hour)}, 3},
		{"kind", ticket.Filter{Kinds: []ticket.Kind{ticket.Complaint}}, 4},
		{"overdue", ticket.Filter{DueBefore: d.now}, 12},
	}
	for _, c := range checks {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d tickets, want %d", c.name, got, c.want)
		}
	}
	// Touch ticket 3, so update order puts it last.
	d.must(d.svc.Note(ctx, agent, ticket.Ref{ID: ids[2]}, "touched"))
	if got := count(ticket.Filter{UpdatedFrom: d.now}); got != 1 {
		t.Errorf("updated_from: %d, want 1", got)
	}
	l, _ := d.svc.List(ctx, ticket.Filter{Order: ticket.ByUpdated})
	if l[len(l)-1].ID != ids[2] {
		t.Errorf("by updated: last is case %d", l[len(l)-1].Number)
	}
	l, _ = d.svc.List(ctx, ticket.Filter{Order: ticket.ByNumberDesc, Limit: 2})
	if len(l) != 2 || l[0].Number != 12 || l[1].Number != 11 {
		t.Errorf("newest first: %v", l)
	}
}

// TestPagination pages through tickets while other goroutines add and
// change tickets: in number order every ticket that existed when paging
// began is seen exactly once; in update order none is skipped.
func TestPagination(t *testing.T) {
	for _, order := range []ticket.Order{ticket.ByNumber, ticket.ByNumberDesc, ticket.ByUpdated} {
		t.Run(fmt.Sprint("order_", order), func(t *testing.T) {
			store := ticket.NewMemStore()
			svc, _ := ticket.New(store, ticket.Config{Desk: "north"})
			before := map[uuid.UUID]bool{}
			for range 60 {
				tk, _ := svc.Receive(ctx, agent, inquiryIntake())
				before[tk.ID] = true
			}
			var wg sync.WaitGroup
			stop := make(chan struct{})
			wg.Add(1)
			go func() { // concurrent inserts and updates
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					tk, err := svc.Receive(ctx, agent2, inquiryIntake())
					if err != nil {
						t.Error(err)
						return
					}
					all, _ := svc.List(ctx, ticket.Filter{Limit: 5, Order: ticket.ByNumber, After: &ticket.Cursor{Number: int64(i % 50)}})
					for _, x := range all {
						svc.Note(ctx, agent2, ticket.Ref{ID: x.ID}, "bump")
					}
					_ = tk
				}
			}()
			seen := map[uuid.UUID]int{}
			f := ticket.Filter{Order: order, Limit: 7}
			for range 1000 {
				page, err := svc.List(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				for _, tk := range page {
					seen[tk.ID]++
				}
				f.After = page[len(page)-1].Cursor(order)
			}
			close(stop)
			wg.Wait()
			for id := range before {
				switch {
				case seen[id] == 0:
					t.Fatalf("ticket %s was skipped", id)
				case seen[id] > 1 && order != ticket.ByUpdated:
					t.Fatalf("ticket %s seen %d times in a stable order", id, seen[id])
				}
			}
		})
	}
}

func TestImport(t *testing.T) {
	src := newDesk(t, nil)
	tk := src.toAnswered()
	tk = src.must(src.svc.Accept(ctx, agent, tk.Ref(), ""))
	h, _ := src.svc.History(ctx, tk.ID)
	rec := ticket.Record{Ticket: tk, History: h}

	var buf bytes.Buffer
	if err := ticket.WriteDocument(&buf, "north", []ticket.Record{rec}); err != nil {
		t.Fatal(err)
	}
	doc, err := ticket.ReadDocument(&buf)
	if err != nil {
		t.Fatal(err)
	}

	store := ticket.NewMemStore()
	dst, _ := ticket.New(store, ticket.Config{Desk: "south", Now: func() time.Time { return t0.Add(100 * time.Hour) }})
	// A ticket from another desk is refused as such; clear the desk to adopt it.
	if _, err := dst.Import(ctx, director, doc.Records[0]); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("importing another desk's ticket: %v", err)
	}
	doc.Records[0].Ticket.Desk = ""
	got, err := dst.Import(ctx, director, doc.Records[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.State != ticket.Revisit || got.Owner != agent.ID || got.Assignee != plumber.ID || !got.ReceivedAt.Equal(t0) || got.Version != int64(len(h))+1 || got.Desk != "south" {
		t.Fatalf("imported %+v", got)
	}
	ih, _ := dst.History(ctx, got.ID)
	if !ih[0].At.Equal(h[0].At) || ih[len(ih)-1].Action != ticket.ActImport || ih[len(ih)-1].Data["source_number"] != "1" {
		t.Fatalf("imported history %+v", ih)
	}
	pend, _ := dst.Pending(ctx, "c", 10)
	if len(pend) != 1 || pend[0].Action != ticket.ActImport {
		t.Fatalf("outbox after import: %v; want only the import event", pend)
	}
	// Twice: nothing changes.
	again, err := dst.Import(ctx, director, doc.Records[0])
	if err != nil || again.Version != got.Version {
		t.Fatalf("second import: %v, version %d", err, again.Version)
	}
	if l, _ := dst.List(ctx, ticket.Filter{}); len(l) != 1 {
		t.Fatalf("%d tickets after importing twice", len(l))
	}
	// The imported ticket lives on.
	if _, err := dst.RecordRevisit(ctx, rlead, got.Ref(), ticket.RevisitOutcome{Passed: true}); err != nil {
		t.Fatal(err)
	}
	// Another history under the same ID is a conflict.
	changed := doc.Records[0]
	changed.History = append([]ticket.Event(nil), changed.History...)
	changed.History[1].ID = uuid.New()
	if _, err := dst.Import(ctx, director, changed); !errors.Is(err, ticket.ErrConflict) {
		t.Fatalf("conflicting reimport: %v", err)
	}
	if _, err := dst.Import(ctx, agent, doc.Records[0]); !errors.Is(err, ticket.ErrForbidden) {
		t.Fatalf("an agent importing: %v", err)
	}

	broken := map[string]func(r *ticket.Record){
		"illegal_transition": func(r *ticket.Record) { r.History[2].Action = ticket.ActAccept },
		"gap":                func(r *ticket.Record) { r.History[2].Seq = 9 },
		"first_not_receive":  func(r *ticket.Record) { r.History[0].Action = ticket.ActNote },
		"wrong_end_state":    func(r *ticket.Record) { r.Ticket.State = ticket.Closed },
		"time_goes_back":     func(r *ticket.Record) { r.History[3].At = t0.Add(-time.Hour) },
		"unknown_kind":       func(r *ticket.Record) { r.Ticket.Kind = "spaceship" },
		"no_history":         func(r *ticket.Record) { r.History = nil },
		"other_ticket_event": func(r *ticket.Record) { r.History[1].Ticket = uuid.New() },
		"repeated_event_id":  func(r *ticket.Record) { r.History[2].ID = r.History[1].ID },
	}
	for name, breakIt := range broken {
		t.Run("refused_"+name, func(t *testing.T) {
			r := ticket.Record{Ticket: tk.Clone(), History: append([]ticket.Event(nil), h...)}
			r.Ticket.ID = uuid.New()
			r.Ticket.Desk = ""
			for i := range r.History {
				r.History[i].Ticket = r.Ticket.ID
				r.History[i].ID = uuid.New()
			}
			breakIt(&r)
			n := len(must(dst.List(ctx, ticket.Filter{})))
			if _, err := dst.Import(ctx, director, r); !errors.Is(err, ticket.ErrInvalid) {
				t.Fatalf("import: %v, want ErrInvalid", err)
			}
			if m := len(must(dst.List(ctx, ticket.Filter{}))); m != n {
				t.Fatalf("a refused import stored a ticket")
			}
		})
	}
}

// TestImportReopenedOften: whatever a desk can produce it can import.
// A ticket reopened 80 times carries a clock per lap, more deadlines
// than Bounds.Fields; its export imports on another desk as it is.
func TestImportReopenedOften(t *testing.T) {
	src := newDesk(t, nil)
	tk := src.toAnswered()
	for range 80 {
		tk = src.must(src.svc.Reject(ctx, agent, tk.Ref(), "still dripping"))
		src.wait(time.Minute)
		tk = src.must(src.svc.Dispatch(ctx, agent, tk.Ref(), ticket.Assignment{Assignee: plumber.ID}))
		src.wait(time.Minute)
		tk = src.must(src.svc.Resolve(ctx, plumber, tk.Ref(), "pipe replaced again"))
		src.wait(time.Minute)
		tk = src.must(src.svc.Answer(ctx, agent, tk.Ref(), "told the customer"))
	}
	if n := len(tk.Deadlines); n <= ticket.DefaultBounds().Fields {
		t.Fatalf("%d deadlines after 80 laps; the case needs more than Bounds.Fields", n)
	}
	h, _ := src.svc.History(ctx, tk.ID)
	rec := ticket.Record{Ticket: tk.Clone(), History: h}
	rec.Ticket.Desk = ""
	dst, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "south", Now: func() time.Time { return t0.Add(1000 * time.Hour) }})
	got, err := dst.Import(ctx, director, rec)
	if err != nil {
		t.Fatalf("importing a ticket of %d deadlines and %d events: %v", len(tk.Deadlines), len(h), err)
	}
	if len(got.Deadlines) != len(tk.Deadlines) || got.Version != int64(len(h))+1 {
		t.Fatalf("imported %d deadlines at version %d", len(got.Deadlines), got.Version)
	}
	// More clocks than its history could have opened is refused.
	forged := ticket.Record{Ticket: tk.Clone(), History: h[:4]}
	forged.Ticket.ID, forged.Ticket.Desk, forged.Ticket.State = uuid.New(), "", h[3].To
	forged.History = append([]ticket.Event(nil), h[:4]...)
	for i := range forged.History {
		forged.History[i].ID, forged.History[i].Ticket = uuid.New(), forged.Ticket.ID
	}
	if _, err := dst.Import(ctx, director, forged); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("%d deadlines with a history of 4 events: %v, want ErrInvalid", len(forged.Ticket.Deadlines), err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestEncoding(t *testing.T) {
	d := newDesk(t, nil)
	tk := d.receive(agent, customerIntake())
	h, _ := d.svc.History(ctx, tk.ID)
	b, err := ticket.MarshalEvent(h[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"schema":"servicedesk.event/v1"`)) || !bytes.Contains(b, []byte(`"action":"receive"`)) {
		t.Fatalf("event message %s", b)
	}
	e, err := ticket.UnmarshalEvent(b)
	if err != nil || e.ID != h[0].ID || !e.At.Equal(h[0].At) || e.Data["channel"] != "phone" {
		t.Fatalf("round trip: %+v %v", e, err)
	}
	if _, err := ticket.UnmarshalEvent([]byte(`{"schema":"other/v9","event":{}}`)); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("wrong schema: %v", err)
	}
	if _, err := ticket.ReadDocument(strings.NewReader(`{"schema":"servicedesk.tickets/v1","records":[{}]}`)); !errors.Is(err, ticket.ErrInvalid) {
		t.Fatalf("record without ticket: %v", err)
	}
}

// FuzzReadDocument: no input makes the decoder or an import of what it
// returns panic; whatever is imported passed validation.
func FuzzReadDocument(f *testing.F) {
	f.Add([]byte(`{"schema":"servicedesk.tickets/v1","desk":"north","records":[]}`))
	f.Add([]byte(`{"schema":"servicedesk.tickets/v1","records":[{"ticket":{"id":"0190d4a4-8f5e-7000-8000-000000000001","kind":"inquiry","channel":"phone","state":"received","version":1},"history":[{"id":"0190d4a4-8f5e-7000-8000-000000000002","ticket":"0190d4a4-8f5e-7000-8000-000000000001","seq":1,"action":"receive","actor":"li","role":"agent","to":"received"}]}]}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := ticket.ReadDocument(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ticket.ErrInvalid) {
				t.Fatalf("decode error %v is not ErrInvalid", err)
			}
			return
		}
		svc, _ := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "north"})
		for _, r := range doc.Records {
			tk, err := svc.Import(ctx, director, r)
			if err != nil {
				continue
			}
			h, err := svc.History(ctx, tk.ID)
			if err != nil || int64(len(h)) != tk.Version || h[len(h)-1].Action != ticket.ActImport {
				t.Fatalf("imported ticket inconsistent: %v %d events, version %d", err, len(h), tk.Version)
			}
		}
	})
}
