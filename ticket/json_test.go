package ticket_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// TestTicketJSON: the times a new ticket has not reached yet, its zero
// parent and its zero revisit status are left out of its JSON, decode
// to the same zero values, and are written once they are set.
func TestTicketJSON(t *testing.T) {
	unset := []string{"parent", "revisit", "reply_by", "appointment", "answered_at", "closed_at"}
	keys := func(t *testing.T, tk *ticket.Ticket) ([]byte, map[string]json.RawMessage) {
		t.Helper()
		b, err := json.Marshal(tk)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return b, m
	}
	t.Run("unset_fields_left_out_and_decoded_as_zero", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake()) // an inquiry plans no revisit
		b, m := keys(t, tk)
		for _, k := range unset {
			if _, ok := m[k]; ok {
				t.Errorf("%q is in a new ticket's JSON: %s", k, b)
			}
		}
		for _, k := range []string{"id", "desk", "number", "version", "state", "escalation", "received_at", "updated_at"} {
			if _, ok := m[k]; !ok {
				t.Errorf("%q is missing from a new ticket's JSON: %s", k, b)
			}
		}
		var back ticket.Ticket
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Parent != uuid.Nil || back.Revisit != (ticket.RevisitStatus{}) || !back.ReplyBy.IsZero() ||
			!back.Appointment.IsZero() || !back.AnsweredAt.IsZero() || !back.ClosedAt.IsZero() {
			t.Errorf("decoded unset fields are not zero: %+v", back)
		}
		if again, _ := json.Marshal(&back); !bytes.Equal(again, b) {
			t.Errorf("decoded and encoded again:\n%s\nwant\n%s", again, b)
		}
	})
	t.Run("set_fields_written_and_decoded", func(t *testing.T) {
		d := newDesk(t, nil)
		tk := d.receive(agent, inquiryIntake())
		at := time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)
		tk.Parent = uuid.New()
		tk.Revisit = ticket.RevisitStatus{Required: true}
		tk.ReplyBy, tk.Appointment, tk.AnsweredAt, tk.ClosedAt = at, at.Add(time.Hour), at.Add(2*time.Hour), at.Add(3*time.Hour)
		b, m := keys(t, tk)
		for _, k := range unset {
			if _, ok := m[k]; !ok {
				t.Errorf("%q is missing although set: %s", k, b)
			}
		}
		var back ticket.Ticket
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Parent != tk.Parent || back.Revisit != tk.Revisit || !back.ReplyBy.Equal(tk.ReplyBy) ||
			!back.Appointment.Equal(tk.Appointment) || !back.AnsweredAt.Equal(tk.AnsweredAt) || !back.ClosedAt.Equal(tk.ClosedAt) {
			t.Errorf("decoded %+v, want the fields set on %+v", back, tk)
		}
	})
}
