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
