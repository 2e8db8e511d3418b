package main

import (
	"net/http"
	"testing"

	"github.com/servicedesk-go/desk/ticket"
)

// TestOwnershipMoves: ownership moves only by a referral at reception
// (T18) or a handover before leave (T15), both on the record; the
// handover list shows an agent's open work before leave and is empty
// once it is handed over.
func TestOwnershipMoves(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)

	t.Run("T18_refer_at_reception", func(t *testing.T) {
		tk := f.newRepair(t, "north")
		tk = ticketOf(t, agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "refer"), map[string]any{"to": "wang", "note": "renovation desk"}))
		if tk.Owner != "wang" {
			t.Errorf("owner %q after referral", tk.Owner)
		}
		agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "x"})
		e := f.as("wang", ticket.RoleAgent).must(t, http.StatusConflict, "POST", ticketPath("north", tk.ID, "refer"), map[string]any{"to": "zhang"}).err(t)
		if e.Error == "" {
			t.Error("referral after reception must be refused")
		}
	})

	t.Run("T15_handover_before_leave", func(t *testing.T) {
		mine := []*ticket.Ticket{f.newRepair(t, "north"), f.newRepair(t, "north")}
		var before handoverResponse
		agent.must(t, http.StatusOK, "GET", "/desks/north/handover?agent="+li, nil).decode(t, &before)
		owned := map[string]bool{}
		for _, tk := range before.Owned {
			if tk.Owner != li || tk.State.Terminal() {
				t.Errorf("handover lists %s owned by %q in %s", tk.ID, tk.Owner, tk.State)
			}
			owned[tk.ID.String()] = true
		}
		for _, tk := range mine {
			if !owned[tk.ID.String()] {
				t.Errorf("open ticket %s missing from li's handover list", tk.ID)
			}
		}
		for _, tk := range before.Owned {
			got := ticketOf(t, agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "handover"), map[string]any{"to": "zhang", "note": "annual leave"}))
			if got.Owner != "zhang" {
				t.Errorf("owner %q after handover", got.Owner)
			}
		}
		var after handoverResponse
		agent.must(t, http.StatusOK, "GET", "/desks/north/handover?agent="+li, nil).decode(t, &after)
		if len(after.Owned) != 0 {
			t.Errorf("li still owns %d open tickets after handing over", len(after.Owned))
		}
		var h historyResponse
		agent.must(t, http.StatusOK, "GET", ticketPath("north", mine[0].ID, "history"), nil).decode(t, &h)
		last := h.Events[len(h.Events)-1]
		if last.Action != ticket.ActHandover || last.Data["from"] != li || last.Data["to"] != "zhang" {
			t.Errorf("T14: the handover is not on the record: %+v", last)
		}
	})

	t.Run("agent_required", func(t *testing.T) {
		if e := agent.must(t, http.StatusBadRequest, "GET", "/desks/north/handover", nil).err(t); e.Field != "agent" {
			t.Errorf("field %q", e.Field)
		}
	})
}
