package tickettest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// Dumper is implemented by a store (or a test's wrapper of one) that can
// show everything it holds: every table, JSON body and outbox entry. The
// erasure case searches that dump for erased values. A store without it
// is dumped through its public methods (every ticket, history and outbox
// entry), which is everything the in-memory store holds.
type Dumper interface {
	Dump(ctx context.Context) (string, error)
}

// dumpJSON encodes values as JSON lines.
func dumpJSON(t *testing.T, vs ...any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// dumpAll returns everything the store holds for the desks: its own
// dump when it is a Dumper, else every ticket, history and outbox entry.
// The text is JSON with the values also given raw, so a search finds a
// value however the store escapes it.
func dumpAll(t *testing.T, s ticket.Store, desks ...string) string {
	t.Helper()
	ctx := context.Background()
	if d, ok := s.(Dumper); ok {
		out, err := d.Dump(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	var b strings.Builder
	for _, desk := range desks {
		list, err := s.List(ctx, desk, ticket.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range list {
			h, err := s.History(ctx, desk, tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(dumpJSON(t, tk, h))
		}
	}
	out, err := s.Pending(ctx, "dump-"+uuid.NewString(), "", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(dumpJSON(t, out))
	return b.String()
}
