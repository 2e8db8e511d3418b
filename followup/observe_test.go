package followup_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/observe"
	"github.com/servicedesk-go/desk/ticket"
)

type downStore struct{ *followup.MemStore }

func (downStore) Claim(context.Context, string, followup.Claim) ([]*followup.Task, error) {
	return nil, errors.New("connection refused")
}

// TestQueueObserve/S1_store_failure_logged_refusal_reported: a store
// failure of a claim is logged (desk, error) and reported; a refused
// completion is reported with its class and not logged.
func TestQueueObserve(t *testing.T) {
	t.Run("S1_store_failure_logged_refusal_reported", func(t *testing.T) {
		ctx := context.Background()
		var logs bytes.Buffer
		var got []observe.Report
		q, err := followup.NewQueue(downStore{followup.NewMemStore()}, followup.QueueConfig{Desk: "north", Location: time.UTC,
			Logger:   slog.New(slog.NewTextHandler(&logs, nil)),
			Observer: observe.Func(func(_ context.Context, r observe.Report) { got = append(got, r) })})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := q.Claim(ctx, "li", ticket.RoleAgent, 3); err == nil {
			t.Fatal("claim on a store that is down succeeded")
		}
		if _, err := q.Complete(ctx, &followup.Task{}, followup.Outcome{Result: followup.Reached, Note: "Mrs Wang, 13800001111"}); err == nil {
			t.Fatal("completed an unknown task")
		}
		out := logs.String()
		if strings.Count(out, "level=ERROR") != 1 || !strings.Contains(out, "followup: claim failed") || !strings.Contains(out, "desk=north") {
			t.Fatalf("log %q", out)
		}
		if strings.Contains(out, "Wang") || strings.Contains(out, "1380000") {
			t.Fatalf("log shows personal data: %s", out)
		}
		if len(got) != 2 || got[0].Op != observe.Claim || got[0].Kind != "agent" || got[0].Outcome != "error" ||
			got[1].Op != observe.Complete || got[1].Kind != "reached" || got[1].Outcome == observe.OK {
			t.Fatalf("reports %+v", got)
		}
	})
}
