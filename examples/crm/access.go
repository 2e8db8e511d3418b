package main

import (
	"slices"

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
// what is dispatched to their department or assigned to them (T4). A
// ticket the caller may not read is 404, as another desk's is.
func mayRead(p Principal, t *ticket.Ticket) bool {
	if p.Actor.Role != ticket.RoleDepartment {
		return true
	}
	return t.Assignee == p.Actor.ID || (p.Department != "" && t.Department == p.Department)
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
