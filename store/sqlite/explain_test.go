package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/servicedesk-go/desk/ticket"
)

// TestListPlans/P_every_filter_and_order_uses_an_index runs EXPLAIN QUERY
// PLAN on the statement List generates for each Filter field, each
// order, cursors and the pages of Service.Overdue, on 20,000 tickets with
// fresh statistics (ANALYZE), and fails on a plan that scans a table or
// reads the desk's tickets through an index that does not hold the
// filtered key, as the PostgreSQL adapter's test does.
func TestListPlans(t *testing.T) {
	t.Run("P_every_filter_and_order_uses_an_index", func(t *testing.T) {
		ctx := context.Background()
		s, err := Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		open := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Reopened}
		cases := []struct {
			name  string
			f     ticket.Filter
			index []string
		}{
			{"all", ticket.Filter{}, []string{"sqlite_autoindex_desk_tickets_2"}},
			{"by_number_desc", ticket.Filter{Order: ticket.ByNumberDesc, Limit: 50}, []string{"sqlite_autoindex_desk_tickets_2"}},
			{"by_updated", ticket.Filter{Order: ticket.ByUpdated, Limit: 50}, []string{"desk_tickets_updated"}},
			{"by_due", ticket.Filter{Order: ticket.ByDue, Limit: 50}, []string{"desk_tickets_due"}},
			{"after_due", ticket.Filter{Order: ticket.ByDue, After: &ticket.Cursor{Number: 10, Due: now}, Limit: 50}, []string{"desk_tickets_due"}},
			{"states", ticket.Filter{States: []ticket.State{ticket.Reopened}}, []string{"desk_tickets_state"}},
			{"kinds", ticket.Filter{Kinds: []ticket.Kind{ticket.Complaint}}, []string{"desk_tickets_kind"}},
			{"owner", ticket.Filter{Owner: "agent-3"}, []string{"desk_tickets_owner"}},
			{"assignee", ticket.Filter{Assignee: "worker-3"}, []string{"desk_tickets_assignee"}},
			{"department", ticket.Filter{Department: "dept-3"}, []string{"desk_tickets_department"}},
			{"customer", ticket.Filter{Customer: "customer-1"}, []string{"desk_tickets_customer"}},
			{"classes", ticket.Filter{Classes: []string{"class-1"}}, []string{"desk_tickets_class"}},
			{"severities", ticket.Filter{Severities: []ticket.Severity{ticket.Major}}, []string{"desk_tickets_severity"}},
			{"unowned", ticket.Filter{Unowned: true}, []string{"desk_tickets_owner"}},
			{"incomplete", ticket.Filter{Incomplete: true}, []string{"desk_tickets_incomplete"}},
			{"priorities", ticket.Filter{Priorities: []ticket.Priority{"urgent"}}, []string{"desk_tickets_priority"}},
			{"tags", ticket.Filter{Tags: []string{"vip"}}, []string{"desk_ticket_tags_tag"}},
			{"due_before", ticket.Filter{DueBefore: now}, []string{"desk_tickets_due"}},
			{"received_range", ticket.Filter{ReceivedFrom: now.Add(-time.Hour), ReceivedBefore: now}, []string{"desk_tickets_received"}},
			{"updated_range", ticket.Filter{UpdatedFrom: now.Add(-time.Hour), UpdatedBefore: now}, []string{"desk_tickets_updated"}},
			{"overdue_page", ticket.Filter{States: open, DueBefore: now, Order: ticket.ByDue, Limit: 50}, []string{"desk_tickets_due", "desk_tickets_state"}},
			{"overdue_stagnant_page", ticket.Filter{States: open[:5], UpdatedBefore: now.Add(-24 * time.Hour), Order: ticket.ByUpdated, Limit: 50},
				[]string{"desk_tickets_state", "desk_tickets_updated"}},
			{"overdue_department_page", ticket.Filter{States: open, DueBefore: now, Order: ticket.ByDue, Limit: 50, Department: "dept-3"},
				[]string{"desk_tickets_due", "desk_tickets_department", "desk_tickets_state"}},
		}
		// A year of a busy desk: 20,000 tickets, most closed, then ANALYZE.
		year := int64(365 * 24 * time.Hour)
		if _, err := s.db.ExecContext(ctx, `
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000)
INSERT INTO desk_tickets (id, desk, number, version, state, kind, owner, assignee, customer, complaint_class,
    complaint_severity, incomplete, next_due, received_at, updated_at, body, priority, tags, department)
SELECT 't' || n, 'north', n, 5,
    CASE WHEN n % 50 = 0 THEN 'reopened' WHEN n % 50 = 1 THEN 'dispatched' ELSE 'closed' END,
    CASE WHEN n % 10 = 0 THEN 'complaint' ELSE 'repair' END,
    CASE WHEN n % 97 = 0 THEN '' ELSE 'agent-' || (n % 40) END,
    CASE WHEN n % 50 = 1 THEN 'worker-' || (n % 30) ELSE '' END,
    'customer-' || (n % 8000),
    CASE WHEN n % 10 = 0 THEN 'class-' || (n % 7) END,
    CASE WHEN n % 10 = 0 THEN 'major' END,
    n % 89 = 0,
    CASE WHEN n % 50 < 2 THEN ?1 + n * (?2 / 20000) + 86400000000000 END,
    ?1 + n * (?2 / 20000), ?1 + n * (?2 / 20000) + 3600000000000, '{}',
    CASE n % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'normal' WHEN 2 THEN 'high' ELSE 'urgent' END, '',
    CASE WHEN n % 5 = 0 THEN 'dept-' || (n % 7) ELSE '' END
FROM g`, now.Add(-365*24*time.Hour).UnixNano(), year); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, `
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 20000)
INSERT INTO desk_ticket_tags (desk, number, tag)
SELECT 'north', n, 'tag-' || (n % 53) FROM g UNION ALL SELECT 'north', n, 'vip' FROM g WHERE n % 211 = 0`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, "ANALYZE"); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			q, args := listSQL("north", c.f)
			rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			p := strings.Join(plan, "\n")
			if strings.Contains(p, "SCAN desk_tickets") || strings.Contains(p, "SCAN desk_ticket_tags") {
				t.Errorf("%s scans a table:\n%s\n%s", c.name, q, p)
				continue
			}
			used := false
			for _, ix := range c.index {
				used = used || strings.Contains(p, "INDEX "+ix+" ") || strings.HasSuffix(p, "INDEX "+ix)
			}
			if !used {
				t.Errorf("%s reads none of %v: it would read every ticket of the desk to find its answer:\n%s\n%s", c.name, c.index, q, p)
			}
		}
	})
}
