package followup

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/ticket"
)

// Month returns the calendar month containing t in loc (nil means UTC):
// [first day 00:00, first day of the next month 00:00).
func Month(t time.Time, loc *time.Location) (from, to time.Time) {
	if loc == nil {
		loc = time.UTC
	}
	y, m, _ := t.In(loc).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, loc), time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
}

// PreviousMonth returns the month before the one containing t: at the
// start of a month, the month whose unreachable list is sent on (F10).
func PreviousMonth(t time.Time, loc *time.Location) (from, to time.Time) {
	from, _ = Month(t, loc)
	return Month(from.AddDate(0, 0, -1), loc)
}

// Unreachable lists the customers whose follow-ups ended unreachable in
// [from, to), oldest first: at the start of a month, pass
// PreviousMonth(now) and send the list on (F10).
func (q *Queue) Unreachable(ctx context.Context, from, to time.Time) ([]UnreachableEntry, error) {
	ts, err := q.store.List(ctx, q.desk, Filter{Statuses: []Status{Unreachable}, ClosedFrom: from, ClosedBefore: to})
	if err != nil {
		return nil, err
	}
	r := BuildReport(q.desk, from, to, nil, ts, ReportOptions{})
	return r.Unreachable, nil
}

// Targets are the thresholds a report judges against. The zero value
// takes the seeds' defaults.
type Targets struct {
	// Contact is the least effective contact rate (F12: 60 %); negative
	// means no target.
	Contact float64
	// Sampling and Quota judge F5 and F3; nil means F5Sampling and
	// F3Quota.
	Sampling *Sampling
	Quota    *Quota
}

// ReportOptions are the facts a report needs from outside the follow-up
// store.
type ReportOptions struct {
	Targets Targets
	// Complaints is the number of complaints closed in the month (from
	// the ticket store). F5 needs it: complaints that were not sampled
	// leave no task. Zero leaves the F5 check out when the month has
	// complaint revisits (it cannot be judged); with none it is met.
	Complaints int
}

// Rate is a count over a base.
type Rate struct {
	Count int     `json:"count"`
	Base  int     `json:"base"`
	Rate  float64 `json:"rate"`
}

func rate(n, base int) Rate { return Rate{Count: n, Base: base, Rate: ratio(n, base)} }

// String writes "count/base rate%", or "-" without a base.
func (r Rate) String() string {
	if r.Base == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d %.1f%%", r.Count, r.Base, 100*r.Rate)
}

// Line is one row of a breakdown: by category or by rule.
type Line struct {
	Key          string  `json:"key"`
	Cites        string  `json:"cites,omitempty"`
	Due          int     `json:"due"`
	Reached      int     `json:"reached"`
	Problems     int     `json:"problems"`
	Unreachable  int     `json:"unreachable"`
	Cancelled    int     `json:"cancelled"`
	Open         int     `json:"open"`
	OnTime       int     `json:"on_time"`
	Scored       int     `json:"scored"`       // outcomes with a satisfaction score (K4)
	Satisfaction float64 `json:"satisfaction"` // mean score of those
}

// UnreachableEntry is one line of the F10 list.
type UnreachableEntry struct {
	Subject  string    `json:"subject"`
	Task     uuid.UUID `json:"task"`
	Rule     string    `json:"rule"`
	Attempts int       `json:"attempts"`
	At       time.Time `json:"at"`
}

// Report is a desk's monthly follow-up statistics (F11, K3): what was
// due in the month, what came of it, how much of it on time, and the
// checks of F3, F5 and F12. Tasks count in the month their window
// closes (Due); the unreachable list and the contact rate count tasks
// that ended in the month.
type Report struct {
	Desk string    `json:"desk"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`

	Due int `json:"due"` // tasks due in the month, cancelled ones excluded
	// Revisit is K1's revisit rate: due tasks whose customer was reached
	// (done or problem found).
	Revisit Rate `json:"revisit_rate"`
	// OnTime: due tasks reached by their due time (K1, F11).
	OnTime Rate `json:"on_time_rate"`
	// ComplaintOnTime: complaint revisits reached on time (K1 投诉反馈及时率).
	ComplaintOnTime Rate `json:"complaint_feedback_on_time"`
	// Contact is the effective contact rate of tasks that ended in the
	// month: reached of reached and unreachable (F12).
	Contact       Rate    `json:"effective_contact_rate"`
	ContactTarget float64 `json:"effective_contact_target"`
	ContactMet    bool    `json:"effective_contact_met"`
	// Satisfaction is the mean score of the month's scored outcomes (K4).
	Satisfaction float64 `json:"satisfaction"`
	Scored       int     `json:"scored"`

	ByCategory  []Line             `json:"by_category"`
	ByRule      []Line             `json:"by_rule"`
	Unreachable []UnreachableEntry `json:"unreachable"` // F10: ended unreachable in the month
	// Unrecorded: revisits that found a problem the ticket did not take
	// (it had closed without waiting): a lead reopens those tickets.
	Unrecorded []uuid.UUID `json:"unrecorded,omitempty"`
	// Waiting: tickets whose revisit ended unreachable. Their revisit
	// stays outstanding (only an outcome clears it): plan another visit.
	Waiting []uuid.UUID `json:"waiting,omitempty"`

	F3 QuotaCheck   `json:"f3"`
	F5 *SampleCheck `json:"f5,omitempty"`
}

