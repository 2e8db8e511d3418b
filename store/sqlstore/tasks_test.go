package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/followup/followuptest"
	"github.com/servicedesk-go/desk/ticket"
)

// row is the TaskRow a store would read back for t with body.
func row(t *followup.Task, body []byte) TaskRow {
	r := TaskRow{Version: t.Version, Updated: Nanos(t.UpdatedAt), Expires: Nanos(t.Lease.Expires),
		Status: string(t.Status), Role: string(t.Role), LeaseOwner: t.Lease.Owner, Body: body}
	if t.Lease.Token != uuid.Nil {
		tok := t.Lease.Token
		r.Token = &tok
	}
	return r
}

// utc is t with its instants in UTC, as a store reads them back (a body
// written before kept the zones).
func utc(t *followup.Task) *followup.Task {
	c := t.Clone()
	for _, p := range []*time.Time{&c.TriggeredAt, &c.NotBefore, &c.Due, &c.CreatedAt, &c.UpdatedAt, &c.ClosedAt, &c.Lease.Expires} {
		if !p.IsZero() {
			*p = p.UTC()
		}
	}
	return c
}

// TestTaskBody/F1_body_round_trip: a task read back from its compact
// body and its columns is the task stored, a body written before (the
// whole task as JSON) reads the same, and a time beyond the range of
// nanoseconds keeps its value.
func TestTaskBody(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 123, time.FixedZone("CST", 8*3600))
	claimed := followuptest.NewTask("d1", 1, at)
	claimed.Version, claimed.Status = 2, followup.Claimed
	claimed.Lease = followup.Lease{Owner: "w1", Token: uuid.New(), Expires: at.Add(time.Minute)}
	done := followuptest.NewTask("d1", 2, at)
	done.Version, done.Status, done.Attempts, done.Synced, done.ClosedAt = 3, followup.Done, 1, true, at.Add(time.Hour)
	done.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: "w1", Role: ticket.RoleAgent},
		Checked: followup.RevisitChecklist(), SignedBy: "sig-1", Satisfaction: 5, At: at.Add(time.Hour).UTC()}
	far := followuptest.NewTask("d1", 3, at)
	far.Version, far.Due = 1, time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, task := range map[string]*followup.Task{"claimed": claimed, "done": done, "far": far} {
		t.Run("F1_body_round_trip/"+name, func(t *testing.T) {
			body, err := EncodeTask(task)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := json.Marshal(task)
			if err != nil {
				t.Fatal(err)
			}
			if len(body) >= len(whole) {
				t.Errorf("body %d bytes, the whole task %d", len(body), len(whole))
			}
			for kind, b := range map[string][]byte{"compact": body, "whole task (earlier bodies)": whole} {
				got, err := row(task, b).Task()
				if err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
				if got, want := utc(got), utc(task); !reflect.DeepEqual(got, want) {
					t.Errorf("%s body read back as\n%+v\nwant\n%+v", kind, got, want)
				}
			}
		})
	}
	t.Run("F1_bad_body_time", func(t *testing.T) {
		if _, err := row(claimed, []byte(`{"ID":"`+claimed.ID.String()+`","NotBefore":12x}`)).Task(); err == nil {
			t.Error("a body with a broken time was read")
		}
	})
}
