package postgres

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/servicedesk-go/desk/ticket"
)

// TestListPlans/P_every_filter_and_order_uses_an_index runs EXPLAIN on
// the statement List generates for each Filter field, each order and
// the two queries of Service.Overdue, on a year of tickets with fresh
// statistics and sequential scans priced out
// (enable_seqscan off, so the planner picks an index whenever one
// serves), and fails on a plan that scans desk_tickets or reads the
// desk's tickets through an index that does not hold the filtered key:
// such a query would read every ticket of a large desk. Tags are read
// through desk_ticket_tags (010); the ByDue order and the pages of
// Service.Overdue (deadlines by due time, stagnation by update time, from
// a cursor, for a department) are cases too.
func TestListPlans(t *testing.T) {
	t.Run("P_every_filter_and_order_uses_an_index", func(t *testing.T) {
		s, _ := openStore(t)
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		open := []ticket.State{ticket.Received, ticket.Dispatched, ticket.Resolved, ticket.Answered, ticket.Revisit, ticket.Reopened}
		// Each case and the indexes that answer it (any one will do).
		cases := []struct {
			name  string
			f     ticket.Filter
			index []string
		}{
			{"all", ticket.Filter{}, []string{"desk_tickets_desk_number_key"}},
			{"by_number_desc", ticket.Filter{Order: ticket.ByNumberDesc}, []string{"desk_tickets_desk_number_key"}},
			{"by_updated", ticket.Filter{Order: ticket.ByUpdated}, []string{"desk_tickets_updated"}},
			{"after_number", ticket.Filter{After: &ticket.Cursor{Number: 10}, Limit: 50}, []string{"desk_tickets_desk_number_key"}},
			{"after_desc", ticket.Filter{Order: ticket.ByNumberDesc, After: &ticket.Cursor{Number: 10}, Limit: 50}, []string{"desk_tickets_desk_number_key"}},
			{"after_updated", ticket.Filter{Order: ticket.ByUpdated, After: &ticket.Cursor{Number: 10, Updated: now}, Limit: 50}, []string{"desk_tickets_updated"}},
			{"states", ticket.Filter{States: []ticket.State{ticket.Reopened}}, []string{"desk_tickets_state", "desk_tickets_open_updated"}},
			{"kinds", ticket.Filter{Kinds: []ticket.Kind{ticket.Complaint}}, []string{"desk_tickets_kind"}},
			{"owner", ticket.Filter{Owner: "li"}, []string{"desk_tickets_owner"}},
			{"assignee", ticket.Filter{Assignee: "zhao"}, []string{"desk_tickets_assignee"}},
			{"department", ticket.Filter{Department: "dept-3"}, []string{"desk_tickets_department"}},
			{"department_open", ticket.Filter{Department: "dept-3", States: open},
				[]string{"desk_tickets_department", "desk_tickets_state", "desk_tickets_department_open_updated"}},
			{"customer", ticket.Filter{Customer: "c-1"}, []string{"desk_tickets_customer"}},
			{"classes", ticket.Filter{Classes: []string{"noise"}}, []string{"desk_tickets_class"}},
			{"severities", ticket.Filter{Severities: []ticket.Severity{ticket.Major}}, []string{"desk_tickets_severity"}},
			{"unowned", ticket.Filter{Unowned: true}, []string{"desk_tickets_owner"}},
			{"incomplete", ticket.Filter{Incomplete: true}, []string{"desk_tickets_incomplete"}},
			{"priorities", ticket.Filter{Priorities: []ticket.Priority{"urgent"}}, []string{"desk_tickets_priority"}},
			{"due_before", ticket.Filter{DueBefore: now}, []string{"desk_tickets_due"}},
			{"received_range", ticket.Filter{ReceivedFrom: now.Add(-time.Hour), ReceivedBefore: now}, []string{"desk_tickets_received"}},
			{"updated_range", ticket.Filter{UpdatedFrom: now.Add(-time.Hour), UpdatedBefore: now}, []string{"desk_tickets_updated"}},
			{"overdue_deadline", ticket.Filter{States: open, DueBefore: now}, []string{"desk_tickets_state", "desk_tickets_due", "desk_tickets_open_updated"}},
			{"overdue_stagnant", ticket.Filter{States: open[:5], UpdatedBefore: now.Add(-72 * time.Hour)},
				[]string{"desk_tickets_state", "desk_tickets_updated", "desk_tickets_open_updated"}},
			{"tags", ticket.Filter{Tags: []string{"vip"}}, []string{"desk_ticket_tags_tag"}},
			{"tags_two", ticket.Filter{Tags: []string{"tag-3", "vip"}}, []string{"desk_ticket_tags_tag"}},
			{"tags_open_page", ticket.Filter{Tags: []string{"tag-3"}, States: open, Limit: 50}, []string{"desk_ticket_tags_tag", "desk_tickets_state"}},
			{"by_due", ticket.Filter{Order: ticket.ByDue}, []string{"desk_tickets_due"}},
			{"after_due", ticket.Filter{Order: ticket.ByDue, After: &ticket.Cursor{Number: 10, Due: now}, Limit: 50}, []string{"desk_tickets_due"}},
			// The pages of Service.Overdue: deadlines (ByDue) and
			// stagnation (ByUpdated), from a cursor, for a department.
			{"overdue_page", ticket.Filter{States: open, DueBefore: now, Order: ticket.ByDue, Limit: 50,
				After: &ticket.Cursor{Number: 10, Due: now.Add(-30 * 24 * time.Hour)}}, []string{"desk_tickets_due", "desk_tickets_state"}},
			{"overdue_stagnant_page", ticket.Filter{States: open[:5], UpdatedBefore: now.Add(-24 * time.Hour), Order: ticket.ByUpdated, Limit: 50,
				After: &ticket.Cursor{Number: 10, Updated: now.Add(-30 * 24 * time.Hour)}}, []string{"desk_tickets_open_updated"}},
			{"overdue_department_page", ticket.Filter{States: open, DueBefore: now, Order: ticket.ByDue, Limit: 50, Department: "dept-3"},
				[]string{"desk_tickets_department_due"}},
			{"overdue_department_stagnant_page", ticket.Filter{States: open[:5], UpdatedBefore: now.Add(-24 * time.Hour), Order: ticket.ByUpdated,
				Limit: 50, Department: "dept-3"}, []string{"desk_tickets_department_open_updated"}},
		}
		// A year of a busy desk, made in the server: 50,000 tickets, most
		// closed, spread over owners, customers and time, then ANALYZEd,
		// so the planner weighs the indexes on realistic statistics.
		year := int64(365 * 24 * time.Hour)
		if _, err := s.pool.Exec(ctx, `
INSERT INTO desk_tickets (id, desk, number, version, state, kind, owner, assignee, customer, complaint_class,
    complaint_severity, incomplete, next_due, received_at, updated_at, body, priority, tags, department)
SELECT gen_random_uuid(), 'north', g, 5,
    CASE WHEN g % 50 = 0 THEN 'reopened' WHEN g % 50 = 1 THEN 'dispatched' ELSE 'closed' END,
    CASE WHEN g % 10 = 0 THEN 'complaint' ELSE 'repair' END,
    CASE WHEN g % 97 = 0 THEN '' ELSE 'agent-' || (g % 40) END,
    CASE WHEN g % 50 = 1 THEN 'worker-' || (g % 30) ELSE '' END,
    'customer-' || (g % 20000),
    CASE WHEN g % 10 = 0 THEN 'class-' || (g % 7) END,
    CASE WHEN g % 10 = 0 THEN (ARRAY['minor','normal','major'])[1 + g % 3] END,
    g % 89 = 0,
    CASE WHEN g % 50 < 2 THEN $1::bigint + g * ($2::bigint / 50000) + 86400000000000 END,
    $1::bigint + g * ($2::bigint / 50000), $1::bigint + g * ($2::bigint / 50000) + 3600000000000, '{}',
    (ARRAY['low','normal','high','urgent'])[1 + g % 4], '',
    CASE WHEN g % 5 = 0 THEN 'dept-' || (g % 7) ELSE '' END
FROM generate_series(1, 50000) AS g`, now.Add(-365*24*time.Hour).UnixNano(), year); err != nil {
			t.Fatal(err)
		}
		// Every ticket carries one of 53 tags; one in 211 is a vip.
		if _, err := s.pool.Exec(ctx, `
INSERT INTO desk_ticket_tags (desk, number, tag)
SELECT 'north', g, 'tag-' || (g % 53) FROM generate_series(1, 50000) AS g
UNION ALL
SELECT 'north', g, 'vip' FROM generate_series(1, 50000) AS g WHERE g % 211 = 0`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.pool.Exec(ctx, "ANALYZE desk_tickets; ANALYZE desk_ticket_tags"); err != nil {
			t.Fatal(err)
		}
		conn, err := s.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, "SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		defer conn.Exec(ctx, "RESET enable_seqscan")
		for _, c := range cases {
			name := c.name
			q, args := listSQL("north", c.f)
			plan, err := explain(ctx, conn, "EXPLAIN "+q, args...)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			p := strings.Join(plan, "\n")
			if strings.Contains(p, "Seq Scan on desk_tickets") || strings.Contains(p, "Seq Scan on desk_ticket_tags") {
				t.Errorf("%s scans the table:\n%s\n%s", name, q, p)
				continue
			}
			used := false
			for _, ix := range partitionIndexes(t, conn, c.index) {
				used = used || strings.Contains(p, " "+ix+" ") || strings.Contains(p, " "+ix+"\n") || strings.HasSuffix(p, " "+ix)
				// A partition's copy of the index (partitioned layout).
				used = used || regexp.MustCompile(` `+ix+`_p\d+\b`).MatchString(p)
			}
			if !used {
				t.Errorf("%s reads none of %v: it would read every ticket of the desk to find its answer:\n%s\n%s", name, c.index, q, p)
			}
		}
	})
}

// explain runs an EXPLAIN statement and returns the plan's lines.
func explain(ctx context.Context, db interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}, sql string, args ...any) ([]string, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// partitionIndexes returns the indexes and, in the partitioned layout,
// their partitions' copies: those that 007 re-creates are named ix_pN,
// those of later steps get names PostgreSQL chooses.
func partitionIndexes(t *testing.T, conn interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, names []string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `
SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
WHERE p.relname = ANY($1) AND p.relnamespace = c.relnamespace AND c.relkind = 'i'`, names)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return append(out, names...)
}
