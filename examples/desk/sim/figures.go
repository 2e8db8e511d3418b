package sim

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/calendar"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/phrasebook"
	"github.com/servicedesk-go/desk/roster"
	"github.com/servicedesk-go/desk/ticket"
)

// Duration prints a duration the way a desk says it: "45 s", "3 min",
// "27 h 30 min", "48 h".
func Duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	}
	m := int(d.Round(time.Minute) / time.Minute)
	if m%60 == 0 {
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}

func minutes(d time.Duration) float64 { return math.Round(d.Minutes()*10) / 10 }

// tally computes the report's figures from the records at the end of a
// run; it reads the simulation and changes nothing.
type tally struct{ *Sim }

// Report gathers the figures from the services' records at the end of
// the run.
func (s *Sim) Report(ctx context.Context) (*Report, error) {
	t := tally{s}
	r := &Report{
		Schema: Schema, Desk: s.cfg.Desk, Kind: s.cfg.Kind, Seed: s.cfg.Seed,
		From: s.cfg.Start, To: s.end, Days: s.cfg.Days, SettleDays: SettleDays, EarlierTickets: s.earlier,
		Happened: append([]Note{}, s.log.happened...), Refused: counts(s.log.refused), RefusedAt: append([]string{}, s.log.refusedWhy...),
	}
	all, err := s.tickets.List(ctx, ticket.Filter{})
	if err != nil {
		return nil, err
	}
	hist := make(map[int64][]ticket.Event, len(all))
	for _, tk := range all {
		h, err := s.tickets.History(ctx, tk.ID)
		if err != nil {
			return nil, err
		}
		hist[tk.Number] = h
	}
	tasks, err := s.follow.queue.List(ctx, followup.Filter{})
	if err != nil {
		return nil, err
	}
	t.ticketFigures(r, all, hist)
	if err := t.overdue(ctx, r); err != nil {
		return nil, err
	}
	t.followupFigures(r, all, tasks)
	t.agentFigures(r, all, hist, tasks)
	if err := t.rosterFigures(ctx, r); err != nil {
		return nil, err
	}
	reviews, err := t.speechFigures(ctx, r)
	if err != nil {
		return nil, err
	}
	t.targets(r)
	t.monthly(r, all, hist, tasks, reviews)
	r.Legend = legend(r)
	return r, nil
}

// deadlineRules names each deadline of the policy: rule, and plain words.
func (s tally) deadlineRules() map[ticket.DeadlineName][2]string {
	p := s.tickets.Policy()
	return map[ticket.DeadlineName][2]string{
		ticket.DeadlineDispatch:      {"T5", "dispatched within " + Duration(p.Dispatch.Within)},
		ticket.DeadlineAnswer:        {"T7a", "customer told the solution within " + Duration(p.Answer.Within)},
		ticket.DeadlineReply:         {"T7b", "agreed reply times kept"},
		ticket.DeadlineReworkNotice:  {"T13", "written rework notice within " + Duration(p.ReworkNotice.Within)},
		ticket.DeadlineStagnant:      {"T10", "untouched for " + Duration(p.Stagnant.Within)},
		ticket.DeadlineFirstResponse: {"SLA", "first reply within the priority's target"},
		ticket.DeadlineResolution:    {"SLA", "solved within the priority's target"},
	}
}

// measured are the deadlines the policy sets: the T rules' clocks that
// are on, agreed reply times (T7b), and the SLA clocks of a desk with
// SLA targets (GeneralDesk).
func (s tally) measured() []ticket.DeadlineName {
	p := s.tickets.Policy()
	var out []ticket.DeadlineName
	for _, d := range []struct {
		name ticket.DeadlineName
		on   bool
	}{{ticket.DeadlineDispatch, p.Dispatch.On}, {ticket.DeadlineAnswer, p.Answer.On}, {ticket.DeadlineReply, true}, {ticket.DeadlineReworkNotice, p.ReworkNotice.On}} {
		if d.on {
			out = append(out, d.name)
		}
	}
	if len(p.SLA) > 0 {
		out = append(out, ticket.DeadlineFirstResponse, ticket.DeadlineResolution)
	}
	return out
}

