package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// Print writes the report as text a manager reads at a glance.
func (r *Report) Print(w io.Writer) {
	days := fmt.Sprintf("%d days", r.Days)
	if r.Days == 1 {
		days = "1 day"
	}
	fmt.Fprintf(w, "%s desk %s, %s to %s (%s, seed %d): %d tickets\n", strings.ToUpper(r.Kind[:1])+r.Kind[1:], r.Desk,
		r.From.Format("Mon 2006-01-02"), r.To.Add(-time.Second).Format("Mon 2006-01-02"), days, r.Seed, r.Total)
	fmt.Fprintln(w, "(work in progress then settles two more days without new arrivals)")
	if r.Earlier > 0 {
		fmt.Fprintf(w, "(continuing a stored desk: %d of the tickets come from earlier runs)\n", r.Earlier)
	}

	section(w, "Tickets by kind and state")
	states := ticket.States()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "kind\t")
	for _, st := range states {
		fmt.Fprintf(tw, "%s\t", st)
	}
	fmt.Fprintln(tw, "total\t")
	for _, row := range r.ByKind {
		fmt.Fprintf(tw, "%s\t", row.Kind)
		for _, st := range states {
			fmt.Fprintf(tw, "%d\t", row.States[st])
		}
		fmt.Fprintf(tw, "%d\t\n", row.Total)
	}
	tw.Flush()

	section(w, "Deadlines and handling")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "T5  dispatched within 3 min\t%s\n", r.Dispatch)
	fmt.Fprintf(tw, "T7a answered within 48 h of the solution\t%s\n", r.Answers)
	fmt.Fprintf(tw, "T7b agreed reply times kept\t%s\n", r.Replies)
	fmt.Fprintf(tw, "T13 written rework notice within 24 h\t%s\n", r.Rework)
	fmt.Fprintf(tw, "T2  recorded incomplete, completed later\t%d\n", r.Incomplete)
	fmt.Fprintf(tw, "T19 arrived unattended, taken by the first agent on duty\t%d\n", r.Unowned)
	fmt.Fprintf(tw, "T8  rejected by the customer at least once\t%d\n", r.Rejected)
	fmt.Fprintf(tw, "T6  escalated\t%d\n", r.Escalated)
	fmt.Fprintf(tw, "T11 out of scope, ended politely\t%d\n", r.Cancelled)
	fmt.Fprintf(tw, "T15 handed over before leave\t%d\n", r.HandedOver)
	tw.Flush()
	fmt.Fprintln(w, "(T5 counts the tickets that needed dispatch; arrivals outside service hours count from the next opening)")

	section(w, fmt.Sprintf("Overdue and stagnating at the end (T10): %d", len(r.Overdue)))
	for _, k := range sortedKeys(r.OverdueByRule) {
		fmt.Fprintf(w, "  %-20s %d\n", k, r.OverdueByRule[k])
	}
	for i, o := range r.Overdue {
		if i == 8 {
			fmt.Fprintf(w, "  ... and %d more\n", len(r.Overdue)-8)
			break
		}
		fmt.Fprintf(w, "  case %-5d %-10s %-10s %-14s overdue by %s\n", o.Case, o.Kind, o.State, o.Deadline, o.By)
	}

	section(w, "Follow-ups (F rules, K1, K3, K4)")
	f := r.Followups
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "K1  revisit rate (customer reached)\t%s\n", f.Revisit)
	fmt.Fprintf(tw, "K1  on time\t%s\n", f.OnTime)
	fmt.Fprintf(tw, "K1  complaint feedback on time\t%s\n", f.ComplaintOnTime)
	fmt.Fprintf(tw, "F12 effective contact rate\t%s (target %.0f%%, met: %v)\n", f.Contact, 100*f.ContactTarget, f.ContactMet)
	fmt.Fprintf(tw, "K4  satisfaction\t%.2f of 5 (%d scored)\n", f.Satisfaction, f.Scored)
	fmt.Fprintf(tw, "F3  role quota\t%s\n", quotaLine(r))
	if f.F5 != nil {
		fmt.Fprintf(tw, "F5  complaint sampling\t%s\n", f.F5)
	}
	fmt.Fprintf(tw, "    outcomes\t%s\n", counts(r.Outcomes))
	fmt.Fprintf(tw, "F10 unreachable customers\t%d\n", len(f.Unreachable))
	tw.Flush()
	if len(f.ByCategory) > 0 {
		fmt.Fprintln(w, "  revisit rate, on-time rate and satisfaction by category (K1, K4):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "    category\tdue\treached\ton time\tproblems\tunreachable\tsatisfaction\t")
		for _, l := range f.ByCategory {
			fmt.Fprintf(tw, "    %s\t%d\t%d\t%d\t%d\t%d\t%.2f\t\n", l.Key, l.Due, l.Reached, l.OnTime, l.Problems, l.Unreachable, l.Satisfaction)
		}
		tw.Flush()
	}
	for _, u := range f.Unreachable {
		fmt.Fprintf(w, "  F10 unreachable: %s (%s, %d attempts, %s)\n", u.Subject, u.Rule, u.Attempts, u.At.Format("01-02 15:04"))
	}

	section(w, "Roster (R1, R3, R8)")
	fmt.Fprintf(w, "  uncovered service time: %s over %d days, %d gaps; unfilled roster slots: %d\n",
		time.Duration(r.UncoveredMin)*time.Minute, r.Days, len(r.Coverage), r.Unfilled)
	for i, g := range r.Coverage {
		if i == 5 {
			fmt.Fprintf(w, "  ... and %d more\n", len(r.Coverage)-5)
			break
		}
		fmt.Fprintf(w, "  gap %s\n", g)
	}
	fmt.Fprintln(w, "  staffing by hour (Erlang C, 6-min calls, 80% in 20 s): hour calls/h need staffed")
	for _, h := range r.Staffing {
		if h.Calls == 0 && h.Staffed == 0 {
			continue
		}
		mark := ""
		if h.Short > 0 {
			mark = "  short"
		}
		fmt.Fprintf(w, "    %02d:00  %5.2f  %d  %d%s\n", h.Hour, h.Calls, h.Need, h.Staffed, mark)
	}

	section(w, "What agents said (P2, P3) and QA reviews (K2)")
	fmt.Fprintf(w, "  %d calls linted; findings: %s\n", r.LintLines, counts(r.LintFindings))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  agent\tmonth\treviews\taverage\tfindings\tbelow minimum")
	for _, q := range r.QA {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%.2f\t%d\t%v\n", q.Agent, q.Month, q.Reviews, q.Average, q.Findings, q.Below)
	}
	tw.Flush()

	section(w, "Arrivals by day and week (K5)")
	for _, d := range append(append([]DayRow{}, r.Daily...), r.Weekly...) {
		fmt.Fprintf(w, "  %-15s %4d  %s\n", d.Period, d.Total, counts(d.ByKind))
	}
	section(w, "Monthly quality summary (K5)")
	for _, m := range r.Monthly {
		fmt.Fprintf(w, "  %s: %d tickets, T5 %s, T7a %s, revisits %s, satisfaction %.2f, %d lint findings, %d reviews\n",
			m.Month, m.Tickets, m.Dispatch, m.Answers, m.RevisitRate, m.Satisfaction, m.LintFindings, m.Reviews)
	}
	if len(r.Happened) > 0 {
		section(w, "Happened")
		for _, h := range r.Happened {
			fmt.Fprintf(w, "  %s\n", h)
		}
	}
	if len(r.Refused) > 0 {
		fmt.Fprintf(w, "\nRefused actions: %s\n", counts(r.Refused))
		for _, why := range r.RefusedWhy {
			fmt.Fprintf(w, "  %s\n", why)
		}
	}
}

func quotaLine(r *Report) string { return r.Followups.F3.String() }

func section(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("-", len([]rune(title))))
}

func counts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
