package followup_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// dealer is a dealer desk without tickets: triggers come from the sales
// system.
type dealer struct {
	clock   *clock
	store   *followup.MemStore
	deriver *followup.Deriver
	queue   *followup.Queue
}

func newDealer(t testing.TB, cfg followup.QueueConfig) *dealer {
	t.Helper()
	c := newClock(monday)
	g := &ids{}
	store := followup.NewMemStore()
	d, err := followup.NewDeriver(store, followup.DeriverConfig{Desk: "dealer", Rules: followup.DealerRules(1), Calendar: hours, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Desk, cfg.Calendar, cfg.Now, cfg.NewID = "dealer", hours, c.Now, g.New
	q, err := followup.NewQueue(store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &dealer{clock: c, store: store, deriver: d, queue: q}
}

func (d *dealer) derive(t testing.TB, kind followup.TriggerKind, key string, at time.Time) []*followup.Task {
	t.Helper()
	ts, err := d.deriver.Derive(context.Background(), followup.Trigger{Kind: kind, Key: key, Subject: "cust:" + key, At: at})
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

var sales = ticket.Actor{ID: "sun", Role: ticket.RoleAgent}

func TestOutcomeChecks(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t, "d1", followup.PropertyRules(1))
	tk := d.repair(t, followup.Leak)
	d.answerAndAccept(t, tk.ID)
	d.drain(t)
	task := onlyTask(t, d.queue, "F2.leak")
	c := claimTask(t, d.queue, "zhao", task.ID)
	full := revisitDone(lead)
	cases := map[string]func(o *followup.Outcome){
		"F4_checklist_incomplete":  func(o *followup.Outcome) { o.Checked = o.Checked[:3] },
		"F4_signature_missing":     func(o *followup.Outcome) { o.SignedBy = "" },
		"F4_inspection_not_phone":  func(o *followup.Outcome) { o.Channel = followup.Phone },
		"K4_score_above_the_scale": func(o *followup.Outcome) { o.Satisfaction = 6 },
		"K4_negative_score":        func(o *followup.Outcome) { o.Satisfaction = -1 },
		"T13_problem_without_note": func(o *followup.Outcome) { o.Result = followup.ProblemFound },
		"withdrawn_without_note":   func(o *followup.Outcome) { o.Result = followup.Withdrawn },
		"unknown_result":           func(o *followup.Outcome) { o.Result = "maybe" },
		"nobody_did_it":            func(o *followup.Outcome) { o.By = ticket.Actor{} },
		"unknown_channel":          func(o *followup.Outcome) { o.Channel = "letter" },
	}
	for name, mut := range cases {
		t.Run(name, func(t *testing.T) {
			o := full
			o.Checked = append([]followup.CheckItem(nil), full.Checked...)
			mut(&o)
			if _, err := d.queue.Complete(ctx, c, o); !errors.Is(err, followup.ErrInvalid) {
				t.Fatalf("Complete: %v, want ErrInvalid", err)
			}
			got, _ := d.queue.Get(ctx, task.ID)
			if got.Status != followup.Claimed || got.Outcome != nil || got.Attempts != 0 {
				t.Errorf("a refused outcome changed the task: %s attempts %d", got.Status, got.Attempts)
			}
		})
	}
	tkNow, _ := d.tickets.Get(ctx, tk.ID)
	if tkNow.State != ticket.Revisit {
		t.Fatalf("refused outcomes changed the ticket: %s", tkNow.State)
	}
	if _, err := d.queue.Complete(ctx, c, full); err != nil {
		t.Fatalf("the full outcome after refusals: %v", err)
	}
	t.Run("F9_seven_day_call_needs_the_grade", func(t *testing.T) {
		dl := newDealer(t, followup.QueueConfig{})
		dl.derive(t, followup.VehicleDelivery, "VIN1", monday)
		dl.clock.Advance(7 * 24 * time.Hour)
		ts, _ := dl.queue.Claim(ctx, "sun", "", 5)
		if len(ts) != 1 || ts[0].Rule != "F9.delivery_7d" {
			t.Fatalf("claimed %d tasks at day 7", len(ts))
		}
		o := followup.Outcome{Result: followup.Reached, By: sales, Checked: ts[0].Checklist, Satisfaction: 4}
		if _, err := dl.queue.Complete(ctx, ts[0], o); !errors.Is(err, followup.ErrInvalid) {
			t.Fatalf("7-day call without a grade: %v, want ErrInvalid", err)
		}
		o.Grade = "A"
		done, err := dl.queue.Complete(ctx, ts[0], o)
		if err != nil || done.Outcome.Grade != "A" {
			t.Fatalf("graded call: %v", err)
		}
	})
	t.Run("K4_scale_is_configurable", func(t *testing.T) {
		dl := newDealer(t, followup.QueueConfig{Scale: 10})
		dl.derive(t, followup.Enquiry, "E1", monday)
		ts, _ := dl.queue.Claim(ctx, "sun", "", 1)
		if _, err := dl.queue.Complete(ctx, ts[0], followup.Outcome{Result: followup.Reached, By: sales, Satisfaction: 9}); err != nil {
			t.Fatalf("score 9 of 10: %v", err)
		}
	})
}

func TestRetry(t *testing.T) {
	ctx := context.Background()
	t.Run("F10_unreachable_after_the_attempts", func(t *testing.T) {
		d := newDealer(t, followup.QueueConfig{})
		start := time.Date(2026, 3, 30, 17, 0, 0, 0, shanghai)
		d.clock.Set(start)
		task := d.derive(t, followup.Enquiry, "E7", start)[0]
		if task.MaxAttempts != 3 {
			t.Fatalf("enquiry attempts %d, want 3", task.MaxAttempts)
		}
		// 17:00 + 4 h is 21:00, after hours: the next morning; then 4 h on.
		want := []time.Time{
			time.Date(2026, 3, 31, 9, 0, 0, 0, shanghai),
			time.Date(2026, 3, 31, 13, 0, 0, 0, shanghai),
		}
		var last *followup.Task
		for i := range 3 {
			ts, err := d.queue.Claim(ctx, "sun", "", 1)
			if err != nil || len(ts) != 1 {
				t.Fatalf("attempt %d: claimed %d: %v", i+1, len(ts), err)
			}
			last, err = d.queue.Complete(ctx, ts[0], followup.Outcome{Result: followup.NotReached, By: sales})
			if err != nil {
				t.Fatal(err)
			}
			if i < 2 {
				if last.Status != followup.Pending || last.Attempts != i+1 {
					t.Fatalf("after attempt %d: %s attempts %d", i+1, last.Status, last.Attempts)
				}
				if !last.NotBefore.Equal(want[i]) {
					t.Errorf("retry %d placed at %s, want %s", i+1, last.NotBefore, want[i])
				}
				d.clock.Set(last.NotBefore)
			}
		}
		if last.Status != followup.Unreachable || last.Attempts != 3 {
			t.Fatalf("after three attempts: %s attempts %d", last.Status, last.Attempts)
		}
		// F10: at the start of April, March's list holds the customer.
		from, to := followup.PreviousMonth(time.Date(2026, 4, 1, 9, 0, 0, 0, shanghai), shanghai)
		r, err := d.queue.Report(ctx, from, to, followup.ReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Unreachable) != 1 || r.Unreachable[0].Subject != "cust:E7" || r.Unreachable[0].Attempts != 3 {
			t.Errorf("March unreachable list %+v", r.Unreachable)
		}
		list, err := d.queue.Unreachable(ctx, from, to)
		if err != nil || len(list) != 1 || list[0].Subject != "cust:E7" {
			t.Errorf("Unreachable(March) = %+v, %v", list, err)
		}
		if list, _ := d.queue.Unreachable(ctx, to, to.AddDate(0, 1, 0)); len(list) != 0 {
			t.Errorf("April's list holds %+v", list)
		}
		if !from.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai)) || !to.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, shanghai)) {
			t.Errorf("PreviousMonth = %s .. %s", from, to)
		}
	})
}

