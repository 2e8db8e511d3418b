package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// Report is what the simulation shows a desk manager, and what -format
// json prints.
type Report struct {
	Desk  string    `json:"desk"`
	Kind  string    `json:"kind"` // "property" or "dealer"
	Seed  uint64    `json:"seed"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"` // exclusive; the run settles two more days without arrivals
	Days  int       `json:"days"`
	Total int       `json:"tickets"`
	// Earlier is how many of them an earlier run left in the store.
	Earlier int `json:"earlier_tickets,omitempty"`

	ByKind []KindRow `json:"by_kind"`

	// Rates over the service's own records. Dispatch counts the tickets
	// that needed dispatch (dispatched, or still waiting for it);
	// arrivals outside service hours count from the next opening (the
	// desk's calendar is R1's 09:00–24:00).
	Dispatch Rate `json:"t5_dispatch_within_limit"`
	Answers  Rate `json:"t7a_answered_within_48h"`
	Replies  Rate `json:"t7b_reply_times_kept"`
	Rework   Rate `json:"t13_rework_notice_within_24h"`

	Incomplete int `json:"t2_incomplete_intakes"`
	Unowned    int `json:"t19_unattended_arrivals"`
	Rejected   int `json:"t8_rejected"`
	Escalated  int `json:"t6_escalated"`
	Cancelled  int `json:"t11_out_of_scope"`
	HandedOver int `json:"t15_handed_over"`

	Overdue       []OverdueRow   `json:"overdue"`
	OverdueByRule map[string]int `json:"overdue_by_rule"`

	Followups      followup.Report `json:"followups"`
	Outcomes       map[string]int  `json:"followup_outcomes"`
	FollowupsByDay []DayFollowups  `json:"followups_by_day"`

	Coverage     []string  `json:"coverage_gaps"`
	UncoveredMin int       `json:"uncovered_minutes"`
	Unfilled     int       `json:"roster_unfilled_slots"`
	Staffing     []HourRow `json:"staffing_by_hour"`

	LintLines    int            `json:"lint_lines"`
	LintFindings map[string]int `json:"lint_findings"`
	QA           []QARow        `json:"qa_reviews"`
	QAShort      map[string]int `json:"qa_short,omitempty"`

	Daily      []DayRow       `json:"daily"`
	Weekly     []DayRow       `json:"weekly"`
	Monthly    []MonthRow     `json:"monthly_quality"`
	Happened   []string       `json:"happened"`
	Refused    map[string]int `json:"refused,omitempty"`
	RefusedWhy []string       `json:"refused_examples,omitempty"`
}

// Rate is a count of successes out of a total.
type Rate struct {
	OK int `json:"ok"`
	Of int `json:"of"`
}

func (r Rate) String() string {
	if r.Of == 0 {
		return "–"
	}
	return fmt.Sprintf("%d/%d (%.1f%%)", r.OK, r.Of, 100*float64(r.OK)/float64(r.Of))
}

// KindRow counts one kind's tickets by state.
type KindRow struct {
	Kind   ticket.Kind          `json:"kind"`
	States map[ticket.State]int `json:"states"`
	Total  int                  `json:"total"`
}

// OverdueRow is one overdue deadline at the end of the run (T10).
type OverdueRow struct {
	Case     int64  `json:"case"`
	Kind     string `json:"kind"`
	State    string `json:"state"`
	Deadline string `json:"deadline"`
	Rule     string `json:"rule"`
	By       string `json:"by"`
}

// DayFollowups is one day's follow-ups: due that day, and done that day.
type DayFollowups struct {
	Date string `json:"date"`
	Due  int    `json:"due"`
	Done int    `json:"done"`
}

// HourRow is one hour of the day: the load, what Erlang C needs for 80 %
// answered in 20 s, and who the roster has (R8).
type HourRow struct {
	Hour    int     `json:"hour"`
	Calls   float64 `json:"calls_per_hour"`
	Need    int     `json:"need"`
	Staffed int     `json:"staffed"`
	Short   int     `json:"short"`
}

// QARow is one agent's QA reviews (K2).
type QARow struct {
	Agent    string  `json:"agent"`
	Month    string  `json:"month"`
	Reviews  int     `json:"reviews"`
	Average  float64 `json:"average"`
	Findings int     `json:"findings"`
	Below    bool    `json:"below_minimum"`
}

// DayRow counts arrivals by kind in a day or week (K5).
type DayRow struct {
	Period string         `json:"period"`
	ByKind map[string]int `json:"by_kind"`
	Total  int            `json:"total"`
}

// MonthRow is the monthly quality summary to the department head (K5).
type MonthRow struct {
	Month        string  `json:"month"`
	Tickets      int     `json:"tickets"`
	Dispatch     Rate    `json:"t5"`
	Answers      Rate    `json:"t7a"`
	RevisitRate  string  `json:"revisit_rate"`
	Satisfaction float64 `json:"satisfaction"`
	LintFindings int     `json:"lint_findings"`
	Reviews      int     `json:"reviews"`
}

