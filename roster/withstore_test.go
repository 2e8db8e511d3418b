package roster_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/roster"
)

type brokenStore struct{ *roster.MemStore }

func (brokenStore) SaveAway(context.Context, roster.Away) (roster.Away, error) {
	return roster.Away{}, errors.New("connection reset")
}

func TestServiceWithStore(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var logs bytes.Buffer
	home, other := roster.NewMemStore(), roster.NewMemStore()
	svc, err := roster.New(home, roster.Config{Desk: "north", Now: func() time.Time { return at }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	bound := svc.WithStore(other)
	a, err := bound.GrantLeave(ctx, "li", at.AddDate(0, 0, 1), at.AddDate(0, 0, 3), "annual leave")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Away(ctx, "north", a.ID); err != nil {
		t.Fatalf("bound store: %v", err)
	}
	if _, err := home.Away(ctx, "north", a.ID); !errors.Is(err, roster.ErrNotFound) {
		t.Fatalf("original store sees the bound write: %v", err)
	}
	// The logger comes along: a bound store's failure is logged.
	if _, err := svc.WithStore(brokenStore{roster.NewMemStore()}).GrantLeave(ctx, "li", at, at.Add(time.Hour), ""); err == nil {
		t.Fatal("a failing store's error was lost")
	}
	if !strings.Contains(logs.String(), "connection reset") {
		t.Fatalf("bound service did not log the store failure; log: %q", logs.String())
	}
	defer func() {
		if recover() == nil {
			t.Fatal("WithStore(nil) did not panic")
		}
	}()
	svc.WithStore(nil)
}

// Inside the caller's transaction the service is bound per transaction
// to a store on it (with a database adapter, store.WithTx(tx).Rosters()).
func ExampleService_WithStore() {
	ctx := context.Background()
	svc, err := roster.New(roster.NewMemStore(), roster.Config{Desk: "north"})
	if err != nil {
		panic(err)
	}
	txStore := roster.NewMemStore() // stands for postgres.Store.WithTx(tx).Rosters()
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	a, _ := svc.WithStore(txStore).GrantLeave(ctx, "li", from, from.AddDate(0, 0, 2), "annual leave")
	_, err = txStore.Away(ctx, "north", a.ID)
	fmt.Println(err)
	// Output: <nil>
}
