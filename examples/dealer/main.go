// Command dealer simulates a car dealer's follow-up calls (F9) for three
// months: enquiries get a call within 24 hours, deliveries a call at 7
// days (grading the customer) and at one month, service visits a call 3
// to 5 days after, lost sales a revisit, and renewal, inspection and
// maintenance dates a reminder ahead. Agents claim the due calls three
// times a day; some customers cannot be reached and are tried again.
// It prints every task by due date and a report per month (F10, F11,
// F12, K1, K4). The run is deterministic for a given -seed.
//
//	go run ./examples/dealer -seed 7
//	go run ./examples/dealer -format json -months 1
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

const desk = "dealer-east"

func main() { os.Exit(command(os.Args[1:], os.Stdout, os.Stderr)) }

// command parses the flags (the same names as examples/desk: -seed,
// -format) and runs; it returns the exit status: 0 (also for -h), 1 for
// a failed run, 2 for bad flags, each reported once.
func command(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dealer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same run")
	months := fs.Int("months", 3, "months to simulate (1 to 24)")
	list := fs.Bool("tasks", true, "print every task by due date (text format)")
	format := fs.String("format", "text", "output format: text or json (the monthly reports)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // the flag package printed the message and the usage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "dealer: -format %q: give text or json\n", *format)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealer: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if err := run(stdout, *seed, *months, *list, *format == "json"); err != nil {
		fmt.Fprintln(stderr, "dealer:", err)
		return 1
	}
	return 0
}

// sim is the dealer's world: a clock, the follow-up store, a deriver
// with the dealer preset and a queue.
type sim struct {
	now     time.Time
	rng     *rand.Rand
	deriver *followup.Deriver
	queue   *followup.Queue
	ids     uint64
	cust    int
	future  []followup.Trigger // triggers that happen on a later day
}

var cst = time.FixedZone("CST", 8*3600)