func (s tally) ticketFigures(r *Report, all []*ticket.Ticket, hist map[int64][]ticket.Event) {
	now := s.clock.now
	t := &r.Tickets
	t.HandedOver = s.log.handedOver
	byState := map[string]int{}
	byKind := map[string]*KindRow{}
	daily, weekly := map[string]map[string]int{}, map[string]map[string]int{}
	ages := map[string]int{}
	late := map[ticket.DeadlineName]*Breach{}
	lateKinds := map[ticket.DeadlineName]map[string]int{}
	names := s.deadlineRules()
	measured := s.measured()
	for _, d := range measured {
		late[d] = &Breach{Rule: names[d][0], Deadline: string(d), Name: names[d][1]}
		lateKinds[d] = map[string]int{}
	}
	steps := map[string][]time.Duration{}
	var answered, reopened int
	for _, tk := range all {
		t.Total++
		byState[string(tk.State)]++
		k := string(tk.Kind)
		row := byKind[k]
		if row == nil {
			row = &KindRow{Kind: k}
			byKind[k] = row
		}
		row.Total++
		switch {
		case tk.State == ticket.Cancelled:
			row.Cancelled++
		case tk.State == ticket.Closed:
			row.Closed++
		default:
			row.Open++
			ages[ageBand(now.Sub(tk.ReceivedAt))]++
		}
		local := tk.ReceivedAt.In(s.loc)
		bump(daily, local.Format("2006-01-02 Mon"), k)
		y, w := local.ISOWeek()
		bump(weekly, fmt.Sprintf("%d-W%02d", y, w), k)
		if tk.Escalation.Level > 0 {
			t.Escalated++
		}
		if tk.Rejections > 0 {
			t.Rejected++
		}
		if tk.State == ticket.Cancelled {
			t.OutOfScope++
		}
		h := hist[tk.Number]
		if h[0].Data["owner"] == "" {
			t.Unattended++
		}
		if h[0].Data["missing"] != "" {
			t.Incomplete++
		}
		firsts := map[string]time.Time{}
		wasAnswered, wasReopened := false, false
		for _, e := range h {
			var step []string
			switch e.Action {
			case ticket.ActDispatch:
				step = []string{"dispatch"}
			case ticket.ActResolve:
				step = []string{"resolve"}
			case ticket.ActAnswer:
				step = []string{"answer"}
				wasAnswered = true
			case ticket.ActResolveOnSpot:
				step = []string{"resolve", "answer"}
				wasAnswered = true
			}
			if e.To == ticket.Reopened {
				wasReopened = true
			}
			for _, st := range step {
				if _, ok := firsts[st]; !ok {
					firsts[st] = e.At
				}
			}
		}
		for st, at := range firsts {
			steps[st] = append(steps[st], at.Sub(tk.ReceivedAt))
		}
		if wasAnswered {
			answered++
			if wasReopened {
				reopened++
			}
		}
		for _, d := range judged(tk, h, now) {
			b, ok := late[d.Name]
			if !ok {
				continue
			}
			b.of++
			if !d.Late(now) {
				continue
			}
			b.Late++
			lateKinds[d.Name][k]++
			if d.Open() {
				b.StillOpen++
			} else {
				b.MetLate++
			}
		}
	}
	t.ByState = counts(byState)
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		t.ByKind = append(t.ByKind, *byKind[k])
	}
	r.Daily, r.Weekly = periods(daily), periods(weekly)
	for _, band := range ageBands {
		r.Backlog = append(r.Backlog, Count{Key: band.name, Count: ages[band.name]})
	}
	r.Reopened = rate(reopened, answered)
	for _, d := range measured {
		b := late[d]
		b.ByKind = counts(lateKinds[d])
		r.Breaches = append(r.Breaches, *b)
		r.Targets = append(r.Targets, Target{Rule: b.Rule, Name: b.Name, Result: rate(b.of-b.Late, b.of), Goal: 1})
	}
	for _, st := range []struct{ step, name string }{
		{"dispatch", "arrival to dispatch"}, {"resolve", "arrival to solution"}, {"answer", "arrival to customer told"},
	} {
		ds := steps[st.step]
		slices.Sort(ds)
		r.Times = append(r.Times, Times{Step: st.step, Name: st.name, Tickets: len(ds),
			MedianMinutes: minutes(quantile(ds, 0.5)), P90Minutes: minutes(quantile(ds, 0.9))})
	}
}

