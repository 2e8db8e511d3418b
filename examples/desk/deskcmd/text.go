package deskcmd

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/servicedesk-go/desk/examples/desk/sim"
)

// Width is the widest line WriteText prints.
const Width = 80

// unmetMark marks an unmet target in the text; the JSON says "unmet"
// and the page marks the row the same way.
const unmetMark = "NOT MET"

func statusWord(status string) string {
	switch status {
	case sim.Met:
		return "met"
	case sim.Unmet:
		return unmetMark
	case sim.NotApplicable:
		return "n/a"
	}
	return "no data"
}

// WriteText writes the report as text a manager reads at a glance, in
// plain words with the rule IDs in a column and a legend, no line wider
// than Width.
func WriteText(w io.Writer, r *sim.Report) error {
	bw := bufio.NewWriter(w)
	p := &printer{w: bw}
	p.report(r)
	return bw.Flush()
}

type printer struct{ w io.Writer }

func (p *printer) f(format string, args ...any) { fmt.Fprintf(p.w, format, args...) }

func (p *printer) section(title string) {
	p.f("\n%s\n%s\n", title, strings.Repeat("-", len([]rune(title))))
}

func (p *printer) table() *tabwriter.Writer { return tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0) }

func (p *printer) right() *tabwriter.Writer {
	return tabwriter.NewWriter(p.w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

// wrap prints text in lines of at most Width, each indented.
func (p *printer) wrap(indent, text string) {
	line := indent
	for _, word := range strings.Fields(text) {
		if len([]rune(line))+1+len([]rune(word)) > Width && strings.TrimSpace(line) != "" {
			p.f("%s\n", line)
			line = indent + "  "
		}
		if strings.TrimSpace(line) != "" {
			line += " "
		}
		line += word
	}
	if strings.TrimSpace(line) != "" {
		p.f("%s\n", line)
	}
}

func title(kind sim.Kind) string {
	if kind == sim.Dealer {
		return "Dealer service desk"
	}
	if kind == sim.Generic {
		return "General support desk"
	}
	return "Property desk"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func mins(m float64) string { return sim.Duration(time.Duration(m * float64(time.Minute))) }

func (p *printer) report(r *sim.Report) {
	p.f("%s %s, %s to %s\n", title(r.Kind), r.Desk, r.From.Format("Mon 2006-01-02"), r.To.Add(-time.Second).Format("Mon 2006-01-02"))
	p.f("%s, seed %d, %s; work then settles %s without new arrivals\n",
		plural(r.Days, "day", "days"), r.Seed, plural(r.Tickets.Total, "ticket", "tickets"), plural(r.SettleDays, "day", "days"))
	if r.EarlierTickets > 0 {
		p.f("continuing a stored desk: %d of the tickets come from earlier runs\n", r.EarlierTickets)
	}

	p.section("Targets")
	tw := p.table()
	fmt.Fprintln(tw, "rule\tgoal\tresult\tstatus")
	for _, t := range r.Targets {
		res := t.Result.String()
		if t.Status == sim.NotApplicable {
			res = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Rule, t.Name, res, statusWord(t.Status))
	}
	tw.Flush()
	for _, t := range r.Targets {
		if t.Note != "" {
			p.wrap("  ", t.Rule+": "+t.Note)
		}
	}

	p.tickets(r)
	p.times(r)
	p.overdue(r)
	p.agents(r)
	p.followups(r)
	p.phones(r)
	p.speech(r)
	p.counts(r)

	if len(r.Happened) > 0 {
		p.section("Happened")
		for _, n := range r.Happened {
			p.wrap("", fmt.Sprintf("%s  %s %s", n.At.In(r.From.Location()).Format("Mon 01-02 15:04"), n.Rule, n.Text))
		}
	}
	if len(r.Refused) > 0 {
		p.section("Refused actions")
		for _, c := range r.Refused {
			p.f("  %s: %d\n", c.Key, c.Count)
		}
		for _, why := range r.RefusedAt {
			p.wrap("  ", why)
		}
	}
	p.section("Rules cited")
	for _, l := range r.Legend {
		p.f("  %-4s %s\n", l.Rule, l.Text)
	}
}

func (p *printer) tickets(r *sim.Report) {
	t := r.Tickets
	p.section(fmt.Sprintf("Tickets: %d", t.Total))
	tw := p.right()
	fmt.Fprintln(tw, "kind\ttotal\topen\tclosed\tcancelled\t")
	var open, closed, cancelled int
	for _, k := range t.ByKind {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", k.Kind, k.Total, k.Open, k.Closed, k.Cancelled)
		open, closed, cancelled = open+k.Open, closed+k.Closed, cancelled+k.Cancelled
	}
	fmt.Fprintf(tw, "all\t%d\t%d\t%d\t%d\t\n", t.Total, open, closed, cancelled)
	tw.Flush()
	var states []string
	for _, c := range t.ByState {
		if c.Count > 0 && c.Key != "closed" && c.Key != "cancelled" {
			states = append(states, fmt.Sprintf("%s %d", c.Key, c.Count))
		}
	}
	if len(states) > 0 {
		p.wrap("  ", "open at the end, by state: "+strings.Join(states, ", "))
	}
	var ages []string
	for _, c := range r.Backlog {
		ages = append(ages, fmt.Sprintf("%s %d", c.Key, c.Count))
	}
	p.wrap("  ", "open at the end, by age: "+strings.Join(ages, ", "))
	p.f("  reopened after the customer was told: %s\n", r.Reopened)

	p.f("\n")
	tw = p.table()
	fmt.Fprintln(tw, "  how they were handled\ttickets\trule")
	for _, row := range []struct {
		what string
		n    int
		rule string
	}{
		{"arrived with nobody on duty, taken later", t.Unattended, "T19"},
		{"recorded incomplete, completed later", t.Incomplete, "T2"},
		{"rejected by the customer at least once", t.Rejected, "T8"},
		{"escalated to the shift lead", t.Escalated, "T6"},
		{"out of scope, ended politely", t.OutOfScope, "T11"},
		{"handed over before leave", t.HandedOver, "T15"},
	} {
		fmt.Fprintf(tw, "  %s\t%7d\t%s\n", row.what, row.n, row.rule)
	}
	tw.Flush()
}

func (p *printer) times(r *sim.Report) {
	p.section("Time from arrival (wall clock)")
	tw := p.right()
	fmt.Fprintln(tw, "to\ttickets\tmedian\t90 % within\t")
	for _, t := range r.Times {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", t.Step, t.Tickets, mins(t.MedianMinutes), mins(t.P90Minutes))
	}
	tw.Flush()
	p.f("\n")
	tw = p.table()
	fmt.Fprintln(tw, "  deadline\trule\tmissed\tdone late\tstill open")
	for _, b := range r.Breaches {
		fmt.Fprintf(tw, "  %s\t%s\t%6d\t%9d\t%10d\n", b.Name, b.Rule, b.Late, b.MetLate, b.StillOpen)
	}
	tw.Flush()
}

func (p *printer) overdue(r *sim.Report) {
	p.section(fmt.Sprintf("Overdue at the end: %s (T10)", plural(len(r.Overdue), "ticket", "tickets")))
	if len(r.Overdue) == 0 {
		return
	}
	tw := p.table()
	fmt.Fprintln(tw, "case\tkind\tstate\towner\tassignee\trules\tlate by")
	for i, o := range r.Overdue {
		if i == 12 {
			fmt.Fprintf(tw, "... and %d more (all in the JSON and the page)\n", len(r.Overdue)-12)
			break
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", o.Case, o.Kind, o.State, dash(o.Owner), dash(o.Assignee),
			strings.Join(o.Rules, " "), mins(o.LateMinutes))
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (p *printer) agents(r *sim.Report) {
	p.section("Workload by person")
	tw := p.right()
	fmt.Fprintln(tw, "person\treceived\tresolved at once\topen at end\tcalls\tfollow-ups\t")
	for _, a := range r.Agents {
		fcr := "-"
		if a.Received > 0 {
			fcr = fmt.Sprintf("%d (%s)", a.FirstContact.Count, sim.Percent(a.FirstContact.Rate))
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\t\n", a.Agent, a.Received, fcr, a.OpenAtEnd, a.Calls, a.FollowupsDone)
	}
	tw.Flush()
	p.wrap("  ", "received: tickets first owned (T1, T19); resolved at once: during that first contact (T3)")
}

func (p *printer) followups(r *sim.Report) {
	f := r.Followups
	p.section(fmt.Sprintf("Follow-ups: %d (K1, K4)", f.Total))
	var st []string
	for _, c := range f.ByStatus {
		st = append(st, fmt.Sprintf("%s %d", strings.ReplaceAll(c.Key, "_", " "), c.Count))
	}
	p.wrap("  ", "by status: "+strings.Join(st, ", "))
	var at []string
	n := 0
	for _, c := range f.Attempts {
		at = append(at, fmt.Sprintf("%s %d", strings.ReplaceAll(c.Key, "_", " "), c.Count))
		n += c.Count
	}
	p.wrap("  ", fmt.Sprintf("calls and visits made: %d (%s); a customer not reached is tried again (F10)", n, strings.Join(at, ", ")))
	tw := p.table()
	fmt.Fprintf(tw, "  due by the end of the run\t%d\n", f.Due)
	fmt.Fprintf(tw, "  customer reached\t%s\n", f.Reached)
	fmt.Fprintf(tw, "  made within their window\t%s\n", f.OnTime)
	fmt.Fprintf(tw, "  complaint follow-ups within their window\t%s\n", f.ComplaintOnTime)
	fmt.Fprintf(tw, "  reached of those that ended (F12)\t%s\n", f.Contact)
	fmt.Fprintf(tw, "  satisfaction (K4)\t%.2f of 5 from %d answers\n", f.Satisfaction, f.Scored)
	tw.Flush()
	p.f("\n")
	tw = p.right()
	fmt.Fprintln(tw, "category\ttotal\treached\tproblem\tunreach.\toverdue\twaiting\tcancel.\t")
	for _, l := range f.ByCategory {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", l.Key, l.Total, l.Reached, l.Problems, l.Unreachable, l.Overdue, l.Waiting, l.Cancelled)
	}
	tw.Flush()
	for _, u := range f.Unreachable {
		who := u.Subject
		if u.Case > 0 {
			who = fmt.Sprintf("case %d", u.Case)
		}
		p.wrap("  ", fmt.Sprintf("not reachable (F10): %s, %s, %d attempts, gave up %s", who, u.Rule, u.Attempts, u.At.In(r.From.Location()).Format("01-02 15:04")))
	}
}

func (p *printer) phones(r *sim.Report) {
	c := r.Coverage
	p.section("Phones and staffing by hour (R1, R8)")
	p.f("  service hours without anybody on duty: %s in %s\n",
		sim.Duration(time.Duration(c.UncoveredMinutes)*time.Minute), plural(len(c.Gaps), "gap", "gaps"))
	p.f("  roster slots nobody fills: %d\n", c.UnfilledSlots)
	for i, g := range c.Gaps {
		if i == 4 {
			p.f("  ... and %d more\n", len(c.Gaps)-4)
			break
		}
		p.f("  %s %s-%s\n", g.Date, g.From, g.To)
	}
	target := 0.0
	tw := p.right()
	fmt.Fprintln(tw, "hour\tcalls\tper day\tin target\tlevel\tErlang C\tneed\tstaffed\t \t")
	for _, h := range r.Hours {
		target = h.Target
		if h.Calls == 0 && h.Staffed == 0 {
			continue
		}
		mark := ""
		switch {
		case !h.InService:
			mark = "closed"
		case h.Calls > 0 && float64(h.InTarget) < h.Target*float64(h.Calls)-1e-9:
			mark = "below"
		}
		level := "-"
		if h.Calls > 0 {
			level = sim.Percent(h.Achieved)
		}
		fmt.Fprintf(tw, "%02d:00\t%d\t%.2f\t%d\t%s\t%s\t%d\t%d\t%s\t\n", h.Hour, h.Calls, h.CallsPerHour, h.InTarget, level, sim.Percent(h.Predicted), h.Need, h.Staffed, mark)
	}
	tw.Flush()
	p.wrap("  ", fmt.Sprintf("level: phone calls answered within the target time (target %s); Erlang C: what the agents staffed would reach; need: agents Erlang C asks for; closed: outside service hours (R1), calls go to the web form", sim.Percent(target)))
}

func (p *printer) speech(r *sim.Report) {
	s := r.Speech
	total := 0
	var faults []string
	for _, c := range s.Findings {
		total += c.Count
		faults = append(faults, fmt.Sprintf("%s %d", strings.ReplaceAll(c.Key, "_", " "), c.Count))
	}
	p.section("What agents said (P2, P3) and QA reviews (K2)")
	p.wrap("  ", fmt.Sprintf("%d calls linted, %d findings: %s", s.Calls, total, strings.Join(faults, ", ")))
	tw := p.right()
	fmt.Fprintln(tw, "person\tcalls\tfindings\treviews\tfound in them\tdone late\tscore\t \t")
	for _, a := range s.Agents {
		score, below := "-", ""
		if a.Reviews > 0 {
			score = fmt.Sprintf("%.2f", a.Score)
		}
		if a.BelowMinimum {
			below = "too few"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", a.Agent, a.Calls, a.Findings, a.Reviews, a.ReviewedFindings, a.LateSteps, score, below)
	}
	tw.Flush()
	p.wrap("  ", fmt.Sprintf("score: mean of the five K2 aspects, 1 to 5, from what the reviewed calls said and whether what they promised was done in time; rostered agents need %d reviews a month", s.Minimum))
}

func (p *printer) counts(r *sim.Report) {
	p.section("Arrivals by day and week (K5)")
	kinds := []string{}
	for _, k := range r.Tickets.ByKind {
		kinds = append(kinds, k.Kind)
	}
	tw := p.right()
	fmt.Fprintf(tw, "period\ttotal\t%s\t\n", strings.Join(kinds, "\t"))
	for _, d := range append(append([]sim.Period{}, r.Daily...), r.Weekly...) {
		by := map[string]int{}
		for _, c := range d.ByKind {
			by[c.Key] = c.Count
		}
		fmt.Fprintf(tw, "%s\t%d", d.Period[:min(len(d.Period), 10)], d.Total)
		for _, k := range kinds {
			fmt.Fprintf(tw, "\t%d", by[k])
		}
		fmt.Fprint(tw, "\t\n")
	}
	tw.Flush()
	p.section("Monthly quality summary (K5)")
	for _, m := range r.Monthly {
		p.f("  %s: %d tickets\n", m.Month, m.Tickets)
		p.f("    dispatched in time %s; told in time %s\n", m.Dispatch, m.Answers)
		p.f("    follow-ups reached %s; satisfaction %.2f\n", m.Reached, m.Satisfaction)
		p.f("    %d lint findings, %d QA reviews\n", m.Findings, m.Reviews)
	}
}
