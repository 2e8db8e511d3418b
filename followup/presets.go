package followup

import (
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// Severity categories of complaint triggers (F6): ComplaintClosed
// triggers carry the ticket's complaint severity as their Category.
const (
	SeverityMinor  = string(ticket.Minor)
	SeverityNormal = string(ticket.Normal)
	SeverityMajor  = string(ticket.Major)
)

// PropertyRules returns the rules of the property-management desk of
// seeds 002 and 003, with salt for the reproducible F3 role assignment
// and F5 sampling. Rule IDs and defaults:
//
//	F1.open        dispatched case: follow up within 48 h (from 24 h), then at
//	               most every 48 h while the case needs it, until it closes
//	F2.safety      repaired safety facility: revisit on site within 2 days
//	F2.leak        repaired water leak: revisit on site within 3 days
//	F2.general     any other repair: revisit on site within 7 days
//	               (F2 revisits carry the F4 checklist; the role follows F3)
//	F6.major       major complaint closed: revisit within 1 day (always)
//	F6.normal      normal complaint: within 3 days, if sampled (F5)
//	F6.minor       minor complaint: within 7 days, if sampled (F5)
//	F6.other       complaint of unknown severity: within 3 days, if sampled
//	F7.service     a service at the customer's ended: call at once
//	F7.answered    an enquiry, query, suggestion or renovation answered:
//	               call at once (the next contact time)
//	F8.move_in     new resident: visit within one month of moving in
//	F13.fee        fee due: remind from 3 days before until the due date
//	F13.holiday    holiday: care call from 2 days before until the day
//	F13.birthday   birthday: wishes on the day
//	F13.care       regular care call planned from the sales plan: within
//	               3 days of the planned date
//
// The seeds give the 48 h, 2/3/7 days, one month, 10/30/60 % and 10 %/30 %;
// the complaint timings by severity (F6 says only "by severity and
// content"), the F13 offsets and the attempts are this library's
// defaults. A RevisitFailed trigger derives nothing here: the rework is
// dispatched again (F1.open) and revisited again when resolved (F2).
func PropertyRules(salt uint64) RuleSet {
	f3 := F3Quota(salt)
	f5 := F5Sampling(salt)
	repair := func(id, cat string, days int) Rule {
		return Rule{
			ID: id, Cites: "F2", Name: "repair revisit: " + cat,
			Trigger: TicketResolved, TicketKinds: []ticket.Kind{ticket.Repair},
			Categories: []string{cat}, To: Days(days),
			Channel: OnSite, Roles: &f3, Checklist: RevisitChecklist(), Revisit: true,
			Attempts: 3, RetryAfter: 4 * time.Hour,
		}
	}
	complaint := func(id, sev string, days int, role ticket.Role) Rule {
		r := Rule{
			ID: id, Cites: "F6", Name: "complaint revisit: " + sev,
			Trigger: ComplaintClosed, TicketKinds: []ticket.Kind{ticket.Complaint},
			To: Days(days), Channel: Phone, Role: role,
			Checklist: []CheckItem{CheckService, CheckSuggestions}, Revisit: true,
			Attempts: 3, RetryAfter: 4 * time.Hour, Sample: &f5,
		}
		if sev == "" {
			r.Fallback = true
		} else {
			r.Categories = []string{sev}
		}
		return r
	}
	general := repair("F2.general", General, 7)
	general.Categories, general.Fallback = nil, true
	return RuleSet{Name: "property", Rules: []Rule{
		{
			ID: "F1.open", Cites: "F1", Name: "follow up an open case",
			Trigger: CaseOpen, From: Hours(24), To: Hours(48),
			Channel: Phone, Role: ticket.RoleAgent,
			Attempts: 3, RetryAfter: 2 * time.Hour, Repeat: 48 * time.Hour, UntilClosed: true,
		},
		repair("F2.safety", Safety, 2),
		repair("F2.leak", Leak, 3),
		general,
		complaint("F6.major", SeverityMajor, 1, ticket.RoleShiftLead),
		complaint("F6.normal", SeverityNormal, 3, ticket.RoleAgent),
		complaint("F6.minor", SeverityMinor, 7, ticket.RoleAgent),
		complaint("F6.other", "", 3, ticket.RoleAgent),
		{
			ID: "F7.service", Cites: "F7", Name: "call when a service ends",
			Trigger: ServiceEnded, Channel: Phone, Role: ticket.RoleAgent,
			Checklist: []CheckItem{CheckService, CheckSuggestions},
			Attempts:  2, RetryAfter: 2 * time.Hour,
		},
		{
			ID: "F7.answered", Cites: "F7", Name: "call when a request is answered",
			Trigger:     TicketAnswered,
			TicketKinds: []ticket.Kind{ticket.Inquiry, ticket.Query, ticket.Suggestion, ticket.Renovation},
			Channel:     Phone, Role: ticket.RoleAgent,
			Checklist: []CheckItem{CheckService, CheckSuggestions},
			Attempts:  2, RetryAfter: 2 * time.Hour,
		},
		{
			ID: "F8.move_in", Cites: "F8", Name: "visit a new resident",
			Trigger: MoveIn, To: Months(1), Channel: OnSite, Role: ticket.RoleAdministrator,
			Checklist: []CheckItem{CheckService, CheckSuggestions},
			Attempts:  3, RetryAfter: 24 * time.Hour,
		},
		{
			ID: "F13.fee", Cites: "F13", Name: "fee reminder",
			Trigger: FeeDue, From: Days(-3), To: Days(0), Channel: Phone, Role: ticket.RoleAdministrator,
			Attempts: 2, RetryAfter: 24 * time.Hour,
		},
		{
			ID: "F13.holiday", Cites: "F13", Name: "holiday care",
			Trigger: Holiday, From: Days(-2), To: Days(0), Channel: Phone, Role: ticket.RoleAdministrator,
		},
		{
			ID: "F13.birthday", Cites: "F13", Name: "birthday wishes",
			Trigger: Birthday, To: Hours(12), Channel: Phone, Role: ticket.RoleAgent,
		},
		{
			ID: "F13.care", Cites: "F13", Name: "regular care call",
			Trigger: CareCall, To: Days(3), Channel: Phone, Role: ticket.RoleAgent,
			Checklist: []CheckItem{CheckService, CheckSuggestions},
			Attempts:  3, RetryAfter: 24 * time.Hour,
		},
	}}
}

// DealerRules returns the rules of the vehicle dealer of seed 004 (F9,
// F13), with salt for the F5 sampling of complaints. Rule IDs and
// defaults:
//
//	F9.enquiry       sales enquiry: call within 24 h (售前电访)
//	F9.delivery_7d   delivery: call at 7 days, grading the customer
//	                 (新车主7日回访, 客户等级评估), done within a day
//	F9.delivery_1m   delivery: call at one month (calendar month,
//	                 clamped), done within 3 days
//	F9.service       service visit: call 3 to 5 days after
//	F9.repair        repair ticket resolved: quality revisit 3 to 5 days
//	                 after (售后维修质量回访); records the ticket's revisit
//	F9.lost_sale     lost sale: revisit within 7 days (战败客户回访)
//	F9.renewal       insurance renewal: remind 30 to 23 days ahead
//	F9.inspection    inspection: remind 14 to 7 days ahead
//	F9.maintenance   maintenance: remind 7 to 3 days ahead
//	F13.invitation   event: invite from 7 to 2 days ahead
//	F6.complaint     closed complaint: revisit within 3 days if sampled
//	                 (F5), always when the ticket waits for it
//
// The seed gives 24 h, 7 days, one month, 3–5 days and the grade; the
// lost-sale, reminder and invitation offsets are this library's
// defaults. F6.complaint is here because ticket.DealerDesk() makes major
// complaints wait for a revisit.
func DealerRules(salt uint64) RuleSet {
	f5 := F5Sampling(salt)
	call := func(id, cites, name string, tr TriggerKind, from, to Offset) Rule {
		return Rule{
			ID: id, Cites: cites, Name: name, Trigger: tr, From: from, To: to,
			Channel: Phone, Role: ticket.RoleAgent, Attempts: 3, RetryAfter: 4 * time.Hour,
		}
	}
	seven := call("F9.delivery_7d", "F9", "new owner 7-day call", VehicleDelivery, Days(7), Days(8))
	seven.Grade = true
	seven.Checklist = []CheckItem{CheckService, CheckSuggestions}
	repair := call("F9.repair", "F9", "after-sales repair quality revisit", TicketResolved, Days(3), Days(5))
	repair.TicketKinds = []ticket.Kind{ticket.Repair}
	repair.Revisit = true
	repair.Checklist = []CheckItem{CheckService, CheckSuggestions, CheckCharges}
	complaint := call("F6.complaint", "F6", "complaint revisit", ComplaintClosed, Days(0), Days(3))
	complaint.TicketKinds = []ticket.Kind{ticket.Complaint}
	complaint.Revisit = true
	complaint.Sample = &f5
	return RuleSet{Name: "dealer", Rules: []Rule{
		call("F9.enquiry", "F9", "pre-sale call", Enquiry, Offset{}, Hours(24)),
		seven,
		call("F9.delivery_1m", "F9", "one-month call", VehicleDelivery, Months(1), Offset{Months: 1, Days: 3}),
		call("F9.service", "F9", "after-service call", ServiceVisit, Days(3), Days(5)),
		repair,
		call("F9.lost_sale", "F9", "lost-sale revisit", LostSale, Offset{}, Days(7)),
		call("F9.renewal", "F9", "insurance renewal reminder", RenewalDate, Days(-30), Days(-23)),
		call("F9.inspection", "F9", "inspection reminder", InspectionDate, Days(-14), Days(-7)),
		call("F9.maintenance", "F9", "maintenance reminder", MaintenanceDate, Days(-7), Days(-3)),
		call("F13.invitation", "F13", "invitation call", Invitation, Days(-7), Days(-2)),
		complaint,
	}}
}
