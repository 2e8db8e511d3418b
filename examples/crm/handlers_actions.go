package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// versioned is part of every action body: with a version the action
// applies only to the ticket at that version and is 409 otherwise
// (optimistic concurrency); without one it applies to the current
// version.
type versioned struct {
	Version int64 `json:"version"`
}

func (v versioned) ref(id uuid.UUID) (ticket.Ref, error) {
	if v.Version < 0 {
		return ticket.Ref{}, badRequest("version", fmt.Sprintf("version %d is negative", v.Version))
	}
	return ticket.Ref{ID: id, Version: v.Version}, nil
}

// pin makes an action without a version apply only to the ticket at
// the version the service read before it.
func (v *versioned) pin(version int64) {
	if v.Version == 0 {
		v.Version = version
	}
}

// pinner is every action body (each embeds versioned).
type pinner interface{ pin(version int64) }

// The action bodies. Times are RFC 3339 strings so that a bad one is a
// 400 naming its field.
type (
	dispatchBody struct { // T4, T5; T13 rework notice when written
		versioned
		Assignee    string `json:"assignee"`
		Department  string `json:"department"`
		Due         string `json:"due"`         // T4 deadline given to the department
		Appointment string `json:"appointment"` // T12 visit agreed with the customer
		External    bool   `json:"external"`    // T11 another organisation
		Written     bool   `json:"written"`     // T13 written notice
		Note        string `json:"note"`
	}
	resolveBody struct { // T9; on_spot is T3
		versioned
		Summary string `json:"summary"`
		OnSpot  bool   `json:"on_spot"`
	}
	noteBody struct { // answer (T7a), accept (T8)
		versioned
		Note string `json:"note"`
	}
	rejectBody struct { // T8
		versioned
		Reason string `json:"reason"`
	}
	escalateBody struct { // T6
		versioned
		Level  int    `json:"level"` // 0: one above the current level
		Reason string `json:"reason"`
	}
	promiseBody struct { // T7b
		versioned
		ReplyBy string `json:"reply_by"`
		Note    string `json:"note"`
	}
	cancelBody struct { // T11
		versioned
		Reason string `json:"reason"` // out_of_scope, withdrawn, duplicate
		Note   string `json:"note"`
	}
	completeBody struct { // T2 missing intake fields supplied
		versioned
		Fields map[string]string `json:"fields"`
	}
	takeBody struct { // T19
		versioned
	}
	moveBody struct { // refer (T18), handover (T15)
		versioned
		To   string `json:"to"`
		Note string `json:"note"`
	}
	priorityBody struct { // prioritize: one of Policy.Priorities
		versioned
		Priority string `json:"priority"`
		Reason   string `json:"reason"`
	}
	tagBody struct { // tag: labels added and removed
		versioned
		Add    []string `json:"add"`
		Remove []string `json:"remove"`
	}
	describeBody struct { // describe: the request in the customer's words (S1)
		versioned
		Subject     string `json:"subject"`
		Description string `json:"description"`
	}
	respondBody struct { // respond: meets the first-response clock
		versioned
		Channel string `json:"channel"`
		Note    string `json:"note"`
	}
)

// action runs one ticket action from its decoded body.
type action struct {
	body func() any
	run  func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, body any) (*ticket.Ticket, error)
}

