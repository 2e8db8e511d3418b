package sim

import (
	"fmt"
	"math"
	"time"

	"github.com/servicedesk-go/desk/followup"
)

// Schema names the JSON form of Report; it changes when a field is
// renamed or removed (adding a field keeps it). The JSON Schema that
// describes it is examples/desk/report.schema.json.
const Schema = "servicedesk-go/desk-report/v1"

// Report is what a simulated run shows a desk manager: every figure is
// computed at the end of the run from the stores' records and the
// simulated calls, and every rate carries its numerator and denominator
// from one set. Durations are minutes; lists are never null.
type Report struct {
	Schema     string    `json:"schema"`
	Desk       string    `json:"desk"`
	Kind       Kind      `json:"kind"`
	Seed       uint64    `json:"seed"`
	From       time.Time `json:"from"`
	To         time.Time `json:"to"` // exclusive: the end of the last day of arrivals
	Days       int       `json:"days"`
	SettleDays int       `json:"settle_days"` // days after To without arrivals, letting work end
	// EarlierTickets is how many tickets an earlier run left in the store.
	EarlierTickets int `json:"earlier_tickets"`

	Tickets   Tickets    `json:"tickets"`
	Targets   []Target   `json:"targets"`
	Times     []Times    `json:"times"`
	Breaches  []Breach   `json:"breaches"`
	Overdue   []Overdue  `json:"overdue"`
	Backlog   []Count    `json:"backlog_by_age"`
	Reopened  Rate       `json:"reopened"`
	Agents    []Agent    `json:"agents"`
	Followups Followups  `json:"followups"`
	Hours     []Hour     `json:"hours"`
	Coverage  Coverage   `json:"coverage"`
	Speech    Speech     `json:"speech"`
	Daily     []Period   `json:"daily"`
	Weekly    []Period   `json:"weekly"`
	Monthly   []Month    `json:"monthly"`
	Happened  []Note     `json:"happened"`
	Refused   []Count    `json:"refused"`
	RefusedAt []string   `json:"refused_examples"`
	Legend    []RuleNote `json:"legend"`
}

// Count is a number of things of one key.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Rate is Count out of Of, both from the same set; Rate is 0 when Of is.
type Rate struct {
	Count int     `json:"count"`
	Of    int     `json:"of"`
	Rate  float64 `json:"rate"`
}

func rate(n, of int) Rate {
	r := Rate{Count: n, Of: of}
	if of > 0 {
		r.Rate = float64(n) / float64(of)
	}
	return r
}

// String prints "109 of 197 (55 %)", or "none" for an empty set.
func (r Rate) String() string {
	if r.Of == 0 {
		return "none"
	}
	return fmt.Sprintf("%d of %d (%s)", r.Count, r.Of, Percent(r.Rate))
}

// Percent prints a share as a percentage: whole when it is one, else
// with one decimal rounded down, so that 29.96 % never reads as a
// minimum of 30 % met, nor 99.96 % as all.
func Percent(x float64) string {
	p := 100 * x
	if math.Abs(p-math.Round(p)) < 1e-9 {
		return fmt.Sprintf("%.0f %%", math.Round(p))
	}
	return fmt.Sprintf("%.1f %%", math.Floor(p*10)/10)
}

// Tickets counts the desk's tickets: each once by state, and each once
// in its kind's row (open, closed or cancelled).
type Tickets struct {
	Total   int       `json:"total"`
	ByState []Count   `json:"by_state"`
	ByKind  []KindRow `json:"by_kind"`
	// Unattended arrived while nobody was on duty or online (T19);
	// Incomplete lacked intake fields (T2); Rejected were rejected by
	// the customer at least once (T8); Escalated went to the lead (T6);
	// OutOfScope were ended politely (T11); HandedOver before leave (T15).
	Unattended int `json:"unattended"`
	Incomplete int `json:"incomplete"`
	Rejected   int `json:"rejected"`
	Escalated  int `json:"escalated"`
	OutOfScope int `json:"out_of_scope"`
	HandedOver int `json:"handed_over"`
}

// KindRow is one kind's tickets: Open + Closed + Cancelled = Total.
type KindRow struct {
	Kind      string `json:"kind"`
	Total     int    `json:"total"`
	Open      int    `json:"open"`
	Closed    int    `json:"closed"`
	Cancelled int    `json:"cancelled"`
}

