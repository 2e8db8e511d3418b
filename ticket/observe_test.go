package ticket_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/ticket"
)

type failingStore struct{ *ticket.MemStore }

var errDown = errors.New("connection refused")

func (failingStore) Update(context.Context, *ticket.Ticket, ticket.Event) error { return errDown }

// TestObserve/S1_failures_logged_without_personal_data: a store failure
// is logged with the desk and action, never the note or fields; a
// refusal is reported but not logged.
func TestObserve(t *testing.T) {
	t.Run("S1_failures_logged_without_personal_data", func(t *testing.T) {
		ctx := context.Background()
		var logs bytes.Buffer
		var got []observe.Report
		svc, err := ticket.New(failingStore{ticket.NewMemStore()}, ticket.Config{Desk: "north",
			Logger:   slog.New(slog.NewTextHandler(&logs, nil)),
			Observer: observe.Func(func(_ context.Context, r observe.Report) { got = append(got, r) })})
		if err != nil {
			t.Fatal(err)
		}
		li := ticket.Actor{ID: "li", Role: ticket.RoleAgent}
		tk, err := svc.Receive(ctx, li, ticket.Intake{Kind: ticket.Inquiry, Channel: ticket.Phone,
			Fields: map[string]string{"person": "Wang Fang", "phone": "13800001111"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Note(ctx, li, tk.Ref(), "Mrs Wang moved to 5-301"); !errors.Is(err, errDown) {
			t.Fatalf("note: %v", err)
		}
		if _, err := svc.Dispatch(ctx, ticket.Actor{ID: "x", Role: ticket.RoleQA}, tk.Ref(), ticket.Assignment{Assignee: "zhao"}); err == nil {
			t.Fatal("QA dispatched")
		}
		out := logs.String()
		if strings.Count(out, "ticket: action failed") != 1 || !strings.Contains(out, "action=note") || !strings.Contains(out, "connection refused") {
			t.Fatalf("log %q: want one failure of the note", out)
		}
		for _, pii := range []string{"Wang", "1380000", "5-301"} {
			if strings.Contains(out, pii) {
				t.Fatalf("log shows %q: %s", pii, out)
			}
		}
		if len(got) != 3 || got[0].Outcome != "ok" || got[0].Kind != "receive" || got[1].Outcome != "error" || got[2].Kind != "dispatch" ||
			(got[2].Outcome != "forbidden" && got[2].Outcome != "invalid_transition") || got[0].Desk != "north" || got[0].Duration <= 0 {
			t.Fatalf("reports %+v", got)
		}
	})
}
