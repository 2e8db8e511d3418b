package followuptest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// badTexts are texts no store can hold alike: PostgreSQL refuses both,
// the in-memory store would keep them.
var badTexts = map[string]string{
	"NUL":           "a\x00b",
	"invalid UTF-8": "a\xffb",
}

// testInputs: a NUL character or invalid UTF-8 in any text (outcome
// note, worker, actor, trigger key and subject, filter value, consumer,
// desk name), a note beyond the bounds and a year beyond 9999 are
// refused with an *InputError naming the field, and nothing is written:
// the same answer on every store.
func testInputs(t *testing.T, s followup.Store) {
	ctx := context.Background()
	now := T0
	clock := func() time.Time { return now }
	tickets, err := ticket.New(ticket.NewMemStore(), ticket.Config{Desk: "d1", Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	q, err := followup.NewQueue(s, followup.QueueConfig{Desk: "d1", Calendar: followup.AnyTime{}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	d, err := followup.NewDeriver(s, followup.DeriverConfig{Desk: "d1", Rules: followup.DealerRules(1), Calendar: followup.AnyTime{}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	sync, err := followup.NewTicketSync(tickets, d, q, tickets)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, NewTask("d1", 1, T0))
	claimed, err := q.Claim(ctx, "w", "", 1)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %d, %v", len(claimed), err)
	}
	task := claimed[0]
	snapshot := func() string {
		t.Helper()
		ls, err := s.List(ctx, "d1", followup.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return dumpValue(t, ls)
	}
	before := snapshot()
	sales := ticket.Actor{ID: "sun", Role: ticket.RoleRepairLead}
	done := func() followup.Outcome {
		return followup.Outcome{Result: followup.Reached, By: sales, Checked: followup.RevisitChecklist(), SignedBy: "sig-1", Channel: followup.OnSite}
	}
	type call struct {
		name, field string
		run         func() error
	}
	var calls []call
	for what, bad := range badTexts {
		calls = append(calls,
			call{"outcome note/" + what, "note", func() error {
				o := done()
				o.Note = bad
				_, err := q.Complete(ctx, task, o)
				return err
			}},
			call{"outcome actor/" + what, "actor", func() error {
				o := done()
				o.By.ID = bad
				_, err := q.Complete(ctx, task, o)
				return err
			}},
			call{"worker/" + what, "worker", func() error { _, err := q.Claim(ctx, bad, "", 1); return err }},
			call{"cancel actor/" + what, "actor", func() error {
				_, err := q.Cancel(ctx, task.ID, ticket.Actor{ID: bad, Role: ticket.RoleAgent}, "no longer needed")
				return err
			}},
			call{"trigger key/" + what, "trigger key", func() error {
				_, err := d.Derive(ctx, followup.Trigger{Kind: followup.Enquiry, Key: bad, Subject: "c-1", At: now})
				return err
			}},
			call{"trigger subject/" + what, "trigger subject", func() error {
				_, err := d.Derive(ctx, followup.Trigger{Kind: followup.Enquiry, Key: "k-1", Subject: bad, At: now})
				return err
			}},
			call{"filter value/" + what, "filter", func() error {
				_, err := q.List(ctx, followup.Filter{Subject: bad})
				return err
			}},
			call{"consumer/" + what, "consumer", func() error { _, err := sync.WithConsumer(bad).Run(ctx, 10); return err }},
			call{"desk name/" + what, "desk", func() error {
				_, err := followup.NewQueue(s, followup.QueueConfig{Desk: bad, Calendar: followup.AnyTime{}})
				return err
			}},
			call{"store create/" + what, "", func() error {
				x := NewTask("d1", 2, T0)
				x.Subject = bad
				return s.Create(ctx, x)
			}},
			call{"store update/" + what, "", func() error {
				x, err := s.Get(ctx, "d1", task.ID)
				if err != nil {
					return err
				}
				x.Category = bad
				return s.Update(ctx, x)
			}},
			call{"store complete/" + what, "", func() error {
				x := task.Clone()
				x.Status = followup.Done
				x.Outcome = &followup.Outcome{Result: followup.Reached, By: sales, Note: bad, At: now}
				return s.Complete(ctx, x, task.Lease, now)
			}},
		)
	}
	calls = append(calls,
		call{"note too long", "note", func() error {
			o := done()
			o.Note = strings.Repeat("x", followup.DefaultBounds().Text+1)
			_, err := q.Complete(ctx, task, o)
			return err
		}},
		call{"trigger beyond year 9999", "trigger time", func() error {
			_, err := d.Derive(ctx, followup.Trigger{Kind: followup.Enquiry, Key: "k-2", Subject: "c-2", At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
			return err
		}},
	)
	for _, c := range calls {
		err := c.run()
		var ie *followup.InputError
		if !errors.Is(err, followup.ErrInvalid) || !errors.As(err, &ie) {
			t.Errorf("%s: err = %v, want a *followup.InputError (ErrInvalid)", c.name, err)
			continue
		}
		if !strings.Contains(ie.Field, c.field) {
			t.Errorf("%s: the error names %q, want a field naming %q", c.name, ie.Field, c.field)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("refused input changed the store:\nbefore %s\nafter  %s", before, after)
	}
}