// judged are the deadlines of a ticket that can be judged at now: those
// that ended, and those past due. A dispatch deadline of a ticket never
// dispatched (resolved on the spot, cancelled) needed no dispatch.
func judged(tk *ticket.Ticket, h []ticket.Event, now time.Time) []ticket.Deadline {
	dispatched := slices.ContainsFunc(h, func(e ticket.Event) bool { return e.Action == ticket.ActDispatch })
	var out []ticket.Deadline
	for _, d := range tk.Deadlines {
		if d.Name == ticket.DeadlineDispatch && !dispatched && !d.Open() {
			continue
		}
		if d.Open() && !now.After(d.Due) {
			continue // still running, not late yet
		}
		out = append(out, d)
	}
	return out
}

// quantile is the nearest-rank quantile of sorted durations; 0 for none.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

var ageBands = []struct {
	name string
	upTo time.Duration
}{{"under 1 day", 24 * time.Hour}, {"1 to 2 days", 48 * time.Hour}, {"2 to 7 days", 7 * 24 * time.Hour}, {"over 7 days", math.MaxInt64}}

func ageBand(age time.Duration) string {
	for _, b := range ageBands {
		if age < b.upTo {
			return b.name
		}
	}
	return ageBands[len(ageBands)-1].name
}

func bump(m map[string]map[string]int, period, kind string) {
	if m[period] == nil {
		m[period] = map[string]int{}
	}
	m[period][kind]++
}

func periods(m map[string]map[string]int) []Period {
	out := []Period{}
	for _, p := range slices.Sorted(maps.Keys(m)) {
		row := Period{Period: p, ByKind: counts(m[p])}
		for _, c := range row.ByKind {
			row.Total += c.Count
		}
		out = append(out, row)
	}
	return out
}

// counts lists a map's counts by key.
func counts[K ~string](m map[K]int) []Count {
	out := []Count{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Count{Key: string(k), Count: m[k]})
	}
	return out
}

