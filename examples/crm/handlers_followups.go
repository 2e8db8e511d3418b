package main

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// taskOut is a follow-up task in JSON. The lease token is shown only in
// the answer to the claim: it is what proves the claim when the worker
// posts the outcome.
type taskOut struct {
	ID          uuid.UUID            `json:"id"`
	Desk        string               `json:"desk"`
	Rule        string               `json:"rule"`
	Cites       string               `json:"cites"`
	Trigger     followup.TriggerKind `json:"trigger"`
	Subject     string               `json:"subject"`
	Ticket      string               `json:"ticket,omitempty"`
	TicketKind  ticket.Kind          `json:"ticket_kind,omitempty"`
	Category    string               `json:"category,omitempty"`
	Channel     followup.Channel     `json:"channel"`
	Role        ticket.Role          `json:"role"`
	Checklist   []followup.CheckItem `json:"checklist,omitempty"`
	Grade       bool                 `json:"grade,omitempty"`
	Revisit     bool                 `json:"revisit,omitempty"`
	Sampled     bool                 `json:"sampled,omitempty"`
	NotBefore   time.Time            `json:"not_before"`
	Due         time.Time            `json:"due"`
	Attempts    int                  `json:"attempts"`
	MaxAttempts int                  `json:"max_attempts"`
	Status      followup.Status      `json:"status"`
	Worker      string               `json:"worker,omitempty"`
	Token       string               `json:"token,omitempty"`
	Expires     *time.Time           `json:"lease_expires,omitempty"`
	Outcome     *followup.Outcome    `json:"outcome,omitempty"`
	Synced      bool                 `json:"synced"`
	Version     int64                `json:"version"`
}

func taskJSON(t *followup.Task, withToken bool) taskOut {
	out := taskOut{
		ID: t.ID, Desk: t.Desk, Rule: t.Rule, Cites: t.Cites, Trigger: t.Trigger, Subject: t.Subject,
		TicketKind: t.TicketKind, Category: t.Category, Channel: t.Channel, Role: t.Role,
		Checklist: t.Checklist, Grade: t.Grade, Revisit: t.Revisit, Sampled: t.Sampled,
		NotBefore: t.NotBefore, Due: t.Due, Attempts: t.Attempts, MaxAttempts: t.MaxAttempts,
		Status: t.Status, Outcome: t.Outcome, Synced: t.Synced, Version: t.Version,
	}
	if t.Ticket != uuid.Nil {
		out.Ticket = t.Ticket.String()
	}
	if t.Status == followup.Claimed {
		out.Worker = t.Lease.Owner
		exp := t.Lease.Expires
		out.Expires = &exp
		if withToken {
			out.Token = t.Lease.Token.String()
		}
	}
	return out
}

// claimRequest is the body of POST /desks/{desk}/followups/claim.
type claimRequest struct {
	// Worker defaults to the actor. Claiming for someone else is for
	// shift leads and the office director.
	Worker string `json:"worker"`
	// N is how many tasks at most; 0 means 1.
	N int `json:"n"`
	// Lease is how long the claim holds, as a Go duration ("15m");
	// "" means 15 minutes.
	Lease string `json:"lease"`
	// Role takes only tasks for that role (F3); "" any.
	Role string `json:"role"`
}

// claim leases due follow-ups to a worker, earliest first. Nothing due
// is 200 with an empty list.
func (s *server) claim(w http.ResponseWriter, r *http.Request, d *desk, by ticket.Actor) {
	var in claimRequest
	if err := s.decodeJSON(w, r, &in, true); err != nil {
		s.fail(w, r, err)
		return
	}
	worker, err := s.onBehalf(by, in.Worker, "worker")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if in.N < 0 || in.N > s.cfg.MaxPage {
		s.fail(w, r, badRequest("n", fmt.Sprintf("n %d must be from 1 to %d", in.N, s.cfg.MaxPage)))
		return
	}
	lease := 15 * time.Minute
	if in.Lease != "" {
		lease, err = time.ParseDuration(in.Lease)
		if err != nil || lease <= 0 || lease > s.cfg.MaxLease {
			s.fail(w, r, badRequest("lease", fmt.Sprintf("lease %q must be a duration such as 15m, above 0 and at most %v", in.Lease, s.cfg.MaxLease)))
			return
		}
	}
	role := ticket.Role(in.Role)
	if role != "" && !slices.Contains(knownRoles, role) {
		s.fail(w, r, badRequest("role", fmt.Sprintf("unknown role %q", in.Role)))
		return
	}
	if !readsAll(principalOf(r)) {
		// A department's staff claim only their own role's tasks (F3):
		// any other task may be on a ticket they may not read (T4).
		if role != "" && role != by.Role {
			s.fail(w, r, &apiError{Status: http.StatusForbidden, Field: "role",
				Msg: fmt.Sprintf("%s claims only follow-ups for the %s role", by, by.Role)})
			return
		}
		role = by.Role
	}
	// The store's claim takes the lease per request; Queue.Claim would
	// use the queue's fixed lease.
	ts, err := s.tasks.Claim(r.Context(), d.name, followup.Claim{
		Owner: worker, Token: s.newID(), Now: s.now(), For: lease, Role: role, Limit: max(1, in.N),
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]taskOut, 0, len(ts))
	for _, t := range ts {
		out = append(out, taskJSON(t, true))
	}
	writeJSON(w, http.StatusOK, map[string]any{"tasks": out})
}

