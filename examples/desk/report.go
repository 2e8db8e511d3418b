package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// Report is what the simulation shows a desk manager.
type Report struct {
	Desk      string
	From, To  time.Time
	ByKind    map[ticket.Kind]map[ticket.State]int
	Total     int
	Dispatch  Rate // T5: dispatched within the limit, of those that needed dispatch
	Answers   Rate // T7a: answered within 48 h of the solution
	Replies   Rate // T7b: agreed reply times kept
	Rework    Rate // T13: written rework notices within 24 h
	Revisits  Rate // passed, of revisits done
	Rejected  int  // T8
	Escalated int  // T6
	Unowned   int  // T19: arrived with nobody receiving them
	Incomplet int  // T2: recorded with missing fields
	Cancelled int  // T11
	Overdue   []ticket.Overdue
	Refused   map[string]int
}

// Rate is a count of successes out of a total.
type Rate struct{ OK, Of int }

func (r Rate) String() string {
	if r.Of == 0 {
		return "–"
	}
	return fmt.Sprintf("%d/%d (%.1f%%)", r.OK, r.Of, 100*float64(r.OK)/float64(r.Of))
}

// Report gathers the figures from the service's own records.
func (s *Sim) Report(ctx context.Context) (*Report, error) {
	r := &Report{Desk: s.svc.Desk(), From: s.cfg.Start, To: s.end, ByKind: map[ticket.Kind]map[ticket.State]int{}, Refused: s.refused}
	all, err := s.svc.List(ctx, ticket.Filter{})
	if err != nil {
		return nil, err
	}
	for _, tk := range all {
		r.Total++
		if r.ByKind[tk.Kind] == nil {
			r.ByKind[tk.Kind] = map[ticket.State]int{}
		}
		r.ByKind[tk.Kind][tk.State]++
		if tk.Escalation.Level > 0 {
			r.Escalated++
		}
		if tk.Rejections > 0 {
			r.Rejected++
		}
		if tk.State == ticket.Cancelled {
			r.Cancelled++
		}
		h, err := s.svc.History(ctx, tk.ID)
		if err != nil {
			return nil, err
		}
		if h[0].Data["owner"] == "" {
			r.Unowned++
		}
		if h[0].Data["missing"] != "" {
			r.Incomplet++
		}
		s.rates(r, tk, h)
	}
	if r.Overdue, err = s.svc.Overdue(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

func (s *Sim) rates(r *Report, tk *ticket.Ticket, h []ticket.Event) {
	dispatched := false
	for _, e := range h {
		switch e.Action {
		case ticket.ActDispatch:
			dispatched = true
		case ticket.ActRevisitPass:
			r.Revisits.OK++
			r.Revisits.Of++
		case ticket.ActRevisitFail:
			r.Revisits.Of++
		}
	}
	for _, d := range tk.Deadlines {
		var rate *Rate
		switch d.Name {
		case ticket.DeadlineDispatch:
			// Needed dispatch: dispatched, or still waiting for it.
			if !dispatched && !d.Open() {
				continue
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
			continue // still running, not late yet: not counted
		}
		rate.Of++
		if !d.Late(s.now) {
			rate.OK++
		}
	}
}

// Print writes the report as aligned text.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "Desk %s, %s to %s (%d days), %d tickets\n\n", r.Desk,
		r.From.Format("Mon 2006-01-02"), r.To.Add(-time.Second).Format("Mon 2006-01-02"),
		int(r.To.Sub(r.From).Hours()/24), r.Total)

	states := ticket.States()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "kind\t")
	for _, st := range states {
		fmt.Fprintf(tw, "%s\t", st)
	}
	fmt.Fprintln(tw, "total\t")
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(tw, "%s\t", k)
		sum := 0
		for _, st := range states {
			n := r.ByKind[ticket.Kind(k)][st]
			sum += n
			fmt.Fprintf(tw, "%d\t", n)
		}
		fmt.Fprintf(tw, "%d\t\n", sum)
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "T5  dispatched within 3 min (of tickets that needed dispatch;\n    after-hours arrivals counted from the 09:00 opening)\t%s\n", r.Dispatch)
	fmt.Fprintf(tw, "T7a answered within 48 h of the solution\t%s\n", r.Answers)
	fmt.Fprintf(tw, "T7b agreed reply times kept\t%s\n", r.Replies)
	fmt.Fprintf(tw, "T13 written rework notice within 24 h\t%s\n", r.Rework)
	fmt.Fprintf(tw, "    revisits passed\t%s\n", r.Revisits)
	fmt.Fprintf(tw, "T2  recorded incomplete, completed later\t%d\n", r.Incomplet)
	fmt.Fprintf(tw, "T19 arrived unattended, taken by the first agent\t%d\n", r.Unowned)
	fmt.Fprintf(tw, "T8  rejected by the customer at least once\t%d\n", r.Rejected)
	fmt.Fprintf(tw, "T6  escalated\t%d\n", r.Escalated)
	fmt.Fprintf(tw, "T11 out of scope, ended politely\t%d\n", r.Cancelled)
	tw.Flush()

	fmt.Fprintf(w, "\nOverdue at the end (T10): %d\n", len(r.Overdue))
	byRule := map[string]int{}
	for _, o := range r.Overdue {
		byRule[o.Rule+" "+string(o.Deadline)]++
	}
	keys := make([]string, 0, len(byRule))
	for k := range byRule {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-20s %d\n", k, byRule[k])
	}
	for i, o := range r.Overdue {
		if i == 10 {
			fmt.Fprintf(w, "  ... and %d more\n", len(r.Overdue)-10)
			break
		}
		fmt.Fprintf(w, "  case %-5d %-10s %-10s %-14s overdue by %s\n", o.Ticket.Number, o.Ticket.Kind, o.Ticket.State, o.Deadline, o.By.Round(time.Minute))
	}
	if len(r.Refused) > 0 {
		fmt.Fprintf(w, "\nRefused actions: %s\n", formatCounts(r.Refused))
	}
}

func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
