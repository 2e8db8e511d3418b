package sqlstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// FuzzTaskBody: for any text in a task's string fields and any numbers
// and times, the hand-written encoder writes the bytes encoding/json
// writes, and the body reads back, field by field or through
// encoding/json, as encoding/json reads it.
func FuzzTaskBody(f *testing.F) {
	f.Add("plain", "客户 王先生", "quote \" back \\ <&>", int64(3), int64(1772445600000000007), int64(-1), true)
	f.Add("", "bad \xff utf8", "\u2028\x00\x1f", int64(0), int64(0), int64(1<<62), false)
	f.Fuzz(func(t *testing.T, a, b, c string, n, at, d int64, flag bool) {
		when := time.Unix(0, at).UTC()
		task := &followup.Task{ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte(a)), Desk: a, Rule: b, Cites: c, Key: a + b,
			Subject: c, Category: b, Trigger: followup.TriggerKind(a), Channel: followup.Channel(c),
			TicketKind: ticket.Kind(b), Seq: int(n), Attempts: int(n % 7), MaxAttempts: int(n % 5),
			RetryAfter: time.Duration(d), Repeat: time.Duration(n), Grade: flag, Revisit: !flag, Sampled: flag,
			UntilClosed: flag, Synced: !flag, TriggeredAt: when, NotBefore: when.Add(time.Duration(d)), Due: time.Unix(d, n).UTC(),
			CreatedAt: when}
		if flag {
			task.Ticket = uuid.NewSHA1(uuid.NameSpaceURL, []byte(b))
			task.Checklist = []followup.CheckItem{followup.CheckItem(a), followup.CheckItem(c)}
			task.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: b, Role: ticket.RoleAgent}, Note: c, At: when}
			task.ClosedAt = when
		}
		got, gerr := EncodeTask(task)
		want, werr := viaJSON(task)
		if (gerr != nil) != (werr != nil) {
			t.Fatalf("EncodeTask error %v, encoding/json error %v", gerr, werr)
		}
		if gerr != nil {
			return
		}
		if string(got) != string(want) {
			t.Fatalf("EncodeTask wrote\n%s\nencoding/json\n%s", got, want)
		}
		var read, slow followup.Task
		if err := decodeTask(got, &read); err != nil {
			t.Fatalf("decodeTask of %s: %v", got, err)
		}
		if err := decodeJSON(got, &slow); err != nil {
			t.Fatalf("encoding/json of %s: %v", got, err)
		}
		if !reflect.DeepEqual(read, slow) {
			t.Fatalf("body %s read as\n%+v\nencoding/json reads\n%+v", got, read, slow)
		}
	})
}
