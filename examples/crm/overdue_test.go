package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

type overdueReply struct {
	Overdue []overdueItem `json:"overdue"`
}

// TestOverdue lists tickets past their deadlines over HTTP, with the
// rule and how far past: the three-minute dispatch (T5), an agreed
// reply time that passed (T7b), and stagnation (T10).
func TestOverdue(t *testing.T) {
	f := newFixture(t)
	agent := f.as(zhou, ticket.RoleShiftLead)
	late := f.newRepair(t, "north")
	promised := f.newRepair(t, "north")
	agent.must(t, http.StatusOK, "POST", ticketPath("north", promised.ID, "dispatch"), map[string]any{"department": "engineering"})
	agent.must(t, http.StatusOK, "POST", ticketPath("north", promised.ID, "promise"),
		map[string]any{"reply_by": f.clock.Now().Add(2 * time.Hour).Format(time.RFC3339), "note": "call back by noon"})

	get := func() map[string]overdueItem {
		t.Helper()
		var r overdueReply
		agent.must(t, http.StatusOK, "GET", "/desks/north/overdue", nil).decode(t, &r)
		out := map[string]overdueItem{}
		for _, o := range r.Overdue {
			out[o.Ticket.ID.String()+"/"+o.Deadline] = o
		}
		return out
	}
	if got := get(); len(got) != 0 {
		t.Fatalf("nothing is late yet: %+v", got)
	}

	f.clock.Advance(5 * time.Minute)
	got := get()
	d, ok := got[late.ID.String()+"/dispatch"]
	if !ok || d.Rule != "T5" || d.BySeconds != 120 || d.By != "2m0s" {
		t.Fatalf("T5: %+v (all %v)", d, keys(got))
	}
	if len(got) != 1 {
		t.Errorf("only the undispatched repair is late: %v", keys(got))
	}

	f.clock.Advance(2 * time.Hour)
	got = get()
	if r, ok := got[promised.ID.String()+"/reply"]; !ok || r.Rule != "T7b" || r.BySeconds != 5*60 {
		t.Errorf("T7b: %+v (all %v)", r, keys(got))
	}

	f.clock.Advance(25 * time.Hour)
	got = get()
	if s, ok := got[late.ID.String()+"/stagnant"]; !ok || s.Rule != "T10" {
		t.Errorf("T10: %+v (all %v)", s, keys(got))
	}
	// Another desk's late tickets are not listed.
	var south overdueReply
	agent.must(t, http.StatusOK, "GET", "/desks/south/overdue", nil).decode(t, &south)
	if len(south.Overdue) != 0 {
		t.Errorf("south lists north's tickets: %+v", south.Overdue)
	}
}

func keys(m map[string]overdueItem) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return strings.Join(ks, " ")
}