func TestLease(t *testing.T) {
	ctx := context.Background()
	t.Run("completed_once", func(t *testing.T) {
		d := newDealer(t, followup.QueueConfig{})
		d.derive(t, followup.Enquiry, "E1", monday)
		ts, _ := d.queue.Claim(ctx, "sun", "", 1)
		o := followup.Outcome{Result: followup.Reached, By: sales, Note: "first"}
		if _, err := d.queue.Complete(ctx, ts[0], o); err != nil {
			t.Fatal(err)
		}
		o.Note = "second"
		if _, err := d.queue.Complete(ctx, ts[0], o); !errors.Is(err, followup.ErrLeaseLost) {
			t.Fatalf("second completion: %v, want ErrLeaseLost", err)
		}
		got, _ := d.queue.Get(ctx, ts[0].ID)
		if got.Outcome.Note != "first" {
			t.Errorf("outcome after a refused second completion: %q", got.Outcome.Note)
		}
	})
	t.Run("expired_lease_returns_the_task", func(t *testing.T) {
		d := newDealer(t, followup.QueueConfig{Lease: 15 * time.Minute})
		d.derive(t, followup.Enquiry, "E1", monday)
		dead, _ := d.queue.Claim(ctx, "worker-that-dies", "", 1)
		d.clock.Advance(14 * time.Minute)
		if ts, _ := d.queue.Claim(ctx, "other", "", 1); len(ts) != 0 {
			t.Fatal("a live lease was taken")
		}
		d.clock.Advance(time.Minute)
		live, _ := d.queue.Claim(ctx, "other", "", 1)
		if len(live) != 1 || live[0].ID != dead[0].ID {
			t.Fatalf("expired task not returned: %d", len(live))
		}
		if _, err := d.queue.Complete(ctx, dead[0], followup.Outcome{Result: followup.Reached, By: sales}); !errors.Is(err, followup.ErrLeaseLost) {
			t.Fatalf("completing with the expired lease: %v, want ErrLeaseLost", err)
		}
		if _, err := d.queue.Complete(ctx, live[0], followup.Outcome{Result: followup.Reached, By: sales}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("same_worker_stale_token_names_the_token", func(t *testing.T) {
		d := newDealer(t, followup.QueueConfig{Lease: 15 * time.Minute})
		d.derive(t, followup.Enquiry, "E1", monday)
		old, _ := d.queue.Claim(ctx, "sun", "", 1)
		d.clock.Advance(15 * time.Minute)
		again, _ := d.queue.Claim(ctx, "sun", "", 1)
		if len(old) != 1 || len(again) != 1 {
			t.Fatalf("claims %d, %d", len(old), len(again))
		}
		_, err := d.queue.Complete(ctx, old[0], followup.Outcome{Result: followup.Reached, By: sales})
		if !errors.Is(err, followup.ErrLeaseLost) {
			t.Fatalf("completing with the old claim's token: %v, want ErrLeaseLost", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "token") || strings.Contains(msg, "leased to sun, not sun") {
			t.Fatalf("message %q does not name the token mismatch", msg)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		d := newDealer(t, followup.QueueConfig{})
		task := d.derive(t, followup.Enquiry, "E1", monday)[0]
		ts, _ := d.queue.Claim(ctx, "sun", "", 1)
		if _, err := d.queue.Cancel(ctx, task.ID, sales, ""); !errors.Is(err, followup.ErrInvalid) {
			t.Errorf("cancel without a reason: %v", err)
		}
		if _, err := d.queue.Cancel(ctx, task.ID, sales, "customer bought elsewhere"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.queue.Complete(ctx, ts[0], followup.Outcome{Result: followup.Reached, By: sales}); !errors.Is(err, followup.ErrLeaseLost) {
			t.Errorf("completing a cancelled task: %v, want ErrLeaseLost", err)
		}
		if _, err := d.queue.Cancel(ctx, task.ID, sales, "again"); !errors.Is(err, followup.ErrConflict) {
			t.Errorf("cancelling twice: %v, want ErrConflict", err)
		}
		if _, err := d.queue.Cancel(ctx, uuid.New(), sales, "x"); !errors.Is(err, followup.ErrNotFound) {
			t.Errorf("cancelling an unknown task: %v, want ErrNotFound", err)
		}
	})
}

// TestWorkersRace: many workers share a queue; every task is claimed and
// completed exactly once.
func TestWorkersRace(t *testing.T) {
	ctx := context.Background()
	d := newDealer(t, followup.QueueConfig{Lease: time.Hour})
	const tasks, workers = 1000, 16
	for i := range tasks {
		d.derive(t, followup.Enquiry, fmt.Sprint("E", i), monday.Add(-time.Duration(i%50)*time.Minute))
	}
	var mu sync.Mutex
	claimed := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			me := ticket.Actor{ID: fmt.Sprint("w", w), Role: ticket.RoleAgent}
			for {
				ts, err := d.queue.Claim(ctx, me.ID, "", 1+w%5)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ts) == 0 {
					return
				}
				for _, task := range ts {
					mu.Lock()
					claimed[task.ID]++
					mu.Unlock()
					if _, err := d.queue.Complete(ctx, task, followup.Outcome{Result: followup.Reached, By: me}); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(claimed) != tasks {
		t.Errorf("%d tasks claimed, want %d", len(claimed), tasks)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("task %s claimed %d times", id, n)
		}
	}
	done := tasksOf(t, d.queue, followup.Filter{Statuses: []followup.Status{followup.Done}})
	if len(done) != tasks {
		t.Errorf("%d done, want %d", len(done), tasks)
	}
}
