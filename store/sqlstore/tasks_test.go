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
	t.Run("F1_broken_bodies_are_errors", func(t *testing.T) {
		id := claimed.ID.String()
		for _, b := range []string{``, `{`, `{"ID":"` + id + `"`, `{"ID":"` + id + `",}`, `{"ID":"x"}`, `{"ID":"` + id + `","Seq":}`,
			`{"ID":"` + id + `","Checklist":["a",}`, `{"ID":"` + id + `","Outcome":{"result":"reached"`, `{"ID":"` + id + `"}x`,
			`{"ID":"` + id + `","Grade":tru}`, `{"ID":"` + id + `","Seq":99999999999999999999}`, `[]`} {
			if _, err := row(claimed, []byte(b)).Task(); err == nil {
				t.Errorf("body %q was read", b)
			}
		}
	})
}

// viaJSON is the body as encoding/json writes taskBody.
func viaJSON(t *followup.Task) ([]byte, error) {
	return json.Marshal(taskBody{ID: t.ID, Desk: t.Desk, Rule: t.Rule, Cites: t.Cites, Trigger: t.Trigger, Key: t.Key,
		Subject: t.Subject, Ticket: t.Ticket, TicketKind: t.TicketKind, Category: t.Category, Seq: t.Seq,
		Channel: t.Channel, Checklist: t.Checklist, Grade: t.Grade, Revisit: t.Revisit, Sampled: t.Sampled,
		TriggeredAt: bodyTime(t.TriggeredAt), NotBefore: bodyTime(t.NotBefore), Due: bodyTime(t.Due), Attempts: t.Attempts,
		MaxAttempts: t.MaxAttempts, RetryAfter: t.RetryAfter, Repeat: t.Repeat, UntilClosed: t.UntilClosed,
		Outcome: t.Outcome, Synced: t.Synced, CreatedAt: bodyTime(t.CreatedAt), ClosedAt: bodyTime(t.ClosedAt)})
}

// TestEncodeTask/F1_same_bytes_as_encoding_json: the hand-written
// encoder writes the bytes encoding/json writes for the same body, for
// plain tasks, empty and full fields, and strings that need escaping or
// are not valid UTF-8; and the body reads back as the task.
func TestEncodeTask(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 7, time.UTC)
	odd := []string{"", "plain", `quote " back \ slash`, "tab\tnl\ncr\r\b\f\x00\x1f", "<a href='x'>&</a>",
		"\u2028\u2029", "客户 王先生", "bad \xff\xfe utf8", "emoji 😀"}
	var ts []*followup.Task
	for i, s := range odd {
		task := followuptest.NewTask(s, i, at)
		task.Subject, task.Key, task.Category, task.Rule = s, s+"#1", s, s
		task.Checklist = []followup.CheckItem{followup.CheckItem(s), "signature"}
		task.Grade, task.Revisit, task.Sampled, task.UntilClosed, task.Synced = i%2 == 0, i%3 == 0, i%2 == 1, true, i%2 == 0
		task.Attempts, task.Repeat, task.Seq = i, time.Duration(i)*time.Hour, -i
		if i%2 == 1 {
			task.Ticket, task.Checklist = uuid.Nil, nil
			task.TriggeredAt, task.CreatedAt = time.Time{}, time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if i%3 == 0 {
			task.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: s, Role: ticket.RoleAgent},
				Note: s, At: at}
			task.ClosedAt = at.Add(time.Hour)
		}
		ts = append(ts, task)
	}
	ts = append(ts, &followup.Task{ID: uuid.New()})
	for i, task := range ts {
		got, err := EncodeTask(task)
		if err != nil {
			t.Fatal(err)
		}
		want, err := viaJSON(task)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("task %d:\n got %s\nwant %s", i, got, want)
		}
		if !json.Valid(got) {
			t.Errorf("task %d: invalid JSON %s", i, got)
		}
		// The field-by-field reader reads what encoding/json reads, or
		// leaves the body to it (strings with escapes, times in text).
		var fast, slow followup.Task
		compact := decodeCompact(got, &fast)
		if err := decodeJSON(got, &slow); err != nil {
			t.Fatal(err)
		}
		if compact && !reflect.DeepEqual(fast, slow) {
			t.Errorf("task %d read field by field as\n%+v\nby encoding/json as\n%+v", i, fast, slow)
		}
		if plain := i == 0 || i == len(ts)-1; plain && !compact {
			t.Errorf("task %d: the plain body %s was not read field by field", i, got)
		}
	}
}

func BenchmarkDecodeTask(b *testing.B) {
	task := followuptest.NewTask("d1", 1, time.Now())
	body, err := EncodeTask(task)
	if err != nil {
		b.Fatal(err)
	}
	r := row(task, body)
	for b.Loop() {
		if _, err := r.Task(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeTask(b *testing.B) {
	task := followuptest.NewTask("d1", 1, time.Now())
	for b.Loop() {
		if _, err := EncodeTask(task); err != nil {
			b.Fatal(err)
		}
	}
}