// Status of a target.
const (
	Met           = "met"
	Unmet         = "unmet"
	NotApplicable = "not_applicable"
	NoData        = "no_data"
)

// Target is a goal of the regulations and whether the run met it.
type Target struct {
	Rule   string  `json:"rule"`
	Name   string  `json:"name"`
	Result Rate    `json:"result"`
	Goal   float64 `json:"goal"` // the share to reach
	Status string  `json:"status"`
	Note   string  `json:"note"`
}

// Times is how long tickets took from arrival to a step, wall-clock.
type Times struct {
	Step          string  `json:"step"` // dispatch, resolve, answer
	Name          string  `json:"name"`
	Tickets       int     `json:"tickets"`
	MedianMinutes float64 `json:"median_minutes"`
	P90Minutes    float64 `json:"p90_minutes"`
}

// Breach counts the deadlines of one kind that ran past due, by ticket
// kind; Late = MetLate + StillOpen.
type Breach struct {
	Rule      string  `json:"rule"`
	Deadline  string  `json:"deadline"`
	Name      string  `json:"name"`
	Late      int     `json:"late"`
	MetLate   int     `json:"met_late"`
	StillOpen int     `json:"still_open"`
	ByKind    []Count `json:"by_ticket_kind"`
	of        int     // deadlines measured: the matching target's Of
}

// Overdue is one ticket past one or more deadlines at the end (T10).
type Overdue struct {
	Case        int64    `json:"case"`
	Kind        string   `json:"kind"`
	State       string   `json:"state"`
	Owner       string   `json:"owner"`
	Assignee    string   `json:"assignee"`
	Rules       []string `json:"rules"`
	Deadlines   []string `json:"deadlines"`
	LateMinutes float64  `json:"late_minutes"` // the most overdue of them
}

// Agent is one person's work: tickets first received (T1), of them
// resolved at the first contact (T3), tickets owned at the end, calls
// spoken and follow-ups completed.
type Agent struct {
	Agent         string `json:"agent"`
	Received      int    `json:"received"`
	FirstContact  Rate   `json:"first_contact_resolution"`
	OpenAtEnd     int    `json:"open_at_end"`
	Calls         int    `json:"calls"`
	FollowupsDone int    `json:"followups_done"`
}

// Followups counts the desk's follow-up tasks: each once by status, by
// category and by rule.
type Followups struct {
	Total    int     `json:"total"`
	ByStatus []Count `json:"by_status"`
	// Attempts are the calls and visits made, by result: a customer not
	// reached is tried again (F10), so there are more attempts than tasks.
	Attempts []Count `json:"attempts"`
	// Due are the tasks whose window had closed or that ended by the end
	// of the run; Reached, OnTime and ComplaintOnTime count among them.
	Due             int                   `json:"due"`
	Reached         Rate                  `json:"reached"`
	OnTime          Rate                  `json:"on_time"`
	ComplaintOnTime Rate                  `json:"complaint_on_time"`
	Contact         Rate                  `json:"effective_contact"` // F12: reached of the tasks that ended
	Satisfaction    float64               `json:"satisfaction"`      // K4: mean score, 0 when none
	Scored          int                   `json:"scored"`
	ByDay           []FollowupDay         `json:"by_day"`
	ByCategory      []FollowupRow         `json:"by_category"`
	ByRule          []FollowupRow         `json:"by_rule"`
	Unreachable     []Unreachable         `json:"unreachable"`
	F3              *followup.QuotaCheck  `json:"f3"`
	F5              *followup.SampleCheck `json:"f5"`
}

// FollowupDay is one day's follow-ups: windows closing that day (Due,
// cancelled ones excluded) and tasks ending that day (Done).
type FollowupDay struct {
	Date string `json:"date"`
	Due  int    `json:"due"`
	Done int    `json:"done"`
}

