package main

import (
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/servicedesk-go/desk/ticket"
)

// TestConcurrentWrites: many clients at once receive tickets and
// dispatch the same ticket with the version they read. Each dispatch
// either wins (200) or loses to a concurrent one (409); exactly one
// wins per version, nothing answers 5xx, and case numbers stay unique
// per desk. Run with -race.
func TestConcurrentWrites(t *testing.T) {
	f := newFixture(t)
	shared := f.newRepair(t, "north")
	const workers = 8
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
		numbers  = map[int64]bool{}
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := f.as("agent-"+string(rune('a'+w)), ticket.RoleAgent)
			for range 5 {
				r := a.do(t, "POST", "/desks/north/tickets", repairIntake())
				var tk ticket.Ticket
				if r.Status == http.StatusCreated {
					r.decode(t, &tk)
				}
				d := a.do(t, "POST", ticketPath("north", shared.ID, "dispatch"),
					map[string]any{"version": shared.Version, "department": "engineering"})
				mu.Lock()
				statuses[r.Status]++
				statuses[d.Status]++
				if numbers[tk.Number] {
					t.Errorf("case number %d given twice", tk.Number)
				}
				numbers[tk.Number] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if statuses[http.StatusCreated] != workers*5 {
		t.Errorf("intakes: %v", statuses)
	}
	if statuses[http.StatusOK] != 1 || statuses[http.StatusConflict] != workers*5-1 {
		t.Errorf("one dispatch at version %d wins, the rest conflict: %v", shared.Version, statuses)
	}
	for s := range statuses {
		if s >= 500 {
			t.Errorf("status %d under concurrency", s)
		}
	}
}

// TestConcurrentClaims: workers claiming at once never share a task
// (F lease semantics through HTTP).
func TestConcurrentClaims(t *testing.T) {
	f := newFixture(t)
	agent := f.as(li, ticket.RoleAgent)
	for range 6 {
		tk := f.newRepair(t, "north")
		agent.must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "dispatch"), map[string]any{"department": "engineering"})
		f.as(zhao, ticket.RoleDepartment).must(t, http.StatusOK, "POST", ticketPath("north", tk.ID, "resolve"), map[string]any{"summary": "done"})
	}
	f.derive(t)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		owner = map[uuid.UUID]string{}
	)
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := "worker-" + string(rune('a'+w))
			var got taskList
			f.as(name, ticket.RoleAgent).must(t, http.StatusOK, "POST", "/desks/north/followups/claim", map[string]any{"n": 2}).decode(t, &got)
			mu.Lock()
			defer mu.Unlock()
			for _, task := range got.Tasks {
				if prev, ok := owner[task.ID]; ok {
					t.Errorf("task %s leased to %s and %s", task.ID, prev, name)
				}
				owner[task.ID] = name
				if task.Worker != name {
					t.Errorf("task %s claimed by %s shows worker %s", task.ID, name, task.Worker)
				}
			}
		}()
	}
	wg.Wait()
	if len(owner) != 6 {
		t.Errorf("six ready revisits, %d claimed", len(owner))
	}
}