// Report computes the desk's report for [from, to) from its tasks.
func (q *Queue) Report(ctx context.Context, from, to time.Time, opts ReportOptions) (Report, error) {
	due, err := q.store.List(ctx, q.desk, Filter{DueFrom: from, DueBefore: to})
	if err != nil {
		return Report{}, err
	}
	ended, err := q.store.List(ctx, q.desk, Filter{ClosedFrom: from, ClosedBefore: to})
	if err != nil {
		return Report{}, err
	}
	return BuildReport(q.desk, from, to, due, ended, opts), nil
}

// DefaultContactTarget is the share of customers an ended follow-up
// must have reached when ReportOptions.Targets.Contact is zero: "not
// below 60 %" (F12, 002 物业管家 10.0).
const DefaultContactTarget = 0.60

// BuildReport computes a report from the tasks due in [from, to) and
// the tasks that ended in it. It is pure: adapters and tests may call it
// on any task lists.
func BuildReport(desk string, from, to time.Time, due, ended []*Task, opts ReportOptions) Report {
	r := Report{Desk: desk, From: from, To: to, ContactTarget: DefaultContactTarget}
	if opts.Targets.Contact != 0 {
		r.ContactTarget = opts.Targets.Contact
	}
	quota := F3Quota(0)
	if opts.Targets.Quota != nil {
		quota = *opts.Targets.Quota
	}
	sampling := F5Sampling(0)
	if opts.Targets.Sampling != nil {
		sampling = *opts.Targets.Sampling
	}
	d := dueTally{cats: map[string]*Line{}, rules: map[string]*Line{}, byRole: map[ticket.Role]int{}}
	for _, t := range due {
		d.add(t)
	}
	for _, t := range due {
		if t.Status == Cancelled {
			line(d.cats, cmp.Or(t.Category, string(t.Trigger)), "").Cancelled++
			line(d.rules, t.Rule, t.Cites).Cancelled++
		}
	}
	r.Due = d.due
	r.Revisit = rate(d.reached, r.Due)
	r.OnTime = rate(d.onTime, r.Due)
	r.ComplaintOnTime = rate(d.complOnTime, d.compl)
	r.F3 = quota.Check(d.repairs, d.byRole)
	switch {
	case opts.Complaints > 0:
		c := sampling.Check(opts.Complaints, d.complaintRevisits, d.onSiteSigned)
		r.F5 = &c
	case d.complaintRevisits == 0:
		c := sampling.Check(0, 0, 0)
		r.F5 = &c
	}
	r.addEnded(ended)
	r.ByCategory = lines(d.cats)
	r.ByRule = lines(d.rules)
	return r
}

// dueTally counts the tasks due in a report's period that were not
// cancelled: revisits and their timeliness, complaints (F5), repairs by
// the role that revisited them (F3), and a line per category and rule.
type dueTally struct {
	due, reached, onTime, compl, complOnTime, repairs int
	complaintRevisits, onSiteSigned                   int
	byRole                                            map[ticket.Role]int
	cats, rules                                       map[string]*Line
}

func (d *dueTally) add(t *Task) {
	if t.Status == Cancelled {
		return
	}
	d.due++
	got := t.Status == Done || t.Status == Problem
	in := got && !t.ClosedAt.After(t.Due)
	if got {
		d.reached++
	}
	if in {
		d.onTime++
	}
	if t.TicketKind == ticket.Complaint {
		d.compl++
		if in {
			d.complOnTime++
		}
		if got && t.Revisit { // F5 is about complaint revisits, not other calls to complainants
			d.complaintRevisits++
			if t.Outcome.Signed() {
				d.onSiteSigned++
			}
		}
	}
	if t.Cites == "F2" {
		d.repairs++
		if got {
			d.byRole[t.Outcome.By.Role]++
		}
	}
	cat := t.Category
	if cat == "" {
		cat = string(t.Trigger)
	}
	for _, l := range []*Line{line(d.cats, cat, ""), line(d.rules, t.Rule, t.Cites)} {
		l.add(t, in)
	}
}