// Report gathers the figures from the services' own records.
func (s *Sim) Report(ctx context.Context) (*Report, error) {
	r := &Report{
		Desk: s.desk, Kind: "property", Seed: s.cfg.Seed, From: s.cfg.Start, To: s.end, Days: s.cfg.Days, Earlier: s.earlier,
		OverdueByRule: map[string]int{}, Outcomes: map[string]int{}, LintFindings: map[string]int{},
		Happened: s.happened, Refused: s.refused, RefusedWhy: s.refusedWhy, HandedOver: s.handedOvr, Unfilled: s.unfilled, LintLines: s.lines,
	}
	if s.cfg.Dealer {
		r.Kind = "dealer"
	}
	if err := s.ticketFigures(ctx, r); err != nil {
		return nil, err
	}
	if err := s.followupFigures(ctx, r); err != nil {
		return nil, err
	}
	if err := s.rosterFigures(ctx, r); err != nil {
		return nil, err
	}
	for f, n := range s.findings {
		r.LintFindings[string(f)] = n
	}
	reviews, sums, short, err := s.qaReviews()
	if err != nil {
		return nil, err
	}
	for _, sm := range sums {
		row := QARow{Agent: sm.AgentID, Month: sm.Start.Format("2006-01"), Reviews: sm.Reviews, Below: sm.BelowMinimum}
		var sum float64
		for _, v := range sm.Average {
			sum += v
		}
		if len(sm.Average) > 0 {
			row.Average = sum / float64(len(sm.Average))
		}
		for _, n := range sm.Findings {
			row.Findings += n
		}
		r.QA = append(r.QA, row)
	}
	if len(short) > 0 {
		r.QAShort = short
	}
	s.monthly(r, reviews)
	return r, nil
}

func (s *Sim) ticketFigures(ctx context.Context, r *Report) error {
	all, err := s.tickets.List(ctx, ticket.Filter{})
	if err != nil {
		return err
	}
	byKind := map[ticket.Kind]*KindRow{}
	daily := map[string]*DayRow{}
	weekly := map[string]*DayRow{}
	count := func(m map[string]*DayRow, key string, k ticket.Kind) {
		if m[key] == nil {
			m[key] = &DayRow{Period: key, ByKind: map[string]int{}}
		}
		m[key].ByKind[string(k)]++
		m[key].Total++
	}
	for _, tk := range all {
		r.Total++
		row := byKind[tk.Kind]
		if row == nil {
			row = &KindRow{Kind: tk.Kind, States: map[ticket.State]int{}}
			byKind[tk.Kind] = row
		}
		row.States[tk.State]++
		row.Total++
		local := tk.ReceivedAt.In(s.loc)
		count(daily, local.Format("2006-01-02 Mon"), tk.Kind)
		y, w := local.ISOWeek()
		count(weekly, fmt.Sprintf("%d-W%02d", y, w), tk.Kind)
		if tk.Escalation.Level > 0 {
			r.Escalated++
		}
		if tk.Rejections > 0 {
			r.Rejected++
		}
		if tk.State == ticket.Cancelled {
			r.Cancelled++
		}
		h, err := s.tickets.History(ctx, tk.ID)
		if err != nil {
			return err
		}
		if h[0].Data["owner"] == "" {
			r.Unowned++
		}
		if h[0].Data["missing"] != "" {
			r.Incomplete++
		}
		s.rates(r, tk, h)
	}
	for _, k := range sortedKeys(byKind) {
		r.ByKind = append(r.ByKind, *byKind[k])
	}
	for _, k := range sortedKeys(daily) {
		r.Daily = append(r.Daily, *daily[k])
	}
	for _, k := range sortedKeys(weekly) {
		r.Weekly = append(r.Weekly, *weekly[k])
	}
	over, err := s.tickets.Overdue(ctx)
	if err != nil {
		return err
	}
	for _, o := range over {
		r.OverdueByRule[o.Rule+" "+string(o.Deadline)]++
		r.Overdue = append(r.Overdue, OverdueRow{Case: o.Ticket.Number, Kind: string(o.Ticket.Kind), State: string(o.Ticket.State),
			Deadline: string(o.Deadline), Rule: o.Rule, By: o.By.Round(time.Minute).String()})
	}
	return nil
}

