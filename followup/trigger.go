package followup

import (
	"maps"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// TriggerKind names what happened to a customer. Rules are written
// against trigger kinds; a desk may invent its own.
type TriggerKind string

// Triggers derived from ticket events (see TriggersFrom).
const (
	// CaseOpen: a case was dispatched to the responsible people and the
	// customer now waits: follow up at most every 48 h (F1).
	CaseOpen TriggerKind = "case_open"
	// TicketResolved: the solution was obtained, the repair is done
	// (F2 repair revisits).
	TicketResolved TriggerKind = "ticket_resolved"
	// TicketAnswered: the customer was told; the service has ended (F7).
	TicketAnswered TriggerKind = "ticket_answered"
	// ComplaintClosed: the complainant accepted the solution; Category
	// carries the complaint's severity (F5, F6).
	ComplaintClosed TriggerKind = "complaint_closed"
	// RevisitFailed: a revisit found a problem; the case is open again
	// (T13, F1).
	RevisitFailed TriggerKind = "revisit_failed"
	// CaseClosed: the ticket closed or was cancelled. No preset rule
	// creates tasks from it; it stops the F1 chain of the case.
	CaseClosed TriggerKind = "case_closed"
)

// Triggers that come from elsewhere: a CRM, a sales system, a calendar
// of dates. The caller builds the Trigger and passes it to
// Deriver.Derive.
const (
	Enquiry         TriggerKind = "enquiry"          // F9 sales enquiry (售前)
	LostSale        TriggerKind = "lost_sale"        // F9 战败客户
	VehicleDelivery TriggerKind = "vehicle_delivery" // F9 交车
	ServiceVisit    TriggerKind = "service_visit"    // F9 服务部: a car was serviced
	ServiceEnded    TriggerKind = "service_ended"    // F7 a service at the customer's ended
	MoveIn          TriggerKind = "move_in"          // F8 入住
	RenewalDate     TriggerKind = "renewal_date"     // F9 续保: At is the renewal date
	InspectionDate  TriggerKind = "inspection_date"  // F9 验车: At is the inspection date
	MaintenanceDate TriggerKind = "maintenance_date" // F9 保养: At is the maintenance date
	Birthday        TriggerKind = "birthday"         // F13 生日祝福: At is this year's birthday
	FeeDue          TriggerKind = "fee_due"          // F13 催缴: At is the due date of the fee
	Holiday         TriggerKind = "holiday"          // F13 节日慰问: At is the holiday
	Invitation      TriggerKind = "invitation"       // F13 邀约: an event target customers are invited to
	CareCall        TriggerKind = "care_call"        // F13 定期回访 from a sales plan
)

// Trigger is one thing that happened, to one customer or case, on one
// desk. Key identifies it among all triggers of the desk: processing the
// same Key twice derives nothing new (task IDs are made from the desk,
// the Key and the rule).
type Trigger struct {
	Kind TriggerKind
	Desk string
	// Key is the trigger's identity, e.g. a ticket event ID or
	// "delivery:VIN123". Required.
	Key string
	// Subject is who or what the follow-up is about: a customer or
	// vehicle reference from the CRM. Keep personal data out of it (S1):
	// a reference, not a name or phone number.
	Subject string
	// Ticket is the case the trigger came from, if any.
	Ticket     uuid.UUID
	TicketKind ticket.Kind
	// Category refines the kind: the repair category for F2 (Safety,
	// Leak, General), the complaint severity for F6.
	Category string
	// At is when it happened, or for date triggers (renewal, birthday,
	// fee) the date itself; rule offsets count from it.
	At time.Time
	// RevisitRequired: the ticket waits for a revisit outcome; sampling
	// (F5) cannot skip it.
	RevisitRequired bool
	Data            map[string]string
}

// Repair categories of F2 (the values of ticket.Ticket.Category for
// repairs).
const (
	Safety  = "safety"  // 安全设施: revisit within 2 days
	Leak    = "leak"    // 漏水: revisit within 3 days
	General = "general" // 其它一般维修: revisit within 7 days
)

// TriggersFrom maps a ticket event to the triggers it stands for, if
// any. The event's ID is the trigger's key, with the kind appended so
// that one event may stand for two triggers (resolve on the spot is
// both resolved and answered). Subject is the ticket ID.
//
//	dispatch                 → CaseOpen (F1)
//	resolve                  → TicketResolved (F2)
//	resolve_on_spot          → TicketResolved, TicketAnswered (F2, F7)
//	answer                   → TicketAnswered (F7)
//	accept, await_revisit    → ComplaintClosed for complaints (F5, F6),
//	                           CaseClosed on accept
//	revisit_fail             → RevisitFailed (T13, F1)
//	revisit_pass, cancel     → CaseClosed
//
// For complaints Category is left as the ticket's category; the
// Deriver replaces it with the severity when it can read the ticket.
func TriggersFrom(ev ticket.Event) []Trigger {
	var kinds []TriggerKind
	switch ev.Action {
	case ticket.ActDispatch:
		kinds = []TriggerKind{CaseOpen}
	case ticket.ActResolve:
		kinds = []TriggerKind{TicketResolved}
	case ticket.ActResolveOnSpot:
		kinds = []TriggerKind{TicketResolved, TicketAnswered}
	case ticket.ActAnswer:
		kinds = []TriggerKind{TicketAnswered}
	case ticket.ActAccept:
		if ev.Kind == ticket.Complaint {
			kinds = append(kinds, ComplaintClosed)
		}
		kinds = append(kinds, CaseClosed)
	case ticket.ActAwaitRevisit:
		if ev.Kind == ticket.Complaint {
			kinds = []TriggerKind{ComplaintClosed}
		}
	case ticket.ActRevisitFail:
		kinds = []TriggerKind{RevisitFailed}
	case ticket.ActRevisitPass, ticket.ActCancel:
		kinds = []TriggerKind{CaseClosed}
	}
	out := make([]Trigger, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, Trigger{
			Kind: k, Desk: ev.Desk, Key: ev.ID.String() + "/" + string(k),
			Subject: ev.Ticket.String(), Ticket: ev.Ticket, TicketKind: ev.Kind,
			Category: ev.Category, At: ev.At,
			RevisitRequired: ev.Action == ticket.ActAwaitRevisit,
			Data:            maps.Clone(ev.Data),
		})
	}
	return out
}

func (tr Trigger) check() error {
	if tr.Desk == "" {
		return invalid("trigger desk", "name the desk of trigger %q", tr.Key)
	}
	if strings.TrimSpace(tr.Key) == "" {
		return invalid("trigger key", "a %s trigger needs a key that identifies it", tr.Kind)
	}
	if tr.Kind == "" {
		return invalid("trigger kind", "trigger %q has no kind", tr.Key)
	}
	if tr.At.IsZero() {
		return invalid("trigger time", "trigger %q has no time", tr.Key)
	}
	return nil
}
