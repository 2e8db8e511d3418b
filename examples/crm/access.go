package main

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// deskAuthorizer is the library's default role table with one addition
// the service needs: its escalation runner acts as the system role and
// raises a ticket whose deadline passed (T6). Everything else is the
// library's table unchanged.
func deskAuthorizer() ticket.RoleTable {
	t := ticket.DefaultRoles()
	if !slices.Contains(t[ticket.ActEscalate], ticket.RoleSystem) {
		t[ticket.ActEscalate] = append(slices.Clone(t[ticket.ActEscalate]), ticket.RoleSystem)
	}
	return t
}

// DefaultPersonalRoles are the roles that read customers' personal data
// (S1): the staff who talk to or visit the customer. QA reviews the work
// (K2) and the system role routes events; both read tickets with the
// personal fields erased.
func DefaultPersonalRoles() []ticket.Role {
	return []ticket.Role{ticket.RoleAgent, ticket.RoleShiftLead, ticket.RoleDirector,
		ticket.RoleAdministrator, ticket.RoleRepairLead, ticket.RoleDepartment}
}

// LeadRoles are the roles that grant leave and act for other staff
// (claim follow-ups for them, mark them online or offline, R5): on the
// property desk its shift leads and the office director; on a general
// desk (GeneralRoles) its supervisors and admins, who hold the same
// lead actions there (reopen, erase).
func LeadRoles(preset string) []ticket.Role {
	if preset == PresetGeneral {
		return []ticket.Role{ticket.RoleSupervisor, ticket.RoleAdmin}
	}
	return []ticket.Role{ticket.RoleShiftLead, ticket.RoleDirector}
}

// The presets of Config.Preset.
const (
	PresetProperty = "property"
	PresetGeneral  = "general"
)

// GeneralPersonalRoles are the roles of a general desk that read
// customers' personal data (S1), including a ticket's subject and
// description (Policy.PersonalText): its agents, supervisors and admins.
// QA and the system role read them erased.
func GeneralPersonalRoles() []ticket.Role {
	return []ticket.Role{ticket.RoleAgent, ticket.RoleSupervisor, ticket.RoleAdmin}
}

// mayRead reports whether the caller may read the ticket: every desk
// role reads the desk's tickets, except a department's staff, who read
// what is dispatched to their department or assigned to them (T4), and
// what they received themselves: its first-contact owner sees it
// through (T1). A ticket the caller may not read is 404, as another
// desk's is.
func mayRead(p Principal, t *ticket.Ticket) bool {
	if readsAll(p) {
		return true
	}
	return t.Owner == p.Actor.ID || t.Assignee == p.Actor.ID || (p.Department != "" && t.Department == p.Department)
}

// readsAll reports whether the caller reads every ticket of the desk;
// a department's staff read only some (mayRead), so every answer that
// carries ticket data is filtered for them, and they act only on the
// tickets they may read.
func readsAll(p Principal) bool { return p.Actor.Role != ticket.RoleDepartment }

// readableTasks keeps the follow-ups the caller may read: all of them
// for a caller who reads every ticket; for a department's staff, those
// on a ticket they may read (mayRead), never a task without a ticket.
// seen remembers each ticket's answer across calls of one request.
func (s *server) readableTasks(ctx context.Context, p Principal, d *desk, ts []*followup.Task, seen map[uuid.UUID]bool) ([]*followup.Task, error) {
	if readsAll(p) {
		return ts, nil
	}
	out := make([]*followup.Task, 0, len(ts))
	for _, t := range ts {
		if t.Ticket == uuid.Nil {
			continue
		}
		ok, known := seen[t.Ticket]
		if !known {
			tk, err := d.tickets.Get(ctx, t.Ticket)
			switch {
			case err == nil:
				ok = mayRead(p, tk)
			case !errors.Is(err, ticket.ErrNotFound):
				return nil, err
			}
			seen[t.Ticket] = ok
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// readable returns the ticket as the caller may see it: personal data
// (the customer's name, phone and address, and the policy's personal
// intake fields, and the subject and description when the policy says
// they are personal, Policy.PersonalText) is replaced by ticket.Erased
// for roles that do not need it. The ticket is copied, never changed.
func (s *server) readable(p Principal, pol ticket.Policy, t *ticket.Ticket) *ticket.Ticket {
	if s.personal[p.Actor.Role] {
		return t
	}
	c := t.Clone()
	if c.Customer != nil {
		if c.Customer.Name != "" {
			c.Customer.Name = ticket.Erased
		}
		if c.Customer.Phone != "" {
			c.Customer.Phone = ticket.Erased
		}
		if c.Customer.Address != "" {
			c.Customer.Address = ticket.Erased
		}
	}
	for _, f := range pol.PersonalFields {
		if _, ok := c.Fields[f]; ok {
			c.Fields[f] = ticket.Erased
		}
	}
	if pol.PersonalText { // S1: the customer's own words may name them
		if c.Subject != "" {
			c.Subject = ticket.Erased
		}
		if c.Description != "" {
			c.Description = ticket.Erased
		}
	}
	return c
}

// readableEvents hides personal intake fields in events' data from
// roles that do not need them; events carry the fields a step supplied
// (T2 completion) under their own names.
func (s *server) readableEvents(p Principal, pol ticket.Policy, evs []ticket.Event) []ticket.Event {
	if s.personal[p.Actor.Role] {
		return evs
	}
	out := make([]ticket.Event, len(evs))
	for i, e := range evs {
		out[i] = e
		if len(e.Data) == 0 {
			continue
		}
		data := make(map[string]string, len(e.Data))
		for k, v := range e.Data {
			if slices.Contains(pol.PersonalFields, k) {
				v = ticket.Erased
			}
			data[k] = v
		}
		out[i].Data = data
	}
	return out
}