func (s *Sim) rates(r *Report, tk *ticket.Ticket, h []ticket.Event) {
	dispatched := false
	for _, e := range h {
		if e.Action == ticket.ActDispatch {
			dispatched = true
		}
	}
	for _, d := range tk.Deadlines {
		var rate *Rate
		switch d.Name {
		case ticket.DeadlineDispatch:
			if !dispatched && !d.Open() {
				continue // resolved on the spot or cancelled: needed no dispatch
			}
			rate = &r.Dispatch
		case ticket.DeadlineAnswer:
			rate = &r.Answers
		case ticket.DeadlineReply:
			rate = &r.Replies
		case ticket.DeadlineReworkNotice:
			rate = &r.Rework
		default:
			continue
		}
		if d.Open() && !s.now.After(d.Due) {
			continue // still running, not late yet
		}
		rate.Of++
		if !d.Late(s.now) {
			rate.OK++
		}
	}
}

func (s *Sim) followupFigures(ctx context.Context, r *Report) error {
	complaints, err := s.tickets.List(ctx, ticket.Filter{Kinds: []ticket.Kind{ticket.Complaint}, States: []ticket.State{ticket.Closed}})
	if err != nil {
		return err
	}
	tasks, err := s.fqueue.List(ctx, followup.Filter{})
	if err != nil {
		return err
	}
	// The report covers every follow-up the run derived: up to the last
	// due time, which lies past the run for revisits allowed a week.
	to := s.end.Add(48 * time.Hour)
	for _, t := range tasks {
		if !t.Due.Before(to) {
			to = t.Due.Add(time.Second)
		}
	}
	rep, err := s.fqueue.Report(ctx, s.cfg.Start, to, followup.ReportOptions{Complaints: len(complaints)})
	if err != nil {
		return err
	}
	r.Followups = rep
	for res, n := range s.outcomes {
		r.Outcomes[string(res)] = n
	}
	days := map[string]*DayFollowups{}
	bump := func(t time.Time, due bool) {
		k := t.In(s.loc).Format("2006-01-02")
		if days[k] == nil {
			days[k] = &DayFollowups{Date: k}
		}
		if due {
			days[k].Due++
		} else {
			days[k].Done++
		}
	}
	for _, t := range tasks {
		if t.Status == followup.Cancelled {
			continue
		}
		if t.Due.Before(s.end.Add(48 * time.Hour)) {
			bump(t.Due, true)
		}
		if t.Status == followup.Done || t.Status == followup.Problem {
			bump(t.ClosedAt, false)
		}
	}
	for _, k := range sortedKeys(days) {
		r.FollowupsByDay = append(r.FollowupsByDay, *days[k])
	}
	return nil
}

// rosterFigures: coverage gaps (R1) and staffing against the hourly load
// of an average day (R8, Erlang C with 6-minute calls, 80 % in 20 s).
func (s *Sim) rosterFigures(ctx context.Context, r *Report) error {
	cov, err := s.coverage(ctx)
	if err != nil {
		return err
	}
	for _, g := range cov.Gaps() {
		r.Coverage = append(r.Coverage, describeGap(g, s.loc))
	}
	r.UncoveredMin = int(cov.Uncovered().Minutes())
	view, err := s.roster.View(ctx, s.desk, s.cfg.Start, s.end)
	if err != nil {
		return err
	}
	day := s.cfg.Start
	var profile []roster.HourLoad
	for h := range 24 {
		calls := float64(s.arrivals[h]) / float64(s.cfg.Days)
		profile = append(profile, roster.HourLoad{Start: day.Add(time.Duration(h) * time.Hour), Calls: calls})
	}
	fits, err := roster.CheckLoad(profile, 6*time.Minute, roster.DefaultTarget(), view.Effective(s.now), view.Duties, view.Away)
	if err != nil {
		return err
	}
	for h, f := range fits {
		r.Staffing = append(r.Staffing, HourRow{Hour: h, Calls: profile[h].Calls, Need: f.Need, Staffed: f.Staffed, Short: f.Short})
	}
	return nil
}

// monthly is the K5 summary: one row per month of arrivals.
func (s *Sim) monthly(r *Report, reviews []phrasebook.Review) {
	m := map[string]*MonthRow{}
	get := func(t time.Time) *MonthRow {
		k := t.In(s.loc).Format("2006-01")
		if m[k] == nil {
			m[k] = &MonthRow{Month: k}
		}
		return m[k]
	}
	for _, d := range r.Daily {
		t, _ := time.ParseInLocation("2006-01-02 Mon", d.Period, s.loc)
		get(t).Tickets += d.Total
	}
	for _, rv := range reviews {
		get(rv.At).Reviews++
	}
	for _, k := range sortedKeys(m) {
		row := m[k]
		// Rates and follow-ups are over the whole run; a run within one
		// month gives that month's figures.
		row.Dispatch, row.Answers = r.Dispatch, r.Answers
		row.RevisitRate = r.Followups.Revisit.String()
		row.Satisfaction = r.Followups.Satisfaction
		for _, n := range r.LintFindings {
			row.LintFindings += n
		}
		r.Monthly = append(r.Monthly, *row)
	}
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