// completeRequest is the outcome of a claimed task (F4, F9, F10, K4,
// T13). Token is the lease token from the claim; the worker is the
// actor.
type completeRequest struct {
	Token        string   `json:"token"`
	Result       string   `json:"result"` // reached, not_reached, problem_found, withdrawn
	Channel      string   `json:"channel"`
	Checked      []string `json:"checked"`
	SignedBy     string   `json:"signed_by"`
	Satisfaction int      `json:"satisfaction"`
	Grade        string   `json:"grade"`
	Note         string   `json:"note"`
	FollowAgain  bool     `json:"follow_again"`
}

// outcomeFields translates the followup package's names of outcome
// inputs to this API's JSON fields, so that "field" names what the
// client sent.
var outcomeFields = map[string]string{
	"checklist":       "checked",
	"signature":       "signed_by",
	"outcome channel": "channel",
	"outcome actor":   headerActor,
}

var results = []followup.Result{followup.Reached, followup.NotReached, followup.ProblemFound, followup.Withdrawn}

// complete records the outcome of a claimed task. The claim is proved
// by the actor (the lease owner) and the token together; a wrong,
// expired or used lease is 409 and records nothing.
func (s *server) complete(w http.ResponseWriter, r *http.Request, d *desk, by ticket.Actor) {
	id, err := parseID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in completeRequest
	if err := s.decodeJSON(w, r, &in, false); err != nil {
		s.fail(w, r, err)
		return
	}
	token, err := uuid.Parse(in.Token)
	if err != nil {
		s.fail(w, r, badRequest("token", "token must be the lease token (a UUID) from the claim"))
		return
	}
	res := followup.Result(in.Result)
	if !slices.Contains(results, res) {
		s.fail(w, r, badRequest("result", fmt.Sprintf("result %q; one of reached, not_reached, problem_found, withdrawn", in.Result)))
		return
	}
	ch := followup.Channel(in.Channel)
	if ch != "" && ch != followup.Phone && ch != followup.OnSite {
		s.fail(w, r, badRequest("channel", fmt.Sprintf("channel %q; one of phone, on_site", in.Channel)))
		return
	}
	checked := make([]followup.CheckItem, len(in.Checked))
	for i, c := range in.Checked {
		checked[i] = followup.CheckItem(c)
	}
	t, err := d.queue.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The lease the caller holds: the queue compares it with the stored
	// one (owner and token) and refuses anything else.
	t.Lease = followup.Lease{Owner: by.ID, Token: token}
	done, err := d.queue.Complete(r.Context(), t, followup.Outcome{
		Result: res, By: by, Channel: ch, Checked: checked, SignedBy: in.SignedBy,
		Satisfaction: in.Satisfaction, Grade: in.Grade, Note: in.Note, FollowAgain: in.FollowAgain,
	})
	if err != nil && done == nil {
		s.failNamed(w, r, err, outcomeFields)
		return
	}
	resp := map[string]any{"task": taskJSON(done, false)}
	if err != nil {
		// The outcome is stored; telling the ticket failed and is
		// retried by the next sync (the queue's documented contract).
		s.log.Warn("revisit outcome not yet on the ticket", "desk", d.name, "task", done.ID, "err", err)
		resp["ticket_sync"] = "pending: " + errorFor(err).Msg
	}
	s.afterWrite(r.Context(), d)
	writeJSON(w, http.StatusOK, resp)
}

