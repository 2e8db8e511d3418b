package ticket

import (
	"slices"
	"time"
)

// The kinds of a general desk (GeneralDesk); Complaint is shared with
// the seeds.
const (
	Question Kind = "question" // how do I ...?
	Incident Kind = "incident" // something is broken
	Request  Kind = "request"  // please do something: access, a change, an order
)

// The roles of a general desk (GeneralRoles); RoleAgent and RoleSystem
// are shared with the seeds.
const (
	RoleSupervisor Role = "supervisor" // leads a team: reopens, erases, takes escalations
	RoleAdmin      Role = "admin"      // runs the desk: may do everything
)

// GeneralDesk returns the policy of a general-purpose support desk, the
// kind a team with a general CRM expects: kinds question, incident,
// request and complaint without required intake fields, the default
// priorities (low, normal, high, urgent; normal when none is given) with
// SLA targets per priority for the first response and the resolution in
// business hours of the desk's Calendar (set it: without one the
// targets run in wall-clock time), SLA clocks paused while the ticket
// waits for the customer, subject and description treated as personal
// data (S1), and escalation by itself when an SLA clock passes
// (Service.EscalateDue, run by runner.Escalate): level 1 notifies the
// supervisors, level 2 the admins. None of the property or
// dealer rules is switched on: no three-minute dispatch (T5), no 48-hour
// clocks (T7a, T7b, T13), no stagnation (T10), no revisits, no severity
// escalation. Use GeneralRoles as its authorizer.
func GeneralDesk() Policy {
	return Policy{
		Kinds: map[Kind]KindPolicy{
			Question:  {},
			Incident:  {},
			Request:   {},
			Complaint: {},
		},
		DefaultPriority: PriorityNormal,
		SLA: map[Priority]SLA{
			PriorityUrgent: {FirstResponse: 1 * time.Hour, Resolution: 4 * time.Hour},
			PriorityHigh:   {FirstResponse: 2 * time.Hour, Resolution: 16 * time.Hour},
			PriorityNormal: {FirstResponse: 8 * time.Hour, Resolution: 40 * time.Hour},
			PriorityLow:    {FirstResponse: 16 * time.Hour, Resolution: 80 * time.Hour},
		},
		Pause:        []DeadlineName{DeadlineFirstResponse, DeadlineResolution},
		PersonalText: true,
		Escalation: EscalationPolicy{
			Deadlines: []DeadlineName{DeadlineFirstResponse, DeadlineResolution},
			Steps:     []EscalationStep{{Notify: RoleSupervisor}, {Notify: RoleAdmin}},
		},
	}
}

// GeneralRoles returns the authorizer table of a general desk: agents
// do the desk's work; supervisors also reopen, erase (S1) and import;
// admins may do everything; the system role records arrivals, notes,
// and escalates and reassigns when a deadline passes (the escalation
// runner's actor).
func GeneralRoles() RoleTable {
	agent := []Action{ActReceive, ActTake, ActRefer, ActHandover, ActComplete, ActDispatch, ActReassign,
		ActResolve, ActResolveOnSpot, ActAnswer, ActAccept, ActAwaitRevisit, ActReject, ActRevisitPass,
		ActRevisitFail, ActCancel, ActEscalate, ActClassify, ActPromise, ActProgress, ActReschedule,
		ActRequireRevisit, ActLink, ActNote, ActSetAttrs, ActAttach, ActPrioritize, ActTag, ActDescribe,
		ActRespond, ActWait, ActResume}
	supervisor := append(slices.Clone(agent), ActReopen, ActErase, ActImport)
	system := []Action{ActReceive, ActNote, ActEscalate, ActReassign, ActImport}
	rt := RoleTable{}
	grant := func(r Role, actions []Action) {
		for _, a := range actions {
			rt[a] = append(rt[a], r)
		}
	}
	grant(RoleAgent, agent)
	grant(RoleSupervisor, supervisor)
	grant(RoleAdmin, supervisor)
	grant(RoleSystem, system)
	return rt
}