// FollowupRow is the tasks of one category or rule by status:
// Reached + Problems + Unreachable + Overdue + Waiting + Cancelled = Total.
type FollowupRow struct {
	Key          string  `json:"key"`
	Total        int     `json:"total"`
	Reached      int     `json:"reached"`
	Problems     int     `json:"problems"`
	Unreachable  int     `json:"unreachable"`
	Overdue      int     `json:"overdue"`
	Waiting      int     `json:"waiting"`
	Cancelled    int     `json:"cancelled"`
	OnTime       int     `json:"on_time"`
	Satisfaction float64 `json:"satisfaction"`
}

// Unreachable is a customer every attempt failed to reach (F10).
type Unreachable struct {
	Case     int64     `json:"case"` // 0 when the task came from no ticket
	Subject  string    `json:"subject"`
	Rule     string    `json:"rule"`
	Attempts int       `json:"attempts"`
	At       time.Time `json:"at"`
}

// Hour is one hour of the day over the run: the phone calls offered and
// answered within the service target, what Erlang C predicts for the
// agents the roster had, and how many it says are needed (R8).
type Hour struct {
	Hour         int     `json:"hour"`
	Arrivals     int     `json:"arrivals"`           // requests of every channel, over the run
	CallsPerHour float64 `json:"calls_per_hour"`     // phone calls, average day
	Calls        int     `json:"calls"`              // phone calls, over the run
	Answered     int     `json:"answered"`           // by an agent; the others came while nobody was on duty
	InTarget     int     `json:"answered_in_target"` // answered within the target time
	Achieved     float64 `json:"service_level"`      // InTarget / Calls; 0 without calls
	Predicted    float64 `json:"erlang_c_service_level"`
	Target       float64 `json:"target"`
	Need         int     `json:"agents_needed"`
	Staffed      int     `json:"agents_staffed"`
	Short        int     `json:"agents_short"`
	AvgWaitSec   float64 `json:"average_wait_seconds"`
	InService    bool    `json:"in_service_hours"` // R1: calls outside go to the web form by design
}

// Coverage is R1's service hours against the roster.
type Coverage struct {
	UncoveredMinutes int   `json:"uncovered_minutes"`
	Gaps             []Gap `json:"gaps"`
	UnfilledSlots    int   `json:"unfilled_slots"`
}

// Gap is time in service hours without anybody on duty.
type Gap struct {
	Date    string `json:"date"`
	From    string `json:"from"`
	To      string `json:"to"`
	Minutes int    `json:"minutes"`
}

// Speech is what agents said (P2, P3) and QA's reviews (K2).
type Speech struct {
	Calls    int        `json:"calls"`
	Findings []Count    `json:"findings"` // by fault
	Agents   []Reviewed `json:"agents"`
	Minimum  int        `json:"monthly_minimum"`
}

// Reviewed is one person's calls, the linter's findings on all of them,
// and QA's reviews of a sample (K2).
type Reviewed struct {
	Agent            string  `json:"agent"`
	Calls            int     `json:"calls"`
	Findings         int     `json:"findings"`
	Reviews          int     `json:"reviews"`
	ReviewedFindings int     `json:"reviewed_findings"`
	LateSteps        int     `json:"reviewed_late_steps"`
	Score            float64 `json:"score"` // mean of the aspects over the reviews; 0 without reviews
	BelowMinimum     bool    `json:"below_minimum"`
	Rostered         bool    `json:"rostered"`
}

// Period counts arrivals in a day or week by kind (K5).
type Period struct {
	Period string  `json:"period"`
	Total  int     `json:"total"`
	ByKind []Count `json:"by_kind"`
}

// Month is the monthly quality summary to the department head (K5):
// each figure over that month's tickets, follow-ups and calls.
type Month struct {
	Month        string  `json:"month"`
	Tickets      int     `json:"tickets"`
	Dispatch     Rate    `json:"dispatched_in_time"`
	Answers      Rate    `json:"answered_in_time"`
	Reached      Rate    `json:"followups_reached"`
	Satisfaction float64 `json:"satisfaction"`
	Findings     int     `json:"lint_findings"`
	Reviews      int     `json:"reviews"`
}

// Note is something notable that happened (a swap, a leave).
type Note struct {
	At   time.Time `json:"at"`
	Rule string    `json:"rule"`
	Text string    `json:"text"`
}

// RuleNote explains a rule ID the report cites.
type RuleNote struct {
	Rule string `json:"rule"`
	Text string `json:"text"`
}
