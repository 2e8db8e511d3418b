package followuptest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/servicedesk-go/desk/followup"
	"github.com/servicedesk-go/desk/ticket"
)

// T0 is the suite's fixed "now".
var T0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// NewTask returns a pending task of desk with a fresh ID, ready at
// notBefore and due an hour later. Tests change fields as they need.
func NewTask(desk string, n int, notBefore time.Time) *followup.Task {
	key := fmt.Sprintf("suite:%d", n)
	return &followup.Task{
		ID: followup.TaskID(desk, key, "R"), Desk: desk, Rule: "R", Cites: "F2",
		Trigger: followup.TicketResolved, Key: key, Subject: fmt.Sprintf("customer-%d", n),
		Ticket: uuid.NewSHA1(uuid.NameSpaceOID, []byte(key)), TicketKind: ticket.Repair,
		Category: followup.Leak, Seq: 1, Channel: followup.OnSite, Role: ticket.RoleRepairLead,
		Checklist:   followup.RevisitChecklist(),
		TriggeredAt: notBefore, NotBefore: notBefore, Due: notBefore.Add(time.Hour),
		MaxAttempts: 3, RetryAfter: time.Hour, Status: followup.Pending,
		CreatedAt: T0, UpdatedAt: T0,
	}
}

func token(n int) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint("token", n))) }

func claim(owner string, n int, now time.Time, limit int) followup.Claim {
	return followup.Claim{Owner: owner, Token: token(n), Now: now, For: 10 * time.Minute, Limit: limit}
}

func mustCreate(t *testing.T, s followup.Store, task *followup.Task) {
	t.Helper()
	if err := s.Create(context.Background(), task); err != nil {
		t.Fatalf("create %s: %v", task.ID, err)
	}
}

func claimOne(t *testing.T, s followup.Store, owner string, n int, now time.Time) *followup.Task {
	t.Helper()
	got, err := s.Claim(context.Background(), "d1", claim(owner, n, now, 1))
	if err != nil || len(got) != 1 {
		t.Fatalf("claim by %s at %s: %d tasks, %v", owner, now, len(got), err)
	}
	return got[0]
}

// finish returns the task done, as a queue would write it.
func finish(c *followup.Task, at time.Time) *followup.Task {
	d := c.Clone()
	d.Status = followup.Done
	d.Attempts++
	d.ClosedAt = at
	d.UpdatedAt = at
	d.Outcome = &followup.Outcome{Result: followup.Reached, By: ticket.Actor{ID: c.Lease.Owner, Role: c.Role}, Note: "first", At: at}
	return d
}

func ids(ts []*followup.Task) string {
	out := make([]uuid.UUID, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return fmt.Sprint(out)
}
