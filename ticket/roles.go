package ticket

import (
	"fmt"
	"slices"
)

// Role is what an actor is at the desk.
type Role string

// The roles of the seeds.
const (
	RoleAgent         Role = "agent"                  // 客服 / 业务代表
	RoleShiftLead     Role = "shift_lead"             // 班长
	RoleQA            Role = "qa"                     // 质检员
	RoleDirector      Role = "office_director"        // 管理处主任
	RoleAdministrator Role = "property_administrator" // 管理员 / 物业管家
	RoleRepairLead    Role = "repair_lead"            // 维修负责人
	RoleDepartment    Role = "department"             // staff of a responsible department
	// RoleSystem is a program, not a person: a web form or voicemail that
	// records a request nobody received (T19), or a follow-up scheduler.
	// It never becomes an owner.
	RoleSystem Role = "system"
)

// Roles lists the built-in roles.
func Roles() []Role {
	return []Role{RoleAgent, RoleShiftLead, RoleQA, RoleDirector, RoleAdministrator, RoleRepairLead, RoleDepartment, RoleSystem}
}

// Actor is who performs an action.
type Actor struct {
	ID   string
	Role Role
}

func (a Actor) String() string { return fmt.Sprintf("%s (%s)", a.ID, a.Role) }

// Authorizer decides whether an actor may perform an action on a ticket.
// A CRM plugs in its own; the default is a RoleTable. Returning an error
// refuses the action; the service wraps it so that it matches
// ErrForbidden.
type Authorizer interface {
	Authorize(by Actor, action Action, t *Ticket) error
}

// RoleTable is an Authorizer: which roles may perform which action. An
// action missing from the table is refused.
type RoleTable map[Action][]Role

// Authorize implements Authorizer.
func (rt RoleTable) Authorize(by Actor, action Action, _ *Ticket) error {
	if slices.Contains(rt[action], by.Role) {
		return nil
	}
	return fmt.Errorf("role %q may not %s", by.Role, action)
}

// DefaultRoles returns the default table. Staff who receive customers
// (agents, leads, administrators, the director) do the desk's work;
// departments and the repair lead resolve what is dispatched to them;
// only leads, QA and the director reopen a closed ticket or cancel one;
// the system role only records arrivals, plans revisits and notes.
func DefaultRoles() RoleTable {
	desk := []Role{RoleAgent, RoleShiftLead, RoleDirector, RoleAdministrator}
	workers := []Role{RoleAgent, RoleShiftLead, RoleDirector, RoleAdministrator, RoleRepairLead, RoleDepartment}
	revisitors := []Role{RoleAgent, RoleShiftLead, RoleDirector, RoleAdministrator, RoleRepairLead, RoleQA}
	leads := []Role{RoleShiftLead, RoleDirector, RoleQA}
	all := []Role{RoleAgent, RoleShiftLead, RoleQA, RoleDirector, RoleAdministrator, RoleRepairLead, RoleDepartment, RoleSystem}
	return RoleTable{
		ActReceive:        append(slices.Clone(desk), RoleSystem, RoleRepairLead, RoleDepartment, RoleQA),
		ActTake:           desk,
		ActRefer:          desk,
		ActHandover:       append(slices.Clone(desk), RoleRepairLead),
		ActComplete:       workers,
		ActDispatch:       append(slices.Clone(desk), RoleRepairLead),
		ActReassign:       append(slices.Clone(desk), RoleRepairLead),
		ActResolve:        workers,
		ActResolveOnSpot:  workers,
		ActAnswer:         desk,
		ActAccept:         desk,
		ActAwaitRevisit:   desk,
		ActReject:         desk,
		ActRevisitPass:    revisitors,
		ActRevisitFail:    revisitors,
		ActReopen:         leads,
		ActCancel:         []Role{RoleAgent, RoleShiftLead, RoleDirector, RoleAdministrator},
		ActEscalate:       workers,
		ActClassify:       append(slices.Clone(desk), RoleQA),
		ActPromise:        workers,
		ActProgress:       workers,
		ActReschedule:     workers,
		ActRequireRevisit: append(slices.Clone(leads), RoleSystem, RoleAgent, RoleAdministrator, RoleRepairLead),
		ActLink:           workers,
		ActNote:           all,
		ActSetAttrs:       workers,
		ActAttach:         append(slices.Clone(workers), RoleQA),
		ActErase:          []Role{RoleShiftLead, RoleDirector},
		ActImport:         []Role{RoleShiftLead, RoleDirector, RoleSystem},
		ActPrioritize:     workers,
		ActTag:            workers,
		ActDescribe:       workers,
		ActRespond:        workers,
		ActWait:           workers,
		ActResume:         workers,
	}
}