// add counts one due, not cancelled task in the line; in: reached on time.
func (l *Line) add(t *Task, in bool) {
	l.Due++
	if in {
		l.OnTime++
	}
	switch t.Status {
	case Done:
		l.Reached++
	case Problem:
		l.Problems++
	case Unreachable:
		l.Unreachable++
	default:
		l.Open++
	}
	if t.Outcome != nil && t.Status.Final() && t.Outcome.Satisfaction > 0 {
		l.Satisfaction += float64(t.Outcome.Satisfaction)
		l.Scored++
	}
}

// addEnded fills what the report says of the tasks that ended in its
// period: the contact rate against its target (F12), the unreachable
// list (F10), satisfaction, and problems not yet recorded on tickets.
func (r *Report) addEnded(ended []*Task) {
	var contacted, unreachable, scoreSum int
	for _, t := range ended {
		switch t.Status {
		case Done, Problem:
			contacted++
		case Unreachable:
			unreachable++
			if t.Revisit && t.Ticket != uuid.Nil {
				r.Waiting = append(r.Waiting, t.Ticket)
			}
			r.Unreachable = append(r.Unreachable, UnreachableEntry{
				Subject: t.Subject, Task: t.ID, Rule: t.Rule, Attempts: t.Attempts, At: t.ClosedAt,
			})
		}
		if t.Status.Final() && t.Outcome != nil && t.Outcome.Satisfaction > 0 {
			scoreSum += t.Outcome.Satisfaction
			r.Scored++
		}
		if t.Status == Problem && t.Revisit && !t.Synced {
			r.Unrecorded = append(r.Unrecorded, t.Ticket)
		}
	}
	r.Contact = rate(contacted, contacted+unreachable)
	r.ContactMet = r.ContactTarget < 0 || r.Contact.Base == 0 || r.Contact.Rate+1e-12 >= r.ContactTarget
	if r.Scored > 0 {
		r.Satisfaction = float64(scoreSum) / float64(r.Scored)
	}
	slices.SortFunc(r.Unreachable, func(a, b UnreachableEntry) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Subject, b.Subject), compareIDs(a.Task, b.Task))
	})
}

func line(m map[string]*Line, key, cites string) *Line {
	l := m[key]
	if l == nil {
		l = &Line{Key: key, Cites: cites}
		m[key] = l
	}
	return l
}

func lines(m map[string]*Line) []Line {
	out := make([]Line, 0, len(m))
	for _, l := range m {
		if l.Scored > 0 {
			l.Satisfaction /= float64(l.Scored)
		}
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b Line) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// JSON writes the report as indented JSON.
func (r Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// Text writes the report as a plain-text table.
func (r Report) Text(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	p("follow-up report\t%s\t%s .. %s\n", r.Desk, r.From.Format("2006-01-02"), r.To.Format("2006-01-02"))
	p("due\t%d\n", r.Due)
	p("revisit rate (K1)\t%s\n", r.Revisit)
	p("on time (K1, F11)\t%s\n", r.OnTime)
	p("complaint feedback on time (K1)\t%s\n", r.ComplaintOnTime)
	p("effective contact (F12)\t%s\ttarget %.0f%%, met %v\n", r.Contact, 100*r.ContactTarget, r.ContactMet)
	if r.Scored > 0 {
		p("satisfaction (K4)\t%.2f\tfrom %d scores\n", r.Satisfaction, r.Scored)
	}
	p("%s\n", r.F3)
	if r.F5 != nil {
		p("%s\n", r.F5)
	} else {
		p("F5\tnot judged: give the month's complaint count\n")
	}
	for _, part := range []struct {
		title string
		ls    []Line
	}{{"category", r.ByCategory}, {"rule", r.ByRule}} {
		p("\n%s\tdue\treached\tproblem\tunreachable\tcancelled\topen\ton time\tsatisfaction\n", part.title)
		for _, l := range part.ls {
			sat := "-"
			if l.Scored > 0 {
				sat = fmt.Sprintf("%.2f (%d)", l.Satisfaction, l.Scored)
			}
			p("%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", l.Key, l.Due, l.Reached, l.Problems, l.Unreachable, l.Cancelled, l.Open, l.OnTime, sat)
		}
	}
	p("\nunreachable (F10)\t%d\n", len(r.Unreachable))
	for _, u := range r.Unreachable {
		p("  %s\t%s\t%d attempts\t%s\n", u.Subject, u.Rule, u.Attempts, u.At.Format("2006-01-02 15:04"))
	}
	for _, id := range r.Unrecorded {
		p("reopen ticket %s: its revisit found a problem after it closed\n", id)
	}
	for _, id := range r.Waiting {
		p("ticket %s still waits for its revisit: the customer was not reached\n", id)
	}
	return tw.Flush()
}