// overdue lists each ticket past a deadline at the end once, with all
// the deadlines it is past (T10).
func (s tally) overdue(ctx context.Context, r *Report) error {
	var over []ticket.Overdue
	q := ticket.OverdueQuery{Limit: 500}
	for {
		page, err := s.tickets.Overdue(ctx, q)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		over = append(over, page...)
		q.After = page[len(page)-1].Cursor()
	}
	// The report lists the tickets past a deadline by case number, then
	// the stagnating ones (T10), each with its deadlines in the ticket's
	// order.
	slices.SortStableFunc(over, func(a, b ticket.Overdue) int {
		as, bs := a.Deadline == ticket.DeadlineStagnant, b.Deadline == ticket.DeadlineStagnant
		if as != bs {
			if as {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Ticket.Number, b.Ticket.Number)
	})
	byCase := map[int64]*Overdue{}
	var order []int64
	for _, o := range over {
		row := byCase[o.Ticket.Number]
		if row == nil {
			row = &Overdue{Case: o.Ticket.Number, Kind: string(o.Ticket.Kind), State: string(o.Ticket.State),
				Owner: o.Ticket.Owner, Assignee: o.Ticket.Assignee, Rules: []string{}, Deadlines: []string{}}
			byCase[o.Ticket.Number] = row
			order = append(order, o.Ticket.Number)
		}
		row.Rules = append(row.Rules, o.Rule)
		row.Deadlines = append(row.Deadlines, string(o.Deadline))
		row.LateMinutes = max(row.LateMinutes, minutes(o.By))
	}
	r.Overdue = []Overdue{}
	for _, n := range order {
		r.Overdue = append(r.Overdue, *byCase[n])
	}
	sort.SliceStable(r.Overdue, func(i, j int) bool { return r.Overdue[i].LateMinutes > r.Overdue[j].LateMinutes })
	return nil
}

// followupFigures counts every follow-up task of the desk once in each
// breakdown. A task is due when it ended or its window closed before the
// end of the run; the rates count among the due tasks.
func (s tally) followupFigures(r *Report, all []*ticket.Ticket, tasks []*followup.Task) {
	now := s.clock.now
	f := &r.Followups
	byStatus := map[string]int{}
	cats, rules := map[string]*FollowupRow{}, map[string]*FollowupRow{}
	var reached, onTime, compl, complOnTime, ended, scoreSum, repairs int
	var complaintRevisits, onSiteSigned int
	byRole := map[ticket.Role]int{}
	cases := map[uuid.UUID]int64{}
	for _, tk := range all {
		cases[tk.ID] = tk.Number
	}
	f.Unreachable = []Unreachable{}
	for _, t := range tasks {
		f.Total++
		status := taskStatus(t, now)
		byStatus[status]++
		got := t.Status == followup.Done || t.Status == followup.Problem
		in := got && !t.ClosedAt.After(t.Due)
		due := t.Status.Final() && t.Status != followup.Cancelled || status == "overdue"
		cat := cmp.Or(t.Category, string(t.Trigger))
		for _, row := range []*FollowupRow{frow(cats, cat), frow(rules, t.Rule)} {
			row.Total++
			switch status {
			case "reached":
				row.Reached++
			case "problem_found":
				row.Problems++
			case "unreachable":
				row.Unreachable++
			case "overdue":
				row.Overdue++
			case "waiting":
				row.Waiting++
			case "cancelled":
				row.Cancelled++
			}
			if in {
				row.OnTime++
			}
			if got && t.Outcome != nil && t.Outcome.Satisfaction > 0 {
				row.Satisfaction += float64(t.Outcome.Satisfaction)
			}
		}
		if t.Status == followup.Unreachable {
			f.Unreachable = append(f.Unreachable, Unreachable{Case: cases[t.Ticket], Subject: t.Subject, Rule: t.Rule, Attempts: t.Attempts, At: t.ClosedAt})
		}
		if got && t.Outcome != nil && t.Outcome.Satisfaction > 0 {
			scoreSum += t.Outcome.Satisfaction
			f.Scored++
		}
		if t.Status.Final() && t.Status != followup.Cancelled {
			ended++
		}
		if !due {
			continue
		}
		f.Due++
		if got {
			reached++
		}
		if in {
			onTime++
		}
		if t.TicketKind == ticket.Complaint {
			compl++
			if in {
				complOnTime++
			}
			if got && t.Revisit {
				complaintRevisits++
				if t.Outcome.Signed() {
					onSiteSigned++
				}
			}
		}
		if t.Cites == "F2" {
			repairs++
			if got {
				byRole[t.Outcome.By.Role]++
			}
		}
	}
	f.ByStatus = []Count{}
	for _, st := range taskStatuses {
		f.ByStatus = append(f.ByStatus, Count{Key: st, Count: byStatus[st]})
	}
	f.Attempts = counts(s.follow.attempts)
	f.Reached = rate(reached, f.Due)
	f.OnTime = rate(onTime, f.Due)
	f.ComplaintOnTime = rate(complOnTime, compl)
	f.Contact = rate(reached, ended)
	if f.Scored > 0 {
		f.Satisfaction = math.Round(float64(scoreSum)/float64(f.Scored)*100) / 100
	}
	f.ByCategory, f.ByRule = frows(cats), frows(rules)
	f.ByDay = s.followupDays(tasks)
	if repairs > 0 {
		c := followup.F3Quota(s.cfg.Seed).Check(repairs, byRole)
		f.F3 = &c
	}
	complaints := 0
	for _, tk := range all {
		if tk.Kind == ticket.Complaint && tk.State == ticket.Closed {
			complaints++
		}
	}
	c := followup.F5Sampling(s.cfg.Seed).Check(complaints, complaintRevisits, onSiteSigned)
	f.F5 = &c
}

// taskStatuses are the rows of the follow-up status breakdown.
var taskStatuses = []string{"reached", "problem_found", "unreachable", "overdue", "waiting", "cancelled"}

// taskStatus puts a task in exactly one row: its final status, or, while
// open, overdue (its window closed) or waiting.
func taskStatus(t *followup.Task, now time.Time) string {
	switch t.Status {
	case followup.Done:
		return "reached"
	case followup.Problem:
		return "problem_found"
	case followup.Unreachable:
		return "unreachable"
	case followup.Cancelled:
		return "cancelled"
	}
	if now.After(t.Due) {
		return "overdue"
	}
	return "waiting"
}

func frow(m map[string]*FollowupRow, key string) *FollowupRow {
	if m[key] == nil {
		m[key] = &FollowupRow{Key: key}
	}
	return m[key]
}

func frows(m map[string]*FollowupRow) []FollowupRow {
	out := []FollowupRow{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		row := *m[k]
		if n := row.Reached + row.Problems; n > 0 {
			row.Satisfaction = math.Round(row.Satisfaction/float64(n)*100) / 100
		}
		out = append(out, row)
	}
	return out
}

// agentFigures: each ticket counts for the person who first owned it
// (received it, or took it when it came in unattended, T1, T19).
func (s tally) agentFigures(r *Report, all []*ticket.Ticket, hist map[int64][]ticket.Event, tasks []*followup.Task) {
	rows := map[string]*Agent{}
	get := func(id string) *Agent {
		if rows[id] == nil {
			rows[id] = &Agent{Agent: id}
		}
		return rows[id]
	}
	for _, a := range s.staff.Agents {
		get(a)
	}
	fcr := map[string]int{}
	for _, tk := range all {
		first := ""
		onSpot := false
		for _, e := range hist[tk.Number] {
			if first == "" {
				first = e.Data["owner"]
			}
			if e.Action == ticket.ActResolveOnSpot && e.Actor == first {
				onSpot = true
			}
		}
		if first == "" {
			first = "(unowned)"
		}
		get(first).Received++
		if onSpot {
			fcr[first]++
		}
		if !tk.State.Terminal() && tk.Owner != "" {
			get(tk.Owner).OpenAtEnd++
		}
	}
	for _, c := range s.talk.calls {
		get(c.AgentID).Calls++
	}
	for _, t := range tasks {
		if (t.Status == followup.Done || t.Status == followup.Problem) && t.Outcome != nil {
			get(t.Outcome.By.ID).FollowupsDone++
		}
	}
	for _, id := range slices.Sorted(maps.Keys(rows)) {
		a := rows[id]
		a.FirstContact = rate(fcr[id], a.Received)
		r.Agents = append(r.Agents, *a)
	}
}

// rosterFigures: coverage gaps (R1), and hour by hour the phone calls
// answered within the target against what Erlang C predicts for the
// agents the roster had and the agents it says are needed (R8).
func (s tally) rosterFigures(ctx context.Context, r *Report) error {
	cov, err := s.work.coverage(ctx)
	if err != nil {
		return err
	}
	r.Coverage = Coverage{UncoveredMinutes: int(cov.Uncovered().Minutes()), UnfilledSlots: s.work.unfilled, Gaps: []Gap{}}
	for _, g := range cov.Gaps() {
		from, to := g.Start.In(s.loc), g.End.In(s.loc)
		r.Coverage.Gaps = append(r.Coverage.Gaps, Gap{Date: g.Date.String(), From: from.Format("15:04"), To: clock24(to, from), Minutes: int(g.Length().Minutes())})
	}
	view, err := s.work.roster.View(ctx, s.cfg.Start, s.end)
	if err != nil {
		return err
	}
	phone := s.work.phone.hours
	var profile []roster.HourLoad
	for h := range 24 {
		calls := float64(phone[h].offered) / float64(s.cfg.Days)
		profile = append(profile, roster.HourLoad{Start: s.cfg.Start.Add(time.Duration(h) * time.Hour), Calls: calls})
	}
	target := s.cfg.Policies.Service
	fits, err := roster.CheckLoad(profile, s.cfg.Policies.HandleTime, target, view.Effective(s.clock.now), view.Duties, view.Away)
	if err != nil {
		return err
	}
	for h, fit := range fits {
		ph := phone[h]
		row := Hour{Hour: h, Arrivals: s.log.arrivals[h], CallsPerHour: math.Round(profile[h].Calls*100) / 100, Calls: ph.offered, Answered: ph.answered, InTarget: ph.inTime,
			Predicted: math.Round(fit.Achieved.ServiceLevel*1000) / 1000, Target: target.ServiceLevel,
			Need: fit.Need, Staffed: fit.Staffed, Short: fit.Short, InService: s.inService(h)}
		if ph.offered > 0 {
			row.Achieved = math.Round(float64(ph.inTime)/float64(ph.offered)*1000) / 1000
		}
		if ph.answered > 0 {
			row.AvgWaitSec = math.Round(ph.waited.Seconds() / float64(ph.answered))
		}
		r.Hours = append(r.Hours, row)
	}
	return nil
}

// inService reports whether hour h of the day lies in the desk's service
// hours (R1: the ticket policy's calendar, 09:00-24:00 by default).
func (s tally) inService(h int) bool {
	spans, ok := s.workdayHours()
	if !ok {
		return true
	}
	at := time.Duration(h) * time.Hour
	for _, sp := range spans {
		if at >= sp.Start && at < sp.End {
			return true
		}
	}
	return false
}

// workdayHours are a workday's service hours from the ticket policy's
// calendar (a desk calendar, or ticket.Hours); false when the policy
// counts around the clock.
func (s tally) workdayHours() ([]calendar.Span, bool) {
	switch cal := s.tickets.Policy().Calendar.(type) {
	case *calendar.Calendar:
		return cal.Week().Of(calendar.Workday), true
	case ticket.Hours:
		return []calendar.Span{{Start: cal.Open, End: cal.Close}}, true
	}
	return nil, false
}

// serviceHours prints the desk's daily service hours (R1), from the
// ticket policy's calendar.
func (s tally) serviceHours() string {
	spans, ok := s.workdayHours()
	if !ok || len(spans) == 0 {
		return "around the clock"
	}
	hm := func(d time.Duration) string { return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = hm(sp.Start) + "-" + hm(sp.End)
	}
	return strings.Join(out, ", ")
}

// clock24 prints an end time, as 24:00 when it is the next midnight.
func clock24(end, start time.Time) string {
	if end.Hour() == 0 && end.Minute() == 0 && end.After(start) {
		return "24:00"
	}
	return end.Format("15:04")
}

// speechFigures: every call once in its speaker's row, with the linter's
// findings on all of them and QA's scores of the sampled ones (K2).
func (s tally) speechFigures(ctx context.Context, r *Report) ([]phrasebook.Review, error) {
	reviews, sums, err := s.talk.reviews(ctx, s.Sim)
	if err != nil {
		return nil, err
	}
	sp := &r.Speech
	sp.Minimum = s.cfg.Policies.Review.MonthlyMinimum
	byFault := map[string]int{}
	rows := map[string]*Reviewed{}
	get := func(id string) *Reviewed {
		if rows[id] == nil {
			rows[id] = &Reviewed{Agent: id, Rostered: slices.Contains(s.staff.Agents, id)}
		}
		return rows[id]
	}
	for _, a := range s.staff.Agents {
		get(a)
	}
	for _, c := range s.talk.calls {
		sp.Calls++
		row := get(c.AgentID)
		row.Calls++
		row.Findings += len(c.findings)
		for _, f := range c.findings {
			byFault[string(f.Fault)]++
		}
	}
	scores := map[string]float64{}
	for _, rv := range reviews {
		row := get(rv.AgentID)
		row.Reviews++
		row.ReviewedFindings += len(rv.Evidence)
		if rv.Note != "" {
			row.LateSteps++
		}
		sum := 0
		for _, v := range rv.Scores {
			sum += v
		}
		scores[rv.AgentID] += float64(sum) / float64(len(rv.Scores))
	}
	for _, sm := range sums {
		if sm.BelowMinimum && slices.Contains(s.staff.Agents, sm.AgentID) {
			get(sm.AgentID).BelowMinimum = true
		}
	}
	sp.Findings = counts(byFault)
	sp.Agents = []Reviewed{}
	for _, id := range slices.Sorted(maps.Keys(rows)) {
		row := rows[id]
		if row.Reviews > 0 {
			row.Score = math.Round(scores[id]/float64(row.Reviews)*100) / 100
		}
		sp.Agents = append(sp.Agents, *row)
	}
	return reviews, nil
}

// targets completes the list of goals: the deadline rates are already
// in; the follow-up, QA and roster goals follow.
func (s tally) targets(r *Report) {
	f := r.Followups
	add := func(t Target) { r.Targets = append(r.Targets, t) }
	if f.F3 != nil {
		least := 1.0
		for _, row := range f.F3.Rows {
			if row.Min > 0 {
				least = min(least, row.Share/row.Min)
			}
		}
		add(Target{Rule: "F3", Name: "repair revisits shared by role", Result: rate(f.F3.Revisited, f.F3.Repairs), Goal: 1,
			Status: status(f.F3.Met), Note: f3Note(f.F3)})
	} else {
		t := Target{Rule: "F3", Name: "repair revisits shared by role", Status: NotApplicable,
			Note: "no repair revisits (F2) in the run"}
		if s.cfg.Kind == Dealer {
			t.Note = "F3's role shares are a property desk's rule; a dealer has none"
		}
		add(t)
	}
	if f.F5 != nil {
		add(Target{Rule: "F5", Name: "complaints revisited (sample)", Result: rate(f.F5.Revisits, f.F5.Complaints), Goal: f5Goal(s.Sim),
			Status: status(f.F5.Met), Note: fmt.Sprintf("%d of the %d revisits on site and signed (%s, min %s)",
				f.F5.OnSiteSigned, f.F5.Revisits, Percent(f.F5.OnSiteShare), Percent(followup.F5Sampling(s.cfg.Seed).OnSite))})
	}
	add(Target{Rule: "F12", Name: "customers reached when called", Result: f.Contact, Goal: s.cfg.Policies.Contact})
	add(Target{Rule: "K1", Name: "follow-ups made within their window", Result: f.OnTime, Goal: 1})
	short := 0
	reviewed := 0
	for _, a := range r.Speech.Agents {
		if a.Rostered {
			reviewed++
			if a.BelowMinimum {
				short++
			}
		}
	}
	add(Target{Rule: "K2", Name: fmt.Sprintf("agents reviewed %d times a month", r.Speech.Minimum), Result: rate(reviewed-short, reviewed), Goal: 1})
	add(Target{Rule: "R1", Name: "service hours " + s.serviceHours() + " staffed", Result: rate(s.cfg.Days-daysWithGaps(r.Coverage.Gaps), s.cfg.Days), Goal: 1,
		Note: fmt.Sprintf("%s uncovered", Duration(time.Duration(r.Coverage.UncoveredMinutes)*time.Minute))})
	hoursMet, hoursWithCalls := 0, 0
	for _, h := range r.Hours {
		if h.Calls == 0 || !h.InService {
			continue
		}
		hoursWithCalls++
		if float64(h.InTarget) >= h.Target*float64(h.Calls)-1e-9 { // exact, not the rounded level
			hoursMet++
		}
	}
	add(Target{Rule: "R8", Name: fmt.Sprintf("hours with %s of calls answered in %s", Percent(s.cfg.Policies.Service.ServiceLevel), Duration(s.cfg.Policies.Service.AnswerWithin)),
		Result: rate(hoursMet, hoursWithCalls), Goal: 1})
	for i := range r.Targets {
		t := &r.Targets[i]
		if t.Status != "" {
			continue
		}
		switch {
		case t.Result.Of == 0:
			t.Status = NoData
		case t.Result.Rate+1e-9 >= t.Goal:
			t.Status = Met
		default:
			t.Status = Unmet
		}
	}
}

func daysWithGaps(gaps []Gap) int {
	days := map[string]bool{}
	for _, g := range gaps {
		days[g.Date] = true
	}
	return len(days)
}

func status(met bool) string {
	if met {
		return Met
	}
	return Unmet
}

func f3Note(c *followup.QuotaCheck) string {
	total := 0.0
	for _, row := range c.Rows {
		total += row.Min
	}
	round := "rounded up"
	if total > 1-1e-9 {
		round = "rounded down, as the shares add up to 100 %"
	}
	parts := make([]string, len(c.Rows))
	for i, row := range c.Rows {
		parts[i] = fmt.Sprintf("%s %d of %d (min %s)", row.Role, row.Count, c.Repairs, Percent(row.Min))
	}
	return strings.Join(parts, ", ") + "; minimums " + round
}

func f5Goal(s *Sim) float64 { return followup.F5Sampling(s.cfg.Seed).Share }

// monthly is the K5 summary: each month's own tickets (by arrival),
// follow-ups (by due date), calls and reviews.
func (s tally) monthly(r *Report, all []*ticket.Ticket, hist map[int64][]ticket.Event, tasks []*followup.Task, reviews []phrasebook.Review) {
	type acc struct {
		m                            Month
		dOK, dOf, aOK, aOf, fOK, fOf int
		score, scored                int
	}
	months := map[string]*acc{}
	get := func(t time.Time) *acc {
		k := t.In(s.loc).Format("2006-01")
		if months[k] == nil {
			months[k] = &acc{m: Month{Month: k}}
		}
		return months[k]
	}
	now := s.clock.now
	for _, tk := range all {
		a := get(tk.ReceivedAt)
		a.m.Tickets++
		for _, d := range judged(tk, hist[tk.Number], now) {
			switch d.Name {
			case ticket.DeadlineDispatch:
				a.dOf++
				if !d.Late(now) {
					a.dOK++
				}
			case ticket.DeadlineAnswer:
				a.aOf++
				if !d.Late(now) {
					a.aOK++
				}
			}
		}
	}
	for _, t := range tasks {
		st := taskStatus(t, now)
		if st == "waiting" || st == "cancelled" {
			continue
		}
		a := get(t.Due)
		a.fOf++
		if st == "reached" || st == "problem_found" {
			a.fOK++
			if t.Outcome != nil && t.Outcome.Satisfaction > 0 {
				a.score += t.Outcome.Satisfaction
				a.scored++
			}
		}
	}
	for _, c := range s.talk.calls {
		get(c.At).m.Findings += len(c.findings)
	}
	for _, rv := range reviews {
		get(rv.At).m.Reviews++
	}
	r.Monthly = []Month{}
	for _, k := range slices.Sorted(maps.Keys(months)) {
		a := months[k]
		a.m.Dispatch, a.m.Answers, a.m.Reached = rate(a.dOK, a.dOf), rate(a.aOK, a.aOf), rate(a.fOK, a.fOf)
		if a.scored > 0 {
			a.m.Satisfaction = math.Round(float64(a.score)/float64(a.scored)*100) / 100
		}
		r.Monthly = append(r.Monthly, a.m)
	}
}

// legend explains every rule ID the report cites.
func legend(r *Report) []RuleNote {
	text := map[string]string{
		"T1": "first-contact owner answers for the ticket", "T2": "intake record with required fields",
		"T3": "resolved during the first contact", "T5": "dispatch deadline", "T6": "escalation to the shift lead",
		"T7a": "tell the customer the solution in time", "T7b": "keep agreed reply times", "T8": "customer accepts or rejects",
		"T10": "overdue and stagnating tickets", "T11": "out of scope, ended politely", "T13": "written rework notice",
		"T15": "handover before leave", "T19": "unattended arrivals taken by the first agent on duty",
		"F3": "revisit shares by role", "F5": "complaint revisit sampling", "F10": "unreachable customers",
		"F12": "effective contact rate", "K1": "revisit rate and timeliness", "K2": "QA monitoring of calls",
		"K4": "satisfaction", "K5": "daily, weekly and monthly counts", "P2": "apologise before refusing",
		"P3": "forbidden phrases", "R1": "service hours covered every day", "R4": "swaps with consent and approval",
		"R8": "staff by workload (Erlang C)",
	}
	cited := map[string]bool{"T1": true, "T2": true, "T3": true, "T6": true, "T8": true, "T10": true, "T11": true, "T15": true,
		"T19": true, "F10": true, "K4": true, "K5": true, "P2": true, "P3": true}
	for _, t := range r.Targets {
		cited[t.Rule] = true
	}
	for _, n := range r.Happened {
		if n.Rule != "" {
			cited[n.Rule] = true
		}
	}
	out := []RuleNote{}
	for _, id := range slices.SortedFunc(maps.Keys(cited), ruleOrder) {
		if text[id] != "" {
			out = append(out, RuleNote{Rule: id, Text: text[id]})
		}
	}
	return out
}

// ruleOrder sorts rule IDs by letter in the order of the regulations,
// then by number: T5 before T10.
func ruleOrder(a, b string) int {
	letters := "TFRPKS"
	num := func(s string) int {
		n := 0
		for _, c := range s[1:] {
			if c < '0' || c > '9' {
				break
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	return cmp.Or(cmp.Compare(indexOf(letters, a[0]), indexOf(letters, b[0])), cmp.Compare(num(a), num(b)), cmp.Compare(a, b))
}

func indexOf(s string, c byte) int {
	for i := range len(s) {
		if s[i] == c {
			return i
		}
	}
	return len(s)
}

// followupDays counts, for each day from the first to the end of the
// run, the follow-up windows closing and the tasks ending.
func (s tally) followupDays(tasks []*followup.Task) []FollowupDay {
	due, done := map[string]int{}, map[string]int{}
	for _, t := range tasks {
		if t.Status == followup.Cancelled {
			continue
		}
		due[t.Due.In(s.loc).Format("2006-01-02")]++
		if t.Status.Final() {
			done[t.ClosedAt.In(s.loc).Format("2006-01-02")]++
		}
	}
	out := []FollowupDay{}
	for d := s.cfg.Start; d.Before(s.stop()); d = d.AddDate(0, 0, 1) {
		k := d.Format("2006-01-02")
		out = append(out, FollowupDay{Date: k, Due: due[k], Done: done[k]})
	}
	return out
}