func run(w io.Writer, seed uint64, months int, list, asJSON bool) error {
	if months < 1 || months > 24 {
		return fmt.Errorf("simulate 1 to 24 months, not %d", months)
	}
	ctx := context.Background()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, cst)
	end := followup.AddMonths(start, months)
	s := &sim{now: start, rng: rand.New(rand.NewPCG(seed, 0x4956454b))}
	store := followup.NewMemStore()
	// Calls 09:00–18:00, no calls on Sundays.
	hours := followup.ContactHours{Open: 9 * time.Hour, Close: 18 * time.Hour, Location: cst, ClosedWeekdays: []time.Weekday{time.Sunday}}
	var err error
	s.deriver, err = followup.NewDeriver(store, followup.DeriverConfig{
		Desk: desk, Rules: followup.DealerRules(seed), Calendar: hours, Now: s.clock,
	})
	if err != nil {
		return err
	}
	s.queue, err = followup.NewQueue(store, followup.QueueConfig{
		Desk: desk, Calendar: hours, Now: s.clock, NewID: s.newID, Lease: 30 * time.Minute,
	})
	if err != nil {
		return err
	}
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		if err := s.day(ctx, day); err != nil {
			return err
		}
	}
	if list {
		if err := s.printTasks(ctx, w, start, end); err != nil {
			return err
		}
	}
	for m := start; m.Before(end); m = followup.AddMonths(m, 1) {
		r, err := s.queue.Report(ctx, m, followup.AddMonths(m, 1), followup.ReportOptions{})
		if err != nil {
			return err
		}
		fmt.Fprintln(w)
		if asJSON {
			err = r.JSON(w)
		} else {
			err = r.Text(w)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *sim) clock() time.Time { return s.now }

func (s *sim) newID() uuid.UUID {
	s.ids++
	var id uuid.UUID
	binary.BigEndian.PutUint64(id[8:], s.ids)
	return id
}

// day brings in the day's customers and works the queue at 10:00, 14:00
// and 17:00.
func (s *sim) day(ctx context.Context, day time.Time) error {
	s.now = day.Add(9 * time.Hour)
	// Enquiries: 0 to 3 a day; a third buy and take delivery 3 to 10
	// days later, a sixth are lost sales.
	for range s.rng.IntN(4) {
		s.cust++
		c := fmt.Sprintf("customer:%04d", s.cust)
		at := day.Add(time.Duration(9*60+s.rng.IntN(10*60)) * time.Minute)
		if err := s.trigger(ctx, followup.Enquiry, "enquiry:"+c, c, at); err != nil {
			return err
		}
		switch r := s.rng.IntN(6); {
		case r < 2:
			s.later(followup.VehicleDelivery, "delivery:"+c, c, at.AddDate(0, 0, 3+s.rng.IntN(8)))
		case r == 2:
			s.later(followup.LostSale, "lost:"+c, c, at.AddDate(0, 0, 2+s.rng.IntN(5)))
		}
	}
	// Service visits of existing owners, and their dates ahead.
	for range s.rng.IntN(3) {
		c := fmt.Sprintf("owner:%03d", 1+s.rng.IntN(300))
		at := day.Add(time.Duration(8+s.rng.IntN(9)) * time.Hour)
		key := fmt.Sprintf("service:%s:%s", c, day.Format("20060102"))
		if err := s.trigger(ctx, followup.ServiceVisit, key, c, at); err != nil {
			return err
		}
		next := followup.AddMonths(day, 3).Add(10 * time.Hour) // the next maintenance
		if err := s.trigger(ctx, followup.MaintenanceDate, "maint:"+key, c, next); err != nil {
			return err
		}
	}
	if s.rng.IntN(4) == 0 {
		c := fmt.Sprintf("owner:%03d", 1+s.rng.IntN(300))
		renew := day.AddDate(0, 0, 20+s.rng.IntN(40)).Add(10 * time.Hour)
		kind := []followup.TriggerKind{followup.RenewalDate, followup.InspectionDate}[s.rng.IntN(2)]
		if err := s.trigger(ctx, kind, fmt.Sprintf("%s:%s:%s", kind, c, renew.Format("20060102")), c, renew); err != nil {
			return err
		}
	}
	if err := s.flush(ctx, day.Add(24*time.Hour)); err != nil {
		return err
	}
	for _, h := range []int{10, 14, 17} {
		s.now = day.Add(time.Duration(h) * time.Hour)
		if err := s.work(ctx); err != nil {
			return err
		}
	}
	return nil
}

// later records a trigger that happens on a later day.
func (s *sim) later(kind followup.TriggerKind, key, subject string, at time.Time) {
	s.future = append(s.future, followup.Trigger{Kind: kind, Key: key, Subject: subject, At: at})
}

// flush derives the future triggers that have happened before until.
func (s *sim) flush(ctx context.Context, until time.Time) error {
	kept := s.future[:0]
	for _, tr := range s.future {
		if tr.At.Before(until) {
			if err := s.trigger(ctx, tr.Kind, tr.Key, tr.Subject, tr.At); err != nil {
				return err
			}
			continue
		}
		kept = append(kept, tr)
	}
	s.future = kept
	return nil
}

func (s *sim) trigger(ctx context.Context, kind followup.TriggerKind, key, subject string, at time.Time) error {
	_, err := s.deriver.Derive(ctx, followup.Trigger{Kind: kind, Key: key, Subject: subject, At: at})
	return err
}

// work lets two agents claim and call what is due now.
func (s *sim) work(ctx context.Context) error {
	for _, agent := range []string{"agent-wu", "agent-he"} {
		tasks, err := s.queue.Claim(ctx, agent, "", 6)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if _, err := s.queue.Complete(ctx, t, s.call(agent, t)); err != nil {
				return fmt.Errorf("task %s (%s): %w", t.ID, t.Rule, err)
			}
		}
	}
	return nil
}

// call is what happened on the phone.
func (s *sim) call(agent string, t *followup.Task) followup.Outcome {
	o := followup.Outcome{By: ticket.Actor{ID: agent, Role: ticket.RoleAgent}}
	if s.rng.IntN(100) < 22 {
		o.Result = followup.NotReached
		return o
	}
	o.Result = followup.Reached
	o.Checked = t.Checklist
	o.Satisfaction = 3 + s.rng.IntN(3)
	if t.Grade {
		o.Grade = []string{"A", "B", "B", "C"}[s.rng.IntN(4)] // F9 客户等级评估
	}
	return o
}

func (s *sim) printTasks(ctx context.Context, w io.Writer, from, to time.Time) error {
	ts, err := s.queue.List(ctx, followup.Filter{DueFrom: from, DueBefore: to})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "due\trule\tsubject\tstatus\tattempts\tgrade\n")
	for _, t := range ts {
		grade := ""
		if t.Outcome != nil {
			grade = t.Outcome.Grade
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", t.Due.In(cst).Format("2006-01-02 15:04"), t.Rule, t.Subject, t.Status, t.Attempts, grade)
	}
	return tw.Flush()
}
