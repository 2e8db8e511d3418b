package main

import (
	"net/http"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// fuzzSeeds are bodies that reach every branch of decoding: valid,
// truncated, wrong types, unknown fields, odd times and numbers.
var fuzzSeeds = []string{
	`{"kind":"repair","category":"leak","channel":"phone","fields":{"location":"3-201","item":"pipe"}}`,
	`{"kind":"complaint","channel":"letter","complaint":{"class":"noise","severity":"major"},"fields":{"event":"loud"}}`,
	`{"kind":"inquiry","channel":"online","unattended":true,"customer":{"id":"c1","name":"x"}}`,
	`{"kind":"repair","channel":"phone","attrs":{"x":"y"}}`,
	`{"version":1,"department":"engineering","due":"2026-03-03T10:00:00+08:00","written":true}`,
	`{"summary":"fixed","on_spot":true}`,
	`{"level":2,"reason":"vip"}`,
	`{"reply_by":"2026-03-02T12:00:00+08:00"}`,
	`{"reason":"out_of_scope","note":"not ours"}`,
	`{"to":"wang","note":"leave"}`,
	`{"fields":{"location":"1-101"}}`,
	`{"version":-9223372036854775808}`,
	`{"version":1e400}`,
	`{"level":99999999999999999999}`,
	`{"due":"0000-01-01T00:00:00Z","department":"x"}`,
	`{"reply_by":"9999-12-31T23:59:59+14:00"}`,
	`{"fields":{"":"x"}}`,
	`{"kind":null}`,
	`null`, `[]`, `""`, `{`, `{"a":1}`, "\xff\xfe", `{"note":"\ud800"}`,
}

// FuzzIntake: no body posted to the intake endpoint answers 5xx.
func FuzzIntake(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	fx := newFixture(f)
	agent := fx.as(li, ticket.RoleAgent)
	f.Fuzz(func(t *testing.T, body []byte) {
		r := agent.do(t, "POST", "/desks/north/tickets", body)
		if r.Status >= 500 {
			t.Fatalf("status %d for %q: %s", r.Status, body, r.Body)
		}
		if r.Status != http.StatusCreated {
			r.err(t)
		}
	})
}

// FuzzAction: no body posted to any ticket action answers 5xx, whatever
// state the ticket is in by then.
func FuzzAction(f *testing.F) {
	names := []string{"dispatch", "resolve", "answer", "accept", "reject", "escalate", "promise", "cancel", "complete", "take", "refer", "handover"}
	for i, s := range fuzzSeeds {
		f.Add(uint8(i), []byte(s))
	}
	fx := newFixture(f)
	agent := fx.as(li, ticket.RoleAgent)
	tickets := []*ticket.Ticket{fx.newRepair(f, "north"), fx.newRepair(f, "north"), fx.newRepair(f, "north")}
	f.Fuzz(func(t *testing.T, pick uint8, body []byte) {
		name := names[int(pick)%len(names)]
		tk := tickets[int(pick/16)%len(tickets)]
		r := agent.do(t, "POST", ticketPath("north", tk.ID, name), body)
		if r.Status >= 500 {
			t.Fatalf("%s: status %d for %q: %s", name, r.Status, body, r.Body)
		}
		if r.Status != http.StatusOK {
			r.err(t)
		}
	})
}

// FuzzComplete: no outcome body posted for a claimed follow-up answers
// 5xx.
func FuzzComplete(f *testing.F) {
	f.Add([]byte(`{"token":"00000000-0000-0000-0000-000000000000","result":"reached"}`))
	f.Add([]byte(`{"token":"x","result":"problem_found","note":"n","satisfaction":-1}`))
	f.Add([]byte(`{"result":"withdrawn","checked":["signature"],"signed_by":"s"}`))
	fx := newFixture(f)
	agent := fx.as(li, ticket.RoleAgent)
	tk := fx.newRepair(f, "north")
	agent.must(f, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
	var tasks taskList
	fx.derive(f)
	agent.must(f, http.StatusOK, "GET", "/desks/north/followups", nil).decode(f, &tasks)
	if len(tasks.Tasks) == 0 {
		f.Fatal("no follow-up task to complete")
	}
	path := "/desks/north/followups/" + tasks.Tasks[0].ID.String() + "/complete"
	f.Fuzz(func(t *testing.T, body []byte) {
		r := agent.do(t, "POST", path, body)
		if r.Status >= 500 {
			t.Fatalf("status %d for %q: %s", r.Status, body, r.Body)
		}
	})
}

// FuzzOtherBodies: no body posted to the claim, presence, leave, sync
// or lint endpoints answers 5xx, whoever sends it.
func FuzzOtherBodies(f *testing.F) {
	paths := []string{"/desks/north/followups/claim", "/desks/north/presence", "/desks/north/leave", "/desks/north/followups/sync", "/lint"}
	seeds := []string{
		`{"worker":"wang","n":3,"lease":"1h","role":"repair_lead"}`,
		`{"lease":"-1ns"}`, `{"n":1e9}`, `{"lease":"9999999h"}`,
		`{"online":false,"note":"x"}`, `{"online":true,"agent":"li"}`, `{"online":"yes"}`,
		`{"agent":"li","from":"2026-03-02T10:00:00+08:00","until":"2026-03-03T10:00:00+08:00"}`,
		`{"agent":"li","from":"0001-01-01T00:00:00Z","until":"9999-12-31T23:59:59Z"}`,
		`{"text":"不知道"}`, `{"text":"\u0000\uffff"}`, `{"text":null}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	fx := newFixture(f)
	roles := []ticket.Role{ticket.RoleAgent, ticket.RoleShiftLead, ticket.RoleDepartment}
	f.Fuzz(func(t *testing.T, pick uint8, body []byte) {
		path := paths[int(pick)%len(paths)]
		who := fx.as(li, roles[int(pick/8)%len(roles)])
		if r := who.do(t, "POST", path, body); r.Status >= 500 {
			t.Fatalf("%s: status %d for %q: %s", path, r.Status, body, r.Body)
		}
	})
}

// FuzzCursor: the ?after= parser never panics, accepts only what
// encodeCursor makes for the same order, and what it accepts encodes
// back to a cursor that decodes to the same position.
func FuzzCursor(f *testing.F) {
	f.Add("number", encodeCursor("number", &ticket.Cursor{Number: 3}))
	f.Add("updated", encodeCursor("updated", &ticket.Cursor{Number: 9, Updated: start}))
	f.Add("number_desc", "eyJvIjoibnVtYmVyX2Rlc2MiLCJuIjoxfQ")
	f.Add("number", "e30")
	f.Fuzz(func(t *testing.T, order, raw string) {
		c, err := decodeCursor(order, raw)
		if err != nil {
			if e := errorFor(err); e.Status != http.StatusBadRequest || e.Field != "after" {
				t.Fatalf("refusal %+v", e)
			}
			return
		}
		back, err := decodeCursor(order, encodeCursor(order, c))
		if err != nil || back.Number != c.Number || !back.Updated.Equal(c.Updated) {
			t.Fatalf("round trip of %+v: %+v, %v", c, back, err)
		}
	})
}