// syncFollowups runs the deriver over the pending ticket events now and
// reports how many it handled. Writes already do this; the endpoint is
// for a CRM that wants to be sure, and for retries after a failure.
func (s *server) syncFollowups(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	n, err := s.drain(r.Context(), d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": n})
}

// followupCursor is what the opaque ?after= of the follow-up list
// holds: the (due, id) of the last task of the previous page, the
// store's own order.
type followupCursor struct {
	Due time.Time `json:"d"`
	ID  uuid.UUID `json:"i"`
}

// taskListFields translates the followup package's names of filter
// inputs to the query parameters of the follow-up list.
var taskListFields = map[string]string{"filter owner": "owner", "filter after": "after", "filter status": "status"}

// taskPage is one page of tasks; Next is the cursor of the next page.
type taskPage struct {
	Tasks []taskOut `json:"tasks"`
	Next  string    `json:"next,omitempty"`
}

// listFollowups answers a page of the desk's tasks, earliest due first:
// ?status=pending,claimed&ticket=UUID&owner=li (handover, T15)
// &limit=50&after=CURSOR, paged like the ticket list.
func (s *server) listFollowups(w http.ResponseWriter, r *http.Request, d *desk, _ ticket.Actor) {
	q, err := queryOf(r, "status")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var f followup.Filter
	all := []followup.Status{followup.Pending, followup.Claimed, followup.Done, followup.Unreachable, followup.Problem, followup.Cancelled}
	for _, v := range listValues(q["status"]) {
		st := followup.Status(v)
		if !slices.Contains(all, st) {
			s.fail(w, r, badRequest("status", fmt.Sprintf("unknown status %q", v)))
			return
		}
		f.Statuses = append(f.Statuses, st)
	}
	if raw := q.Get("ticket"); raw != "" {
		id, err := uuid.Parse(raw)
		if err != nil {
			s.fail(w, r, badRequest("ticket", fmt.Sprintf("ticket %q is not a UUID", raw)))
			return
		}
		f.Ticket = id
	}
	f.Owner = q.Get("owner")
	limit, err := s.limitOf(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if raw := q.Get("after"); raw != "" {
		var after followupCursor
		if err := decodeOpaque(raw, &after); err != nil {
			s.fail(w, r, err)
			return
		}
		f.After = &followup.Cursor{Due: after.Due, ID: after.ID}
	}
	// One more than the page tells whether a next page exists; the
	// store continues after the cursor (followup.Filter.After), so a
	// page is one query whatever number of tasks share a due time. A
	// department's staff read only the tasks of tickets they may read
	// (readableTasks): their page reads on until it is full or the
	// tasks end, or until it has read the tickets of MaxPage tasks or
	// more: then it ends there, short or empty, with a next cursor at
	// the last task read, so that a page costs about the same however
	// many tasks of other departments lie between.
	f.Limit = limit + 1
	p, seen := principalOf(r), map[uuid.UUID]bool{}
	if !readsAll(p) {
		f.Limit = max(f.Limit, s.cfg.MaxPage) // read on in large pages
	}
	var ts []*followup.Task
	var read *followup.Task // the last task read, when the page ends before its tasks do
	for {
		page, err := d.queue.List(r.Context(), f)
		if err != nil {
			s.failNamed(w, r, err, taskListFields)
			return
		}
		kept, err := s.readableTasks(r.Context(), p, d, page, seen)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ts = append(ts, kept...)
		if len(ts) > limit || len(page) < f.Limit {
			break
		}
		last := page[len(page)-1]
		if len(seen) >= s.cfg.MaxPage {
			read = last
			break
		}
		f.After = &followup.Cursor{Due: last.Due, ID: last.ID}
	}
	resp := taskPage{Tasks: make([]taskOut, 0, min(len(ts), limit))}
	if read != nil {
		resp.Next = encodeOpaque(followupCursor{Due: read.Due, ID: read.ID})
	}
	for i, t := range ts {
		if i == limit {
			last := ts[limit-1]
			resp.Next = encodeOpaque(followupCursor{Due: last.Due, ID: last.ID})
			break
		}
		resp.Tasks = append(resp.Tasks, taskJSON(t, false))
	}
	writeJSON(w, http.StatusOK, resp)
}
