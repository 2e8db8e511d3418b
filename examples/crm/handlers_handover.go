package main

import (
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// openStates are the states in which a ticket still needs someone.
var openStates = []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Reopened}

// handoverResponse is what an agent going on leave must hand over
// (T15): the open tickets they own, the open tickets assigned to them,
// and the follow-ups they hold.
type handoverResponse struct {
	Agent     string           `json:"agent"`
	Owned     []*ticket.Ticket `json:"owned"`
	Assigned  []*ticket.Ticket `json:"assigned"`
	Followups []taskOut        `json:"followups"`
}

// handover answers GET /desks/{desk}/handover?agent=li. The roster
// package stays independent of tickets; this endpoint is the wiring the
// design asks of examples: the lists come from ticket and followup
// queries by owner and assignee. Each ticket is then moved with POST
// .../tickets/{id}/handover.
func (s *server) handover(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	q, err := queryOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	agent := q.Get("agent")
	if agent == "" {
		s.fail(w, r, badRequest("agent", "agent is required: whose work is handed over"))
		return
	}
	ctx := r.Context()
	owned, err := d.tickets.List(ctx, ticket.Filter{States: openStates, Owner: agent, Limit: s.cfg.MaxPage})
	if err != nil {
		s.failNamed(w, r, err, handoverFields)
		return
	}
	assigned, err := d.tickets.List(ctx, ticket.Filter{States: openStates, Assignee: agent, Limit: s.cfg.MaxPage})
	if err != nil {
		s.failNamed(w, r, err, handoverFields)
		return
	}
	tasks, err := d.queue.List(ctx, followup.Filter{Statuses: []followup.Status{followup.Claimed}, Owner: agent, Limit: s.cfg.MaxPage})
	if err != nil {
		s.failNamed(w, r, err, handoverFields)
		return
	}
	cut := len(owned) == s.cfg.MaxPage || len(assigned) == s.cfg.MaxPage || len(tasks) == s.cfg.MaxPage
	p := principalOf(r)
	if tasks, err = s.readableTasks(ctx, p, d, tasks, map[uuid.UUID]bool{}); err != nil {
		s.fail(w, r, err)
		return
	}
	resp := handoverResponse{Agent: agent, Owned: s.readableList(p, d, owned), Assigned: s.readableList(p, d, assigned), Followups: make([]taskOut, 0, len(tasks))}
	for _, t := range tasks {
		resp.Followups = append(resp.Followups, taskJSON(t, false))
	}
	if cut {
		w.Header().Set("Warning", fmt.Sprintf(`199 - "lists cut at %d; hand these over and ask again"`, s.cfg.MaxPage))
	}
	writeJSON(w, http.StatusOK, resp)
}

// handoverFields names ?agent= in a refusal of the lists it selects.
var handoverFields = map[string]string{"filter owner": "agent", "filter assignee": "agent"}

// readableList keeps the tickets the caller may read, as they may read
// them (access.go); never nil.
func (s *server) readableList(p Principal, d *desk, ts []*ticket.Ticket) []*ticket.Ticket {
	out := make([]*ticket.Ticket, 0, len(ts))
	for _, t := range ts {
		if mayRead(p, t) {
			out = append(out, s.readable(p, d.policy, t))
		}
	}
	return out
}