// actions are the endpoints POST /desks/{desk}/tickets/{id}/{action}.
var actions = map[string]action{
	"dispatch": {func() any { return new(dispatchBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*dispatchBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		due, err := parseTime("due", b.Due)
		if err != nil {
			return nil, err
		}
		appt, err := parseTime("appointment", b.Appointment)
		if err != nil {
			return nil, err
		}
		return svc.Dispatch(ctx, by, ref, ticket.Assignment{Assignee: b.Assignee, Department: b.Department,
			Due: due, Appointment: appt, External: b.External, Written: b.Written, Note: b.Note})
	}},
	"resolve": {func() any { return new(resolveBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*resolveBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		if b.OnSpot {
			return svc.ResolveOnSpot(ctx, by, ref, b.Summary)
		}
		return svc.Resolve(ctx, by, ref, b.Summary)
	}},
	"answer": {func() any { return new(noteBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*noteBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Answer(ctx, by, ref, b.Note)
	}},
	"accept": {func() any { return new(noteBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*noteBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Accept(ctx, by, ref, b.Note)
	}},
	"reject": {func() any { return new(rejectBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*rejectBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Reject(ctx, by, ref, b.Reason)
	}},
	"escalate": {func() any { return new(escalateBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*escalateBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		if b.Level < 0 {
			return nil, badRequest("level", fmt.Sprintf("level %d is negative; 0 means one above the current level", b.Level))
		}
		return svc.Escalate(ctx, by, ref, b.Level, b.Reason)
	}},
	"promise": {func() any { return new(promiseBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*promiseBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		if b.ReplyBy == "" {
			return nil, badRequest("reply_by", "reply_by is required: the reply time agreed with the customer (T7b)")
		}
		at, err := parseTime("reply_by", b.ReplyBy)
		if err != nil {
			return nil, err
		}
		return svc.Promise(ctx, by, ref, at, b.Note)
	}},
	"cancel": {func() any { return new(cancelBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*cancelBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		reason := ticket.CancelReason(b.Reason)
		if !slices.Contains([]ticket.CancelReason{ticket.OutOfScope, ticket.Withdrawn, ticket.Duplicate}, reason) {
			return nil, badRequest("reason", fmt.Sprintf("cancel reason %q; one of out_of_scope, withdrawn, duplicate", b.Reason))
		}
		return svc.Cancel(ctx, by, ref, reason, b.Note)
	}},
	"complete": {func() any { return new(completeBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*completeBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Complete(ctx, by, ref, b.Fields)
	}},
	"take": {func() any { return new(takeBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		ref, err := v.(*takeBody).ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Take(ctx, by, ref)
	}},
	// Ownership moves only by a recorded referral at reception (T18) or
	// a handover before leave (T15).
	"refer": {func() any { return new(moveBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*moveBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Refer(ctx, by, ref, b.To, b.Note)
	}},
	"handover": {func() any { return new(moveBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*moveBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Handover(ctx, by, ref, b.To, b.Note)
	}},
	// The general desk's actions (Policy.Priorities, Policy.Pause).
	"prioritize": {func() any { return new(priorityBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*priorityBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.SetPriority(ctx, by, ref, ticket.Priority(b.Priority), b.Reason)
	}},
	"tag": {func() any { return new(tagBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*tagBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Tag(ctx, by, ref, b.Add, b.Remove)
	}},
	"describe": {func() any { return new(describeBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*describeBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Describe(ctx, by, ref, b.Subject, b.Description)
	}},
	"respond": {func() any { return new(respondBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*respondBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Respond(ctx, by, ref, ticket.Channel(b.Channel), b.Note)
	}},
	"wait": {func() any { return new(noteBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*noteBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Wait(ctx, by, ref, b.Note)
	}},
	"resume": {func() any { return new(noteBody) }, func(ctx context.Context, svc *ticket.Service, by ticket.Actor, id uuid.UUID, v any) (*ticket.Ticket, error) {
		b := v.(*noteBody)
		ref, err := b.ref(id)
		if err != nil {
			return nil, err
		}
		return svc.Resume(ctx, by, ref, b.Note)
	}},
}

// actionFields translates the ticket package's names of action inputs
// to this API's JSON fields.
var actionFields = map[string]string{"reply time": "reply_by", "field": "fields"}

// actionNames lists the actions for error messages.
var actionNames = func() string {
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}()

// act runs POST /desks/{desk}/tickets/{id}/{action}: 200 with the
// ticket after the action. An empty body is an empty action input.
func (s *server) act(w http.ResponseWriter, r *http.Request, d *desk, by ticket.Actor) {
	name := r.PathValue("action")
	a, ok := actions[name]
	if !ok {
		s.fail(w, r, &apiError{Status: http.StatusNotFound, Field: "action",
			Msg: fmt.Sprintf("unknown action %q; one of %s", name, actionNames)})
		return
	}
	id, err := parseID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body := a.body()
	if err := s.decodeJSON(w, r, body, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if p := principalOf(r); !readsAll(p) {
		// A department's staff act only on the tickets they may read
		// (T4): another's is 404, before the library could answer
		// anything about it. The action is pinned to the version read,
		// so that a dispatch elsewhere in between makes it 409.
		t, err := s.readTicket(r, d, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		body.(pinner).pin(t.Version)
	}
	t, err := a.run(r.Context(), d.tickets, by, id, body)
	if err != nil {
		s.failNamed(w, r, err, actionFields)
		return
	}
	s.log.Info("ticket "+name, "desk", d.name, "ticket", t) // LogValuer: no personal data (S1)
	s.afterWrite(r.Context(), d)
	writeJSON(w, http.StatusOK, s.readable(principalOf(r), d.policy, t))
}
