package roster

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

type downStore struct{ *MemStore }

func (downStore) Assignments(context.Context, string, time.Time, time.Time) ([]Assignment, error) {
	return nil, errors.New("connection refused")
}

// TestLogger: a store failure is logged with the desk and operation; a
// refusal (not found) is not.
func TestLogger(t *testing.T) {
	var logs bytes.Buffer
	s := mustNew(t, downStore{NewMemStore()}, Config{Desk: "north", Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	err := s.Publish(ctx, []Assignment{{Desk: "north", Agent: "li", Shift: "a", Start: start, End: start.Add(8 * time.Hour)}})
	if err == nil {
		t.Fatal("published on a store that is down")
	}
	if _, err := s.store.Swap(ctx, "north", uuid.New()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown swap: %v", err)
	}
	out := logs.String()
	if strings.Count(out, "level=ERROR") != 1 || !strings.Contains(out, "roster: store list assignments failed") || !strings.Contains(out, "desk=north") {
		t.Fatalf("log %q", out)
	}
}
