package followup_test

import (
	"errors"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// FuzzRuleEvaluate drives rule evaluation with arbitrary windows,
// trigger times, categories and contact hours: no panic; an invalid
// rule is refused with ErrInvalid; a valid one plans tasks whose window
// does not close before it opens, opens in contact hours, and whose ID
// depends only on desk, trigger key and rule.
func FuzzRuleEvaluate(f *testing.F) {
	f.Add(0, 0, int64(0), 0, 2, int64(0), int64(1769830800), "leak", "k1", int64(9), int64(20), false)
	f.Add(1, 0, int64(0), 1, 3, int64(0), int64(1769830800), "", "k2", int64(9), int64(24), false)
	f.Add(0, -30, int64(0), 0, -23, int64(0), int64(-62135596800), "x", "", int64(0), int64(24), true)
	f.Add(-5, 3, int64(-3600e9), 7, -2, int64(3600e9), int64(253402300799), "safety", "k3", int64(20), int64(9), false)
	f.Fuzz(func(t *testing.T, fm, fd int, fdur int64, tm, td int, tdur int64, unix int64, cat, key string, open, close int64, anyTime bool) {
		r := followup.Rule{
			ID: "fz", Trigger: followup.TicketResolved, Categories: nil, Channel: followup.Phone, Role: ticket.RoleAgent,
			From:    followup.Offset{Months: fm, Days: fd, Time: time.Duration(fdur)},
			To:      followup.Offset{Months: tm, Days: td, Time: time.Duration(tdur)},
			AnyTime: anyTime,
		}
		rules := followup.RuleSet{Rules: []followup.Rule{r}}
		if err := rules.Validate(); err != nil {
			return
		}
		cal := followup.ContactHours{Open: time.Duration(open) * time.Hour, Close: time.Duration(close) * time.Hour, Location: shanghai}
		at := time.Unix(unix%(1<<40), 0).In(shanghai)
		d, err := followup.NewDeriver(followup.NewMemStore(), followup.DeriverConfig{Desk: "d", Rules: rules, Calendar: cal, Now: func() time.Time { return at }})
		if cal.Validate() != nil {
			if !errors.Is(err, followup.ErrInvalid) {
				t.Fatalf("unusable contact hours %+v accepted: %v", cal, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid rules refused: %v", err)
		}
		tr := followup.Trigger{Kind: followup.TicketResolved, Desk: "d", Key: key, Category: cat, At: at}
		ts, err := d.Plan(tr)
		if err != nil {
			return // invalid trigger or a calendar without contact times
		}
		if len(ts) != 1 {
			t.Fatalf("%d tasks from one matching rule", len(ts))
		}
		task := ts[0]
		if task.Due.Before(task.NotBefore) {
			t.Fatalf("due %s before the window opens %s", task.Due, task.NotBefore)
		}
		if !anyTime && !cal.Next(task.NotBefore).Equal(task.NotBefore) {
			t.Fatalf("window opens at %s, outside contact hours", task.NotBefore)
		}
		if task.ID != followup.TaskID("d", key, "fz") {
			t.Fatal("task ID is not the trigger's and rule's")
		}
		again, _ := d.Plan(tr)
		if again[0].ID != task.ID || !again[0].Due.Equal(task.Due) {
			t.Fatal("planning twice differs")
		}
	})
}
